"""detect_metadata: the order of sources for outlet, date, title and language."""

from __future__ import annotations

import datetime as dt

import pytest

from eventatlas.ingest.metadata import LanguageDetector, detect_metadata, strip_outlet_affixes
from eventatlas.ingest.outlets import OUTLET_COLUMNS, OutletRegistry, load_outlets, read_outlets
from eventatlas.records import CleanedText, Given, Metadata, RawDocument

TODAY = dt.date(2024, 6, 30)
BODY = (
    "Residents said the convoy turned back after hours of talks at the river crossing, and "
    "officials said negotiations would resume once the road had been cleared of debris."
)
ROWS = [
    ",".join(OUTLET_COLUMNS),
    "Daily Meridian,dailymeridian.com,US,independent,privately owned,Meridian News Service,t",
    "Capital Wire Service,capitalwire.net,GB,wire,news cooperative,CWS,t",
    "Linkhub,linkhub.com,,aggregator,republishes others,,t",
]


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry(tuple(read_outlets(ROWS, "synthetic.csv")), load_outlets().banners)


def _text(lines: list[str], given: Given | None = None) -> RawDocument:
    return RawDocument("page.txt", "text", "\n\n".join(lines), given or Given())


def _html(head: str = "", body: str = "", given: Given | None = None) -> RawDocument:
    page = f"<html><head>{head}</head><body>{body}<p>{BODY}</p></body></html>"
    return RawDocument("page.html", "html", page, given or Given())


def _meta(
    raw: RawDocument, registry: OutletRegistry, cleaned: CleanedText | None = None
) -> Metadata:
    return detect_metadata(raw, cleaned or CleanedText(BODY * 3), registry, today=TODAY)


# --- outlet -------------------------------------------------------------------------------


def test_given_outlet_wins_and_is_normalised(registry: OutletRegistry) -> None:
    raw = _text(["Support Linkhub", BODY], Given(outlet="meridian news service"))
    assert _meta(raw, registry).outlet == "Daily Meridian"
    raw = _text([BODY], Given(outlet="  Some Village Paper "))
    assert _meta(raw, registry).outlet == "Some Village Paper"


def test_url_domain_beats_page_text(registry: OutletRegistry) -> None:
    raw = _text(["Support Linkhub", BODY], Given(url="https://www.capitalwire.net/a/story"))
    assert _meta(raw, registry).outlet == "Capital Wire Service"


def test_unknown_domain_gives_its_registrable_name(registry: OutletRegistry) -> None:
    raw = _text([BODY], Given(url="https://news.example.co.uk/world/story-1"))
    assert _meta(raw, registry).outlet == "example.co.uk"


@pytest.mark.parametrize("where", ["canonical", "given"])
def test_archived_url_is_unwrapped(registry: OutletRegistry, where: str) -> None:
    url = "http://web.archive.org/web/20200605123456/https://dailymeridian.com/2020/06/04/x"
    if where == "canonical":
        raw = _html(f'<link rel="canonical" href="{url}">')
    else:
        raw = _text([BODY], Given(url=url))
    meta = _meta(raw, registry)
    assert (meta.outlet, meta.published, meta.published_source) == (
        "Daily Meridian",
        dt.date(2020, 6, 4),
        "url",
    )


def test_html_declared_site_name(registry: OutletRegistry) -> None:
    known = _html('<meta property="og:site_name" content="The Daily Meridian">')
    assert _meta(known, registry).outlet == "Daily Meridian"
    unknown = _html('<meta property="og:site_name" content="Valley Gazette">')
    assert _meta(unknown, registry).outlet == "Valley Gazette"


def test_json_ld_publisher(registry: OutletRegistry) -> None:
    publisher = '{"@type": "Organization", "name": "CWS"}'
    ld = f'{{"@graph": [{{"@type": "NewsArticle", "publisher": {publisher}}}]}}'
    raw = _html(f'<script type="application/ld+json">{ld}</script>')
    assert _meta(raw, registry).outlet == "Capital Wire Service"


def test_declared_name_beats_unknown_url_domain(registry: OutletRegistry) -> None:
    raw = _html(
        '<meta property="og:site_name" content="Valley Gazette">',
        given=Given(url="https://vg-news.example.net/story"),
    )
    assert _meta(raw, registry).outlet == "Valley Gazette"


def test_text_banner_vs_body_mention(registry: OutletRegistry) -> None:
    banner = _text(["Convoy turns back", "Support Daily Meridian", BODY, BODY])
    assert _meta(banner, registry).outlet == "Daily Meridian"
    mention = _text(
        [
            "Convoy turns back",
            BODY,
            "A reporter told Daily Meridian in an interview "
            "that the crossing had been closed since the morning.",
            BODY,
        ]
    )
    assert _meta(mention, registry).outlet is None


