"""Publication dates: parsers for dates written in pages and URLs, and where to look for them.

Entry points:

* :func:`find_dates` / :func:`parse_date` — every full date (day, month and year) in a string;
* :func:`date_from_url` — a date in a URL path (``/2020/06/05/``, ``/2020-06-05/``, ``20200605``);
* :func:`date_from_html` — the date the page's markup declares (htmldate on the metadata only);
* :func:`date_from_text` — a publication date line in the header or footer of a page's text, or
  the dateline that opens its first line.

A date without a year is never a publication date; neither is one before :data:`EARLIEST` or
after today. Numeric ``dd/mm/yyyy`` vs ``mm/dd/yyyy`` is only read when it is unambiguous
(one part above 12, or both parts equal) or a ``day_first`` hint is given. The label words of
date lines ("Published", "Updated" …) are data: ``data/date_labels.csv``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import lxml.html
from htmldate import find_date
from lxml import etree

from eventatlas.datafiles import Schema, packaged_name, packaged_text, parse_csv

log = logging.getLogger(__name__)

EARLIEST = dt.date(1990, 1, 1)
HEADER_LINES = 15  # the first non-empty lines of a page: title, byline, date line
FOOTER_LINES = 15  # the last non-empty lines: "Updated Date: …", copyright

# Calendar vocabulary (English), not rules: which string names which month, which weekday
# (Monday 0 … Sunday 6, as :meth:`datetime.date.weekday`).
# fmt: off
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}
# fmt: on
_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NAMED = (
    re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.IGNORECASE),
    re.compile(rf"(?<![\w]){_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}(?!\d)", re.IGNORECASE),
)
_ISO = re.compile(
    r"(?<![\d.\-/])(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<mon>[01]?\d)(?P=sep)"
    r"(?P<day>[0-3]?\d)(?![\d])"
)
_NUMERIC = re.compile(
    r"(?<![\d.\-/])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)"
    r"(?P<year>(?:19|20)\d\d)(?![\d])"
)

_URL_PATTERNS = (
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)(?=[/_\-.]|$)"),
    re.compile(
        r"(?<![A-Za-z0-9])(?P<year>(?:19|20)\d\d)(?P<sep>[-_])(?P<mon>[01]\d)(?P=sep)"
        r"(?P<day>[0-3]\d)(?![A-Za-z0-9])"
    ),
    re.compile(
        r"(?<![A-Za-z0-9])(?P<year>(?:19|20)\d\d)(?P<mon>[01]\d)(?P<day>[0-3]\d)"
        r"(?![A-Za-z0-9])"
    ),
)

LabelKind = Literal["published", "updated"]
LABEL_KINDS = ("published", "updated", "suffix", "filler")


@dataclass(frozen=True)
class DateMatch:
    """A full date found in a string, with its character span."""

    date: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class DateLabels:
    """Words around date lines: labels ("Published", "Updated"), label suffixes ("on", "Date"),
    and fillers allowed beside a standalone date ("at", "by")."""

    published: tuple[str, ...]
    updated: tuple[str, ...]
    suffix: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()

    def kind_of(self, prefix: str) -> LabelKind | None:
        """The kind of label ``prefix`` (the text just before a date) ends with, if any."""
        words = _LABEL_TRIM.sub("", prefix.casefold()).split()
        while words:
            kind = self._label_at_end(words)
            if kind is not None:
                return kind
            if words[-1] not in self.suffix:
                return None
            words = words[:-1]
        return None

    def _label_at_end(self, words: list[str]) -> LabelKind | None:
        for kind, labels in (("published", self.published), ("updated", self.updated)):
            for label in labels:
                size = len(label.split())
                if words[-size:] == label.split() and _label_starts_line(words[:-size]):
                    return kind  # type: ignore[return-value]
        return None


_LABEL_TRIM = re.compile(r"[\s:\-–—|,.(\[]+$")
_SEPARATOR_END = re.compile(r"[|•·/,;:–—(\[]$|^-$")


def _label_starts_line(before: list[str]) -> bool:
    """A label counts only at the start of a line or after a separator (not mid-sentence)."""
    return not before or bool(_SEPARATOR_END.search(before[-1]))


# ---------------------------------------------------------------------------------------------
# Parsing dates in strings


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric_date(match: re.Match[str], day_first: bool | None) -> dt.date | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    if a > 12 or (day_first and a != b):
        return _make_date(year, b, a)
    if b > 12 or a == b or day_first is False:
        return _make_date(year, a, b)
    return None  # both parts could be the month: ambiguous without a hint


def _candidates(text: str, day_first: bool | None) -> Iterable[DateMatch]:
    for pattern in _NAMED:
        for m in pattern.finditer(text):
            got = _make_date(int(m["year"]), MONTHS[m["mon"].casefold()], int(m["day"]))
            if got is not None:
                yield DateMatch(got, m.start(), m.end())
    for m in _ISO.finditer(text):
        got = _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
        if got is not None:
            yield DateMatch(got, m.start(), m.end())
    for m in _NUMERIC.finditer(text):
        got = _numeric_date(m, day_first)
        if got is not None:
            yield DateMatch(got, m.start(), m.end())


def find_dates(text: str, day_first: bool | None = None) -> list[DateMatch]:
    """Every full date in ``text``, in order, overlapping matches resolved to the longest."""
    found = sorted(_candidates(text, day_first), key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def parse_date(text: str, day_first: bool | None = None) -> dt.date | None:
    """The first full date written in ``text`` (any supported format), or None."""
    found = find_dates(text, day_first)
    return found[0].date if found else None


def plausible(date: dt.date, today: dt.date | None = None) -> bool:
    """Could ``date`` be a publication date: not before 1990, not after today."""
    return EARLIEST <= date <= (today or dt.date.today())


# ---------------------------------------------------------------------------------------------
# URLs


def date_from_url(url: str, today: dt.date | None = None) -> dt.date | None:
    """A plausible date in the path or query of ``url``; None for year/month-only paths."""
    rest = re.sub(r"^[a-z][a-z0-9+.\-]*://[^/?#]*", "", url.strip(), flags=re.IGNORECASE)
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(rest):
            got = _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
            if got is not None and plausible(got, today):
                return got
    return None


# ---------------------------------------------------------------------------------------------
# HTML metadata

_META_XPATH = (
    "//script[@type='application/ld+json']"
    " | //*[@itemprop='datePublished' or @itemprop='dateCreated']"
    " | (//article//time[@datetime])[1]"
)


def _metadata_only(tree: etree._Element) -> etree._Element:
    """A copy of the page keeping what declares dates: <head>, JSON-LD, datePublished, the
    article's first <time>; without the canonical link (URL dates are a separate source)."""
    root = lxml.html.fromstring("<html><head></head><body></body></html>")
    head = tree.find(".//head")
    if head is not None:
        root.replace(root[0], _copy(head))
    for link in root.xpath("//link[@rel='canonical']"):
        link.getparent().remove(link)
    body = root[1]
    for el in tree.xpath(_META_XPATH):
        if el.xpath("ancestor::head"):
            continue
        body.append(_copy(el))
    return root


