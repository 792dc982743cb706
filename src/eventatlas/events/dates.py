"""When an event happened: time expressions resolved against the publication date.

``resolve_date(sentence, published)`` finds the time expression of a sentence that dates its
event and turns it into an :class:`EventDate` interval with ACLED-like precision (day, week,
month, year), following ``docs/annotation/events.md`` section 7:

* relative expressions ('Tuesday', 'last week', 'earlier this month', 'October of last year')
  are resolved against the publication date (or, without one, a dateline opening the sentence);
  without either they are left undated;
* **future stays future**: 'on 1 March' in an article of 14 February is this year's 1 March,
  and 'will meet on Tuesday' the coming Tuesday; the finding says ``future`` (status
  ``planned``, :func:`eventatlas.events.attribution.event_status`);
* **background** is dated when it happened and is ``historical`` when it ends clearly before the
  article's time (``historical_after_days``); in an article with no date, an expression naming
  its year ('in 2013') is background, unless the sentence also dates its event by a relative
  expression the missing publication date leaves unresolved;
* when a sentence has several, the finest wins, and among equally fine ones not the date of the
  saying ('said on Monday the bombing on Sunday killed ...': Sunday); 'since X' runs to
  publication;
* a sentence without a time expression, in a dated article, is news of the week ending on the
  publication date (precision ``week``), as a coder dates it from context; without a
  publication date it is ``unknown``.

The cue words and numbers are data (``data/event_cues.json``, key ``dates``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from eventatlas.datafiles import packaged_name, packaged_text, parse_json
from eventatlas.errors import DataFileError
from eventatlas.records import DatePrecision, EventDate

CUES_FILE = "event_cues.json"
_T = TypeVar("_T")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a": 1, "a few": 3, "several": 4, "few": 3,
}  # fmt: skip
_COUNT = r"(?P<n>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_FINENESS: dict[DatePrecision, int] = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(frozen=True)
class DateFinding:
    """The event date a sentence gives, the words that gave it, whether it is background and
    whether it is still to come."""

    date: EventDate
    expression: str | None
    historical: bool
    future: bool = False


@dataclass(frozen=True)
class DateCues:
    historical_after: dt.timedelta
    undated_week: dt.timedelta
    future_window: dt.timedelta  # how far ahead a date with no future cue may still fall
    name_heads: frozenset[str]  # "April 7th Street", "the March 14 alliance": names, not dates
    reporting: re.Pattern[str]  # a saying just before an expression: "said (on)"
    future: frozenset[str]
    dateline_words: frozenset[str]
    not_dateline: frozenset[str]


def read_cues(build: Callable[[Any], _T], expected: str) -> _T:
    """``build`` applied to the packaged cue file (``data/event_cues.json``); a missing or
    malformed entry is a :class:`DataFileError` saying what was ``expected``."""
    name = packaged_name(CUES_FILE)
    raw: Any = parse_json(packaged_text(CUES_FILE), name)
    try:
        return build(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            file=name, expected=expected, got=repr(exc), fix="restore the packaged file"
        ) from exc


@cache
def date_cues() -> DateCues:
    return read_cues(
        _date_cues,
        "a 'dates' object with historical_after_days, undated_week_days, future_window_days, "
        "name_heads, reporting_forms, future_cues, dateline_words and not_dateline_openers",
    )


def _date_cues(raw: Any) -> DateCues:
    d = raw["dates"]
    forms = "|".join(re.escape(w) for w in sorted(d["reporting_forms"], key=len, reverse=True))
    return DateCues(
        dt.timedelta(days=int(d["historical_after_days"])),
        dt.timedelta(days=int(d["undated_week_days"]) - 1),
        dt.timedelta(days=int(d["future_window_days"])),
        frozenset(w.lower() for w in d["name_heads"]),
        re.compile(  # "said on", "told AFP on", "said late"
            r"\b(?i:" + forms + r")(?:\s+[A-Z][\w.]*){0,3}\s+(?i:on\s+|late\s+|early\s+)?$"
        ),
        frozenset(w.lower() for w in d["future_cues"]),
        frozenset(w.lower() for w in d["dateline_words"]),
        frozenset(w.lower() for w in d["not_dateline_openers"]),
    )


@dataclass(frozen=True)
class _Ctx:
    ref: dt.date | None  # the publication date, else the sentence's dateline
    future: bool  # a future cue stands before the expression
    window: dt.timedelta = dt.timedelta(0)  # how far ahead a date without the cue may fall


_Build = Callable[[re.Match[str], _Ctx], "EventDate | None"]


def resolve_date(sentence: str, published: dt.date | None) -> DateFinding:
    """The event date of ``sentence`` (see the module docstring)."""
    try:
        return _resolve(sentence, published)
    except (OverflowError, ValueError):  # counting back from 0001-01-01, on past 9999
        return DateFinding(EventDate(None, published, "unknown"), None, False)


def undated(published: dt.date | None) -> EventDate:
    """The date of an event its sentence does not date: the week ending on publication."""
    if published is None:
        return EventDate(None, None, "unknown")
    try:
        return EventDate(published - date_cues().undated_week, published, "week")
    except OverflowError:
        return EventDate(None, published, "unknown")


def _resolve(sentence: str, published: dt.date | None) -> DateFinding:
    cues = date_cues()
    text, ref = _dateline(sentence, published, cues)
    best: tuple[tuple[int, bool, int, int], re.Match[str], EventDate] | None = None
    unresolved = _FINENESS["unknown"]  # the finest relative expression left undated
    for rank, (pattern, build, nominal) in enumerate(_RULES):
        for m in pattern.finditer(text):
            if _names_something(text, m, cues):
                continue
            ctx = _Ctx(ref, _future_cue(text, m, cues), cues.future_window)
            try:
                date = build(m, ctx)
            except (OverflowError, ValueError):
                continue
            if date is None:
                unresolved = min(unresolved, _FINENESS[nominal])
                continue
            key = (_FINENESS[date.precision], _said(text, m, cues), rank, m.start())
            if best is None or key < best[0]:
                best = (key, m, date)
    if best is None or (ref is None and unresolved < best[0][0]):
        # nothing dates it, or only background next to a relative date no publication resolves
        return DateFinding(undated(ref), None, False)
    _, m, date = best
    if _since(text, m) and ref is not None and date.end is not None and date.end < ref:
        date = EventDate(date.start, ref, date.precision)  # 'since Tuesday': up to publication
    future = ref is not None and (
        (date.start is not None and date.start > ref)
        or m.group(0).lower().startswith(("later", "next"))
    )
    if ref is not None:
        historical = not future and date.end is not None and date.end < ref - cues.historical_after
    else:
        historical = "year" in m.groupdict() and m["year"] is not None
    return DateFinding(date, m.group(0).strip(), historical, future)


def _since(text: str, m: re.Match[str]) -> bool:
    return m.group(0).lower().startswith("since") or bool(
        re.search(r"\bsince\s+$", text[: m.start()], re.I)
    )


def _names_something(text: str, m: re.Match[str], cues: DateCues) -> bool:
    """Whether the expression is part of a name ("April 7th Street")."""
    after = re.match(r"\s+(\w+)", text[m.end() :])
    return after is not None and after.group(1).lower() in cues.name_heads


def _said(text: str, m: re.Match[str], cues: DateCues) -> bool:
    """Whether the expression dates a saying ("said on Monday"), not the event."""
    return cues.reporting.search(text[max(0, m.start() - 60) : m.start()]) is not None


def _future_cue(text: str, m: re.Match[str], cues: DateCues) -> bool:
    """A future cue among the eight words before the expression (or opening it: "next")."""
    words = re.findall(r"[\w']+", text[max(0, m.start() - 80) : m.start()].lower())[-8:]
    lead = m.group(0).lower().split()[:1]
    phrase = " ".join(words)
    return bool(set(words + lead) & cues.future) or any(
        " " in c and c in phrase for c in cues.future
    )


def _dateline(text: str, published: dt.date | None, cues: DateCues) -> tuple[str, dt.date | None]:
    """The sentence without a dateline opening it ("Wed Nov 23 2016 70 killed ...", "12 February
    2015 - ..."), and the date relative expressions count from (publication, else dateline)."""
    for pattern, build, _ in _RULES[:3]:  # the full dates
        m = pattern.search(text[:60])
        if m is None:
            continue
        words = re.findall(r"[A-Za-z]+", text[: m.start()])
        if len(words) > 6 or (words and words[0].lower() in cues.not_dateline):
            continue
        if any(not w[0].isupper() and w.lower() not in cues.dateline_words for w in words):
            continue
        found = build(m, _Ctx(published, False, cues.future_window))
        day = found.start if found else None
        if day is None:
            continue
        if published is not None and abs((day - published).days) > 1:
            continue  # a date opening a timeline entry, not the article's
        if (
            published is None
            and not words
            and not re.match(r"\s*(?:[-–—|:]|\d\d?:\d\d|\s\s)", text[m.end() :])
        ):
            continue
        return " " * m.end() + text[m.end() :], published or day
    return text, published


def _day(d: dt.date) -> EventDate:
    return EventDate(d, d, "day")


def _month_span(year: int, month: int) -> EventDate:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return EventDate(dt.date(year, month, 1), last, "month")


def _year_span(year: int) -> EventDate:
    return EventDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _week_to(end: dt.date) -> EventDate:
    return EventDate(end - date_cues().undated_week, end, "week")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_date(m: re.Match[str], _c: _Ctx) -> EventDate | None:
    d = _safe_date(int(m["year"]), _MONTHS[m["month"].lower()], int(m["day"]))
    return _day(d) if d else None


def _iso_date(m: re.Match[str], _c: _Ctx) -> EventDate | None:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return _day(d) if d else None


def _month_day(m: re.Match[str], c: _Ctx) -> EventDate | None:
    """'on 1 March': the next one under a future cue, or when it falls within the window ahead
    ('the first hearing on 1 March' in mid-February); else the most recent one (up to two days
    ahead counted as past: datelines run late)."""
    if c.ref is None:
        return None
    month, day = _MONTHS[m["month"].lower()], int(m["day"])
    found = [d for y in (-1, 0, 1) if (d := _safe_date(c.ref.year + y, month, day))]
    soon = c.ref + dt.timedelta(days=2)
    coming = min((d for d in found if d > soon), default=None)
    if coming is not None and (c.future or coming - c.ref <= c.window):
        return _day(coming)
    if c.future:
        today = [d for d in found if c.ref <= d <= soon]
        return _day(today[0]) if today else None
    past = max((d for d in found if d <= soon), default=None)
    return _day(past) if past else None


def _month_year(m: re.Match[str], _c: _Ctx) -> EventDate:
    return _month_span(int(m["year"]), _MONTHS[m["month"].lower()])


def _month_relative_year(m: re.Match[str], c: _Ctx) -> EventDate | None:
    if c.ref is None:
        return None
    offset = {"last": -1, "this": 0, "next": 1}[m["which"].lower()]
    return _month_span(c.ref.year + offset, _MONTHS[m["month"].lower()])


def _last_month_name(m: re.Match[str], c: _Ctx) -> EventDate | None:
    """'last October': the most recent October before the publication month."""
    if c.ref is None:
        return None
    month = _MONTHS[m["month"].lower()]
    return _month_span(c.ref.year if month < c.ref.month else c.ref.year - 1, month)


def _next_month_name(m: re.Match[str], c: _Ctx) -> EventDate | None:
    if c.ref is None:
        return None
    month = _MONTHS[m["month"].lower()]
    return _month_span(c.ref.year if month > c.ref.month else c.ref.year + 1, month)


def _bare_month(m: re.Match[str], c: _Ctx) -> EventDate | None:
    """'in June': this year's June, or last year's when June is still to come (the coming June
    under a future cue)."""
    if c.ref is None:
        return None
    month = _MONTHS[m["month"].lower()]
    if c.future:
        return _month_span(c.ref.year if month >= c.ref.month else c.ref.year + 1, month)
    return _month_span(c.ref.year if month <= c.ref.month else c.ref.year - 1, month)


def _months_from(offset: int) -> _Build:
    def build(_m: re.Match[str], c: _Ctx) -> EventDate | None:
        if c.ref is None:
            return None
        y, mo = divmod(c.ref.year * 12 + c.ref.month - 1 + offset, 12)
        return _month_span(y, mo + 1)

    return build


def _year(m: re.Match[str], _c: _Ctx) -> EventDate:
    return _year_span(int(m["year"]))


def _relative_year(m: re.Match[str], c: _Ctx) -> EventDate | None:
    if c.ref is None:
        return None
    return _year_span(c.ref.year + {"last": -1, "this": 0, "next": 1}[m["which"].lower()])


def _weekday(m: re.Match[str], c: _Ctx) -> EventDate | None:
    """The most recent such day on or before publication; the coming one under a future cue."""
    if c.ref is None:
        return None
    target = _WEEKDAYS[m["weekday"].lower()]
    if (m["last"] or "").strip().lower() != "last" and (c.future or m["next"]):
        return _day(c.ref + dt.timedelta(days=(target - c.ref.weekday() - 1) % 7 + 1))
    back = (c.ref.weekday() - target) % 7
    if (m["last"] or "").strip().lower() == "last" and back == 0:
        back = 7
    return _day(c.ref - dt.timedelta(days=back))


def _days_back(days: int) -> _Build:
    def build(_m: re.Match[str], c: _Ctx) -> EventDate | None:
        return _day(c.ref - dt.timedelta(days=days)) if c.ref else None

    return build


def _overnight(_m: re.Match[str], c: _Ctx) -> EventDate | None:
    return EventDate(c.ref - dt.timedelta(days=1), c.ref, "day") if c.ref else None


def _ago(m: re.Match[str], c: _Ctx) -> EventDate | None:
    if c.ref is None:
        return None
    pub = c.ref
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        return _day(pub - dt.timedelta(days=n))
    if unit == "week":
        start = pub - dt.timedelta(weeks=n, days=pub.weekday())
        return EventDate(start, start + dt.timedelta(days=6), "week")
    if unit == "month":
        return _months_from(-n)(m, c)
    return _year_span(pub.year - n)


def _calendar_week(offset: int) -> _Build:
    """'last week' (offset -1), 'next week' (+1): Monday to Sunday."""

    def build(_m: re.Match[str], c: _Ctx) -> EventDate | None:
        if c.ref is None:
            return None
        start = c.ref - dt.timedelta(days=c.ref.weekday()) + dt.timedelta(weeks=offset)
        return EventDate(start, start + dt.timedelta(days=6), "week")

    return build


def _rolling_week(_m: re.Match[str], c: _Ctx) -> EventDate | None:
    """'this week', 'in recent days', 'the past week': the seven days ending on publication."""
    return _week_to(c.ref) if c.ref else None


def _weekend(m: re.Match[str], c: _Ctx) -> EventDate | None:
    """'over the weekend': the Saturday and Sunday before publication ('last weekend' in a
    weekend article: the one before)."""
    if c.ref is None:
        return None
    sunday = c.ref - dt.timedelta(days=(c.ref.weekday() - 6) % 7)
    if m.group(0).lower().startswith("last") and c.ref.weekday() >= 5:
        sunday -= dt.timedelta(weeks=1)
    return EventDate(sunday - dt.timedelta(days=1), sunday, "week")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])", re.IGNORECASE)


