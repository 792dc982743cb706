"""Date parsers: page text, URLs, HTML metadata, and the label data file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventatlas.errors import DataFileError
from eventatlas.ingest.dates import (
    EARLIEST,
    date_from_html,
    date_from_text,
    date_from_url,
    default_date_labels,
    find_dates,
    parse_date,
    read_date_labels,
)

TODAY = dt.date(2024, 6, 30)
dates = st.dates(min_value=EARLIEST, max_value=TODAY)


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


FORMATS: dict[str, Callable[[dt.date], str]] = {
    "month day, year": lambda d: d.strftime("%B %d, %Y"),
    "abbreviated month": lambda d: d.strftime("%b %d, %Y"),
    "abbreviated with dot": lambda d: d.strftime("%b. %d %Y"),
    "day month year": lambda d: f"{d.day} {d:%B %Y}",
    "ordinal day of month": lambda d: f"{_ordinal(d.day)} of {d:%B}, {d.year}",
    "weekday and time": lambda d: d.strftime("%A, %d %B %Y 3:45 PM"),
    "updated label with zone": lambda d: d.strftime("Updated Date: %b %d, %Y 21:07:52 IST"),
    "iso": lambda d: d.isoformat(),
    "iso with time": lambda d: f"{d.isoformat()}T08:30:00Z",
    "slashed ymd": lambda d: d.strftime("%Y/%m/%d"),
    "upper case": lambda d: d.strftime("%d %B %Y").upper(),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=60, deadline=None)
@given(day=dates)
def test_each_format_parses_back(name: str, day: dt.date) -> None:
    assert parse_date(FORMATS[name](day)) == day


@settings(max_examples=200, deadline=None)
@given(day=dates)
def test_numeric_day_month_only_when_unambiguous(day: dt.date) -> None:
    text = day.strftime("%d/%m/%Y")
    if day.day > 12 or day.day == day.month:
        assert parse_date(text) == day
    else:
        assert parse_date(text) is None  # could be mm/dd: not guessed
    assert parse_date(text, day_first=True) == day
    assert parse_date(day.strftime("%m/%d/%Y"), day_first=False) == day


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    for match in find_dates(text):
        assert 0 <= match.start < match.end <= len(text)
    found = date_from_text(text, today=TODAY)
    assert found is None or EARLIEST <= found <= TODAY
    from_url = date_from_url(text, TODAY)
    assert from_url is None or EARLIEST <= from_url <= TODAY


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/=\"' abcdehlmptx-0123456789:")))
def test_random_markup_never_raises(html: str) -> None:
    found = date_from_html(html, TODAY)
    assert found is None or EARLIEST <= found <= TODAY


def test_no_year_is_no_date() -> None:
    assert find_dates("the minister said on May 6 and again on 7 June") == []
    assert parse_date("Another standoff occurred on June 3, the second in two days") is None


def test_impossible_dates_are_skipped() -> None:
    assert parse_date("February 30, 2020") is None
    assert parse_date("2020-13-01") is None


# --- URLs ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    day=dates,
    style=st.sampled_from(["/%Y/%m/%d/slug", "/news/%Y-%m-%d/slug", "/a/slug-%Y%m%d", "/%Y/%m/%d"]),
)
def test_url_formats_parse_back(day: dt.date, style: str) -> None:
    assert date_from_url("https://news.example.com" + day.strftime(style), TODAY) == day


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2020/06/",  # month only
        "https://example.com/2020/slug",  # year only
        "https://example.com/story/1202006051",  # digits inside a longer number
        "https://example.com/2099/01/01/slug",  # future
        "https://example.com/1985/01/01/slug",  # before 1990
        "https://2020-06-05.example.com/slug",  # the host is not the path
        "https://example.com/item?id=20201399",  # not a date
    ],
)
def test_url_without_publication_date(url: str) -> None:
    assert date_from_url(url, TODAY) is None


# --- page text ----------------------------------------------------------------------------

BODY = (
    "Officials said the convoy was stopped at a checkpoint near the river crossing and "
    "turned back after several hours of talks with local commanders."
)


def _page(header: list[str], footer: list[str], body_lines: int = 20) -> str:
    return "\n\n".join([*header, *([BODY] * body_lines), *footer])


def test_standalone_header_date_line() -> None:
    page = _page(["Troops pull back from the border", "Monday, 28 December 2020 3:45 PM"], [])
    assert date_from_text(page, today=TODAY) == dt.date(2020, 12, 28)


def test_labelled_footer_date() -> None:
    page = _page(["Troops pull back from the border"], ["Updated: Sep 21, 2017 21:07 IST"])
    assert date_from_text(page, today=TODAY) == dt.date(2017, 9, 21)


def test_body_sentence_dates_are_not_publication_dates() -> None:
    page = _page(
        ["Troops pull back from the border"],
        ["The ministry said on 5 June 2020 that talks had failed."],
    )
    page = page.replace(BODY, "In October 2019, forces launched an offensive on 9 October 2019.", 1)
    assert date_from_text(page, today=TODAY) is None


def test_published_label_beats_standalone_and_updated() -> None:
    page = _page(
        ["Headline here", "Updated: 9 June 2020", "By Jane Roe | Published: 5 June 2020"],
        ["June 7, 2020"],
    )
    assert date_from_text(page, today=TODAY) == dt.date(2020, 6, 5)


def test_standalone_header_beats_updated_label() -> None:
    page = _page(["Headline here", "Updated on June 9, 2020", "June 5, 2020"], [])
    assert date_from_text(page, today=TODAY) == dt.date(2020, 6, 5)


def test_label_only_counts_at_line_start() -> None:
    page = _page(["Headline", "The report was published on 5 June 2020 by the ministry."], [])
    assert date_from_text(page, today=TODAY) is None


def test_standalone_line_in_the_middle_of_the_body_is_ignored() -> None:
    lines = [BODY] * 20 + ["June 5, 2020"] + [BODY] * 20
    assert date_from_text("\n".join(lines), today=TODAY) is None


def test_future_and_ancient_date_lines_rejected() -> None:
    assert date_from_text(_page(["Headline", "June 5, 2031"], []), today=TODAY) is None
    assert date_from_text(_page(["Headline", "June 5, 1980"], []), today=TODAY) is None


def test_page_without_date_is_none() -> None:
    assert date_from_text(_page(["Headline only"], ["Share this article"]), today=TODAY) is None


# --- HTML metadata ------------------------------------------------------------------------


def _html(head: str, body: str = "<p>Text of the story.</p>") -> str:
    return f"<html><head><title>Story</title>{head}</head><body>{body}</body></html>"


def test_htmldate_reads_published_time() -> None:
    html = _html('<meta property="article:published_time" content="2020-06-05T10:00:00+00:00">')
    assert date_from_html(html, TODAY) == dt.date(2020, 6, 5)


def test_htmldate_reads_json_ld() -> None:
    ld = '{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2019-11-02"}'
    html = _html("", f'<script type="application/ld+json">{ld}</script><p>Body.</p>')
    assert date_from_html(html, TODAY) == dt.date(2019, 11, 2)


def test_html_body_text_and_canonical_url_are_not_metadata() -> None:
    html = _html(
        '<link rel="canonical" href="https://example.com/2018/03/04/story">',
        "<p>Fighting resumed on 5 June 2020, the ministry said.</p>",
    )
    assert date_from_html(html, TODAY) is None


def test_html_without_dates_is_none() -> None:
    assert date_from_html(_html(""), TODAY) is None
    assert date_from_html("", TODAY) is None


# --- label data ---------------------------------------------------------------------------


def test_packaged_labels_load() -> None:
    labels = default_date_labels()
    assert all((labels.published, labels.updated, labels.suffix, labels.filler))


def test_malformed_label_file_names_the_line() -> None:
    rows = ["# comment", "label,kind,basis,provenance", "posted,published,b,p", "x,sometimes,b,p"]
    with pytest.raises(DataFileError, match=r"labels\.csv, line 4: kind"):
        read_date_labels(rows, "labels.csv")
    with pytest.raises(DataFileError, match="line 1: expected a header"):
        read_date_labels(["label,kind"], "labels.csv")
    with pytest.raises(DataFileError, match="line 2: expected 4 fields"):
        read_date_labels(["label,kind,basis,provenance", "a,published"], "labels.csv")