def _copy(el: etree._Element) -> etree._Element:
    clone = lxml.html.fromstring(etree.tostring(el, encoding="unicode"))
    clone.tail = None
    return clone


def parse_html(html: str) -> etree._Element | None:
    """An lxml tree of ``html``, or None when it does not parse."""
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        log.debug("HTML does not parse: %s", exc)
        return None


def date_from_html(html: str | etree._Element, today: dt.date | None = None) -> dt.date | None:
    """The publication date the page's markup declares (htmldate, original date, no text search).

    Only the page's metadata is shown to htmldate (see :func:`_metadata_only`), so a date in the
    body text or the URL never comes back from here.
    """
    tree = parse_html(html) if isinstance(html, str) else html
    if tree is None:
        return None
    last = today or dt.date.today()
    found = find_date(
        _metadata_only(tree),
        extensive_search=False,
        original_date=True,
        outputformat="%Y-%m-%d",
        min_date=dt.datetime.combine(EARLIEST, dt.time()),
        max_date=dt.datetime.combine(last, dt.time(23, 59)),
    )
    if not found:
        return None
    got = dt.date.fromisoformat(found)
    return got if plausible(got, today) else None


# ---------------------------------------------------------------------------------------------
# Page text

_LINE_DECORATION = re.compile(r"^[\s#>*_`|•·\-–—]+|[\s*_`|•·]+$")
_TOKEN = re.compile(r"[^\s,;:|•·()\[\]/]+")
MAX_DATE_LINE = 100  # characters: a date line is short
MAX_EXTRA_WORDS = 6  # words beside the date on a standalone date line (byline, time, zone)


def _is_standalone(line: str, matches: Sequence[DateMatch], labels: DateLabels) -> bool:
    """A short line that is mostly a date: the other words are names, times, zones, fillers."""
    if len(line) > MAX_DATE_LINE:
        return False
    rest, last = [], 0
    for m in matches:
        rest.append(line[last : m.start])
        last = m.end
    rest.append(line[last:])
    words = [w.strip(".'\"") for w in _TOKEN.findall(" ".join(rest))]
    words = [w for w in words if w and w.casefold() not in labels.filler]
    if len(words) > MAX_EXTRA_WORDS:
        return False
    return all(not w[0].isalpha() or w[0].isupper() for w in words)


# A weekday opening a line, with what separates it from the date ("Wed ", "Monday, ", "Thu. - ").
_LEADING_WEEKDAY = re.compile(
    "(?P<name>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?(?!\w)[\s,.:|\-–—]*",
    re.IGNORECASE,
)
_AFTER_DATE = re.compile(r"[\s,;:.|•·/\-–—]*(?P<word>\S*)")
_WORD_QUOTES = "'\"‘’“”([{"


