"""When an event happened: time expressions resolved against the publication date.

``resolve_date(sentence, published)`` finds the most specific time expression in a sentence and
turns it into an :class:`EventDate` interval with ACLED-like precision (day, week, month, year),
and says whether the event is background (``historical``): dated more than a month before
publication. Relative expressions ('Tuesday', 'last week', 'earlier this month', 'October of
last year', 'in recent days') need the publication date; without it they give precision
``unknown``. A sentence without a time expression gets ``unknown`` ending at publication: the
event happened no later than the article reports it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from eventatlas.records import DatePrecision, EventDate

HISTORICAL_AFTER = dt.timedelta(days=31)

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


@dataclass(frozen=True)
class DateFinding:
    """The event date a sentence gives, the words that gave it, and whether it is background."""

    date: EventDate
    expression: str | None
    historical: bool


def resolve_date(sentence: str, published: dt.date | None) -> DateFinding:
    """The event date of ``sentence`` (see the module docstring)."""
    for pattern, build in _RULES:
        for match in pattern.finditer(sentence):
            try:
                date = build(match, published)
                historical = date is not None and _historical(date, published)
            except (OverflowError, ValueError):  # counting back from 0001-01-01, on to 9999
                continue
            if date is not None:
                return DateFinding(date, match.group(0).strip(), historical)
    return DateFinding(EventDate(None, published, "unknown"), None, False)


def undated(published: dt.date | None) -> EventDate:
    return EventDate(None, published, "unknown")


def _historical(date: EventDate, published: dt.date | None) -> bool:
    if published is None or date.end is None:
        return False
    return date.end < published - HISTORICAL_AFTER


def _day(d: dt.date) -> EventDate:
    return EventDate(d, d, "day")


def _span(start: dt.date, end: dt.date, precision: DatePrecision) -> EventDate:
    return EventDate(start, end, precision)


def _month_span(year: int, month: int, until: dt.date | None = None) -> EventDate:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return _span(dt.date(year, month, 1), min(last, until) if until else last, "month")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_date(m: re.Match[str], _pub: dt.date | None) -> EventDate | None:
    d = _safe_date(int(m["year"]), _MONTHS[m["month"].lower()], int(m["day"]))
    return _day(d) if d else None


def _iso_date(m: re.Match[str], _pub: dt.date | None) -> EventDate | None:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return _day(d) if d else None


def _month_day(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    month, day = _MONTHS[m["month"].lower()], int(m["day"])
    d = _safe_date(pub.year, month, day)
    if d is not None and d > pub + dt.timedelta(days=2):  # 'December 30' in a January article
        d = _safe_date(pub.year - 1, month, day)
    return _day(d) if d else None


def _month_year(m: re.Match[str], _pub: dt.date | None) -> EventDate:
    return _month_span(int(m["year"]), _MONTHS[m["month"].lower()])


def _month_relative_year(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    offset = -1 if m["which"].lower() == "last" else 0
    return _month_span(pub.year + offset, _MONTHS[m["month"].lower()])


def _last_month_name(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    """'last October': the most recent October before the publication month."""
    if pub is None:
        return None
    month = _MONTHS[m["month"].lower()]
    return _month_span(pub.year if month < pub.month else pub.year - 1, month)


def _bare_month(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    """'in June': this year's June, or last year's when June is still to come."""
    if pub is None:
        return None
    month = _MONTHS[m["month"].lower()]
    year = pub.year if month <= pub.month else pub.year - 1
    return _month_span(year, month, until=pub if month == pub.month else None)


def _this_month(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    return _month_span(pub.year, pub.month, until=pub) if pub else None


def _last_month(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    first = pub.replace(day=1) - dt.timedelta(days=1)
    return _month_span(first.year, first.month)


def _year(m: re.Match[str], _pub: dt.date | None) -> EventDate:
    year = int(m["year"])
    return _span(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _relative_year(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    year = pub.year - 1 if m["which"].lower() == "last" else pub.year
    end = dt.date(year, 12, 31) if year < pub.year else pub
    return _span(dt.date(year, 1, 1), end, "year")


def _weekday(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    back = (pub.weekday() - _WEEKDAYS[m["weekday"].lower()]) % 7
    if (m.groupdict().get("last") or "").lower() == "last" and back == 0:
        back = 7
    return _day(pub - dt.timedelta(days=back))


def _days_back(days: int) -> Callable[[re.Match[str], dt.date | None], EventDate | None]:
    def build(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
        return _day(pub - dt.timedelta(days=days)) if pub else None

    return build


def _ago(m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        return _day(pub - dt.timedelta(days=n))
    if unit == "week":
        start = pub - dt.timedelta(weeks=n, days=pub.weekday())
        return _span(start, start + dt.timedelta(days=6), "week")
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
        return _month_span(y, mo + 1)
    return _span(dt.date(pub.year - n, 1, 1), dt.date(pub.year - n, 12, 31), "year")


def _last_week(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    if pub is None:
        return None
    start = pub - dt.timedelta(days=pub.weekday() + 7)
    return _span(start, start + dt.timedelta(days=6), "week")


def _this_week(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    return _span(pub - dt.timedelta(days=pub.weekday()), pub, "week") if pub else None


def _recent_days(_m: re.Match[str], pub: dt.date | None) -> EventDate | None:
    return _span(pub - dt.timedelta(days=7), pub, "week") if pub else None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])", re.IGNORECASE)


_WEEKDAY_PHRASE = (
    r"(?:late\s+|early\s+)?(?P<last>last\s+)?" + _WEEKDAY
    + r"(?:\s+(?:night|morning|afternoon|evening))?"
)  # fmt: skip
_TODAY = r"(?:earlier\s+|early\s+|late\s+)?today|this\s+(?:morning|afternoon|evening)|tonight"
_RECENT = r"(?:in\s+)?(?:the\s+)?(?:recent\s+|past\s+(?:few\s+)?|last\s+(?:few\s+)?)days"
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], dt.date | None], EventDate | None]]

# Most specific first: a full date beats a weekday in the same sentence.
_RULES: tuple[_Rule, ...] = (
    (_rx(_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date),
    (_rx(_DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR), _full_date),
    (_rx(r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"), _iso_date),
    (_rx(_MONTH + r"\s+" + _DAY), _month_day),
    (_rx(_DAY + r"\s+(?:of\s+)?" + _MONTH), _month_day),
    (_rx(r"(?:in\s+)?" + _MONTH + r"\s+(?:of\s+)?" + _YEAR), _month_year),
    (_rx(_MONTH + r"\s+(?:of\s+)?(?P<which>last|this)\s+year"), _month_relative_year),
    (_rx(r"last\s+" + _MONTH), _last_month_name),
    (_rx(_WEEKDAY_PHRASE), _weekday),
    (_rx(r"(?:late\s+|early\s+)?yesterday|last\s+night|overnight"), _days_back(1)),
    (_rx(_TODAY), _days_back(0)),
    (_rx(r"the\s+day\s+before\s+yesterday"), _days_back(2)),
    (_rx(_COUNT + r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago"), _ago),
    (_rx(r"last\s+week(?:end)?"), _last_week),
    (_rx(r"(?:earlier\s+)?this\s+week"), _this_week),
    (_rx(_RECENT), _recent_days),
    (_rx(r"(?:earlier\s+)?this\s+month"), _this_month),
    (_rx(r"last\s+month"), _last_month),
    (_rx(r"(?:in|since|during|from|by)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH), _bare_month),
    (_rx(r"(?:in|during|since|of)\s+(?:early\s+|late\s+|mid-?)?" + _YEAR), _year),
    (_rx(r"(?P<which>last|this)\s+year"), _relative_year),
)