def test_banner_in_html_footer(registry: OutletRegistry) -> None:
    raw = _html(body="<footer><p>© 2021 Daily Meridian. All rights reserved.</p></footer>")
    assert _meta(raw, registry).outlet == "Daily Meridian"


def test_original_url_line_gives_outlet_url_and_date(registry: OutletRegistry) -> None:
    raw = _text(
        [
            "Convoy turns back",
            "June 07, 2020",
            BODY,
            "Original url:",
            "<https://www.dailymeridian.com/2020/06/05/convoy-a123>",
        ]
    )
    meta = _meta(raw, registry)
    assert meta.outlet == "Daily Meridian"
    assert meta.url == "https://www.dailymeridian.com/2020/06/05/convoy-a123"
    assert (meta.published, meta.published_source) == (dt.date(2020, 6, 5), "url")


# --- publication date ---------------------------------------------------------------------

PUBLISHED_META = '<meta property="article:published_time" content="2019-03-04T08:00:00Z">'


def test_given_date_wins(registry: OutletRegistry) -> None:
    raw = _html(PUBLISHED_META, given=Given(published=dt.date(2018, 1, 2)))
    assert (_meta(raw, registry).published, _meta(raw, registry).published_source) == (
        dt.date(2018, 1, 2),
        "metadata",
    )


def test_html_metadata_beats_url_and_text(registry: OutletRegistry) -> None:
    raw = _html(
        PUBLISHED_META,
        "<p>Published: 9 May 2017</p>",
        Given(url="https://x.example.com/2016/02/03/story"),
    )
    meta = _meta(raw, registry)
    assert (meta.published, meta.published_source) == (dt.date(2019, 3, 4), "metadata")


def test_url_beats_text(registry: OutletRegistry) -> None:
    raw = _html(
        body="<p>Published: 9 May 2017</p>",
        given=Given(url="https://x.example.com/2016/02/03/story"),
    )
    meta = _meta(raw, registry)
    assert (meta.published, meta.published_source) == (dt.date(2016, 2, 3), "url")


def test_text_date_line(registry: OutletRegistry) -> None:
    raw = _text(["Convoy turns back", BODY, BODY, "Updated Date: Sep 21, 2017 21:07:52 IST"])
    meta = _meta(raw, registry)
    assert (meta.published, meta.published_source) == (dt.date(2017, 9, 21), "text")


def test_no_date_is_null_not_today(registry: OutletRegistry) -> None:
    raw = _text(["Convoy turns back", "The talks began on May 6 and ended in October.", BODY])
    meta = _meta(raw, registry)
    assert (meta.published, meta.published_source) == (None, None)


# --- title --------------------------------------------------------------------------------


def test_given_title_wins(registry: OutletRegistry) -> None:
    raw = _html("<title>Other - Daily Meridian</title>", given=Given(title="  Given  title "))
    assert _meta(raw, registry).title == "Given title"


def test_html_title_without_outlet_suffix(registry: OutletRegistry) -> None:
    raw = _html("<title>Convoy turns back at border | Daily Meridian</title>")
    assert _meta(raw, registry).title == "Convoy turns back at border"
    og = _html('<meta property="og:title" content="CWS - Talks resume"><title>x</title>')
    assert _meta(og, registry).title == "Talks resume"


def test_site_name_suffix_removed_even_if_unregistered(registry: OutletRegistry) -> None:
    raw = _html(
        '<meta property="og:site_name" content="Valley Gazette">'
        "<title>Floods close road – Valley Gazette</title>"
    )
    assert _meta(raw, registry).title == "Floods close road"


def test_cleaner_title_for_text(registry: OutletRegistry) -> None:
    cleaned = CleanedText(BODY * 3, title="Tensions rise as talks stall – Reports")
    assert _meta(_text([BODY]), registry, cleaned).title == "Tensions rise as talks stall – Reports"
    assert _meta(_text([BODY]), registry).title is None


def test_strip_affixes_only_for_outlets(registry: OutletRegistry) -> None:
    assert strip_outlet_affixes("A - B - C", registry, set()) == "A - B - C"
    assert strip_outlet_affixes("A - B - Linkhub", registry, set()) == "A - B"


# --- language -----------------------------------------------------------------------------


def test_given_language_wins(registry: OutletRegistry) -> None:
    assert _meta(_text([BODY], Given(language="de")), registry).language == "de"


def test_detected_language() -> None:
    detect = LanguageDetector()
    assert detect(BODY) == "en"
    french = (
        "Les habitants ont déclaré que le convoi avait fait demi-tour après des heures de "
        "négociations au point de passage, selon les autorités locales."
    )
    assert detect(french) == "fr"
    assert detect("Ok.") == "und"
    assert detect("") == "und"