_WEEKDAY_PHRASE = (
    r"(?:late\s+|early\s+)?(?P<last>last\s+)?(?P<next>next\s+|this\s+coming\s+)?" + _WEEKDAY
    + r"(?:\s+(?:night|morning|afternoon|evening))?"
)  # fmt: skip
_TODAY = r"(?:earlier\s+|early\s+|late\s+)?today|this\s+(?:morning|afternoon|evening)|tonight"
_RECENT = (
    r"(?:in\s+)?(?:the\s+)?(?:recent\s+|past\s+(?:few\s+)?|last\s+few\s+)days"
    r"|(?:the|this)\s+(?:past|last)\s+week|(?:earlier\s+)?this\s+week"
)
_EDGE = r"(?:early\s+|late\s+|mid-?|the\s+end\s+of\s+|the\s+start\s+of\s+)?"
_Rule = tuple[re.Pattern[str], _Build, DatePrecision]

# Rule order breaks ties between equally fine expressions: a full date before a weekday.
_RULES: tuple[_Rule, ...] = (
    (_rx(_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date, "day"),
    (_rx(_DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR), _full_date, "day"),
    (_rx(r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"), _iso_date, "day"),
    (_rx(_MONTH + r"\s+" + _DAY), _month_day, "day"),
    (_rx(_DAY + r"\s+(?:of\s+)?" + _MONTH), _month_day, "day"),
    (_rx(r"(?:in\s+|since\s+)?" + _MONTH + r"\s+(?:of\s+)?" + _YEAR), _month_year, "month"),
    (_rx(_MONTH + r"\s+(?:of\s+)?(?P<which>last|this|next)\s+year"), _month_relative_year, "month"),
    (_rx(r"last\s+" + _MONTH), _last_month_name, "month"),
    (_rx(r"next\s+" + _MONTH), _next_month_name, "month"),
    (_rx(_WEEKDAY_PHRASE), _weekday, "day"),
    (_rx(r"the\s+day\s+before\s+yesterday"), _days_back(2), "day"),
    (_rx(r"(?:late\s+|early\s+)?yesterday|last\s+night"), _days_back(1), "day"),
    (_rx(r"overnight"), _overnight, "day"),
    (_rx(_TODAY), _days_back(0), "day"),
    (_rx(_COUNT + r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago"), _ago, "day"),
    (_rx(r"(?:last|this\s+past|over\s+the|this)\s+weekend"), _weekend, "week"),
    (_rx(r"last\s+week"), _calendar_week(-1), "week"),
    (_rx(r"next\s+week"), _calendar_week(1), "week"),
    (_rx(_RECENT), _rolling_week, "week"),
    (_rx(r"(?:earlier\s+|later\s+)?this\s+month"), _months_from(0), "month"),
    (_rx(r"last\s+month"), _months_from(-1), "month"),
    (_rx(r"next\s+month"), _months_from(1), "month"),
    (_rx(r"(?:in|since|during|from|by|until|till)\s+" + _EDGE + _MONTH), _bare_month, "month"),
    (_rx(r"(?:in|during|since|of)\s+" + _EDGE + _YEAR), _year, "year"),
    (_rx(r"(?:earlier\s+|later\s+)?(?P<which>last|this|next)\s+year"), _relative_year, "year"),
)