def _leading_dateline(
    line: str, matches: Sequence[DateMatch], labels: DateLabels
) -> DateMatch | None:
    """The date that opens ``line`` as a dateline: a full date at its very start (after an
    optional weekday, which must be the date's) that does not open a sentence.

    "Wed 05 Apr 2017 Syria attack …", "12 February 2015 - Regime …", "Fri 07 Apr 2017 at 0914 Homs
    …" open with a dateline: whatever follows the date (a time, a zone, a separator, the headline)
    is not checked, except the first word after it. When that word is lower case and not a
    filler ("at", "by", "on"), the date is the subject of a sentence ("5 June 2020 was the day the
    ceasefire collapsed"), which tells of an event, not when the text was published.
    """
    if not matches:
        return None
    weekday = _LEADING_WEEKDAY.match(line)
    first = matches[0]
    if first.start != (weekday.end() if weekday else 0):
        return None
    if weekday and WEEKDAYS[weekday["name"].casefold()] != first.date.weekday():
        return None  # "Tue 05 Apr 2017": the date was misread or mistyped
    after = _AFTER_DATE.match(line, first.end)
    word = after["word"].lstrip(_WORD_QUOTES) if after else ""
    if word[:1].islower() and word.casefold().rstrip(".,") not in labels.filler:
        return None
    return first


def _line_score(zone: str, label: LabelKind | None, standalone: bool) -> int:
    """Published label 4; standalone date line (or leading dateline) in the header 3; updated
    label 2; standalone in the footer 1; anything else (dates inside sentences) 0."""
    if label == "published":
        return 4
    if label == "updated":
        return 2
    if standalone and zone == "header":
        return 3
    if standalone and zone == "footer":
        return 1
    return 0


def _zone(index: int, count: int) -> str:
    if index < HEADER_LINES:
        return "header"
    if index >= count - FOOTER_LINES:
        return "footer"
    return "body"


def _scan_line(
    line: str,
    zone: str,
    labels: DateLabels,
    today: dt.date | None,
    *,
    opening: bool = False,
    day_first: bool | None = None,
) -> tuple[int, dt.date] | None:
    """The best-scoring plausible date of one line, with its score; ``opening``: the line is
    the text's first, whose leading dateline counts like a standalone date line."""
    matches = find_dates(line, day_first)
    if not matches:
        return None
    standalone = _is_standalone(line, matches, labels)
    leading = _leading_dateline(line, matches, labels) if opening else None
    best: tuple[int, dt.date] | None = None
    last = 0
    for m in matches:
        label = labels.kind_of(line[last : m.start])
        last = m.end
        score = _line_score(zone, label, standalone or m is leading)
        if score and plausible(m.date, today) and (best is None or score > best[0]):
            best = (score, m.date)
    return best


def date_from_text(
    text: str | Sequence[str],
    labels: DateLabels | None = None,
    today: dt.date | None = None,
    day_first: bool | None = None,
) -> dt.date | None:
    """The publication date a page's text states in a date line, or None.

    Looks at labelled lines ("Published: …", "Updated Date: …") anywhere, at short standalone
    date lines in the header (first lines) and footer (last lines), and at a dateline opening the
    first non-empty line, however long that line is ("Wed 05 Apr 2017 Syria attack symptoms …",
    see :func:`_leading_dateline`): a body given as one line, or a first paragraph opened by its
    date. Any other date inside a body sentence is never taken. Best score wins (see
    :func:`_line_score`), then the earliest line. ``day_first`` reads ambiguous numeric dates.
    """
    labels = labels or default_date_labels()
    raw_lines = text.splitlines() if isinstance(text, str) else text
    lines = [s for s in (_LINE_DECORATION.sub("", ln) for ln in raw_lines) if s]
    best: tuple[int, dt.date] | None = None
    for index, line in enumerate(lines):
        zone = _zone(index, len(lines))
        found = _scan_line(line, zone, labels, today, opening=index == 0, day_first=day_first)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# The label data file

DATE_LABELS_FILE = "date_labels.csv"
_LABELS = Schema(("label", "kind", "basis"), provenance=True, filled=("label", "basis"))


def read_date_labels(rows: str | Iterable[str], name: str) -> DateLabels:
    """Parse the date-label CSV (text or lines) of file ``name`` (``#`` lines are comments)."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in LABEL_KINDS}
    table = parse_csv(rows, name, _LABELS)
    for row in table:
        if row["kind"] not in LABEL_KINDS:
            raise row.error(
                f"kind must be one of {', '.join(LABEL_KINDS)}, got {row['kind']!r}",
                fix="fix the kind column",
            )
        by_kind[row["kind"]].append(" ".join(row["label"].casefold().split()))
    return DateLabels(*(tuple(by_kind[k]) for k in LABEL_KINDS))


@cache
def default_date_labels() -> DateLabels:
    """The packaged date labels (read on first use, not at import)."""
    return read_date_labels(packaged_text(DATE_LABELS_FILE), packaged_name(DATE_LABELS_FILE))
