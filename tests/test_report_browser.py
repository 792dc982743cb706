"""The situation report in a real browser (Debian's Chromium driven by Playwright): markers,
filters, the time slider, disputed events, and hostile article text staying inert."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventatlas.out.report import build_report
from tests.report_fixture import HOSTILE, report_events

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(build_report(report_events(), articles=5), "utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 1400})
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        pg.goto(path.as_uri())
        pg.wait_for_selector(".card")
        yield pg
        browser.close()


def markers(page: Any) -> int:
    return int(page.get_attribute("body", "data-markers"))


def test_one_marker_per_located_event(page: Any) -> None:
    assert markers(page) == 3
    assert page.locator(".card").count() == 3
    assert page.locator(".leaflet-interactive, .marker-cluster").count() >= 1


def test_filters_and_slider_change_what_is_shown(page: Any) -> None:
    page.select_option("#f-status", "disputed")
    assert page.locator(".card").count() == 1
    assert markers(page) == 1
    page.select_option("#f-status", "")
    page.fill("#slider", "0")
    page.dispatch_event("#slider", "input")
    assert page.locator(".card").count() == 1  # only the first day's event
    page.fill("#slider", page.get_attribute("#slider", "max"))
    page.dispatch_event("#slider", "input")
    assert page.locator(".card").count() == 3


def test_a_disputed_event_shows_both_sides(page: Any) -> None:
    card = page.locator(".card.disputed")
    assert card.locator(".side.asserts .mention").count() == 2
    assert card.locator(".side.denies .mention").count() == 1
    assert "denied" in card.locator(".side.denies").inner_text()


def test_hostile_article_text_stays_inert(page: Any) -> None:
    assert page.dialogs == []
    assert page.locator(".card img").count() == 0
    assert HOSTILE in page.locator("#cards").inner_text()
    # EVENTATLAS_SCREENSHOTS=docs refreshes the README's picture; otherwise nothing is written.
    folder = os.environ.get("EVENTATLAS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "report.png"), full_page=False)
