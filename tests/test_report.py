"""The situation report's HTML, without a browser: self-contained, data intact, hostile text
inert (a browser runs it in tests/test_report_browser.py)."""

from __future__ import annotations

import json

import lxml.html

from eventatlas.out.report import build_report
from tests.report_fixture import HOSTILE, report_events


def test_report_is_self_contained_and_carries_the_events() -> None:
    events = report_events()
    html = build_report(events, articles=5, outlet_types={"Reuters": "wire"})
    tree = lxml.html.fromstring(html)
    scripts = tree.xpath("//script")
    assert len(scripts) == 6  # data, world, leaflet, markercluster, topojson, the app
    assert not tree.xpath("//script[@src] | //link[@href] | //img[@src]")  # nothing fetched
    assert "default-src 'none'" in html
    data = json.loads(tree.get_element_by_id("report-data").text)
    assert data["summary"]["events"] == len(events) == 3
    assert data["summary"]["disputed"] == 1
    quotes = [m["quote"] for e in data["events"] for m in e["mentions"]]
    assert HOSTILE in quotes  # the text survives, as data


def test_hostile_text_never_becomes_markup() -> None:
    html = build_report(report_events(), articles=5)
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//img")  # the article's <img onerror> is not an element
    assert not [el for el in tree.iter() if any(a.startswith("on") for a in el.attrib)]
    assert "<script>alert" not in html  # escaped inside the JSON block
