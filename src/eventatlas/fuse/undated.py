"""Undated articles dated by the company they keep.

An article that states no publication date shares events with dated articles; it was published
around when they were. Its inferred date is the median publication date of the dated articles
reporting the same current (not background) events placed at town level (a shared country or
region says little) and dated to the day or week, and only when they agree within
``MAX_SPREAD`` (else the events do not date it). Events inside it are then re-dated by
re-processing it with that date (``pipeline.process``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from eventatlas.records import EventMention

MAX_SPREAD = dt.timedelta(days=14)


def infer_dates(
    mentions: Iterable[EventMention], assignment: Mapping[str, str], undated: Iterable[str]
) -> dict[str, dt.date]:
    """Article id -> inferred publication date, for the ``undated`` articles that can have one."""
    wanted = set(undated)
    by_event: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        if m.id in assignment:
            by_event[assignment[m.id]].append(m)
    company: dict[str, set[dt.date]] = defaultdict(set)
    for ms in by_event.values():
        mine = {
            m.article_id
            for m in ms
            if m.article_id in wanted and m.status != "historical" and (m.geo_precision or 3) <= 2
        }
        dated = {
            m.published
            for m in ms
            if m.published is not None and m.status != "historical"
            and m.date.precision in ("day", "week")
        }  # fmt: skip
        for article_id in mine:
            company[article_id] |= dated
    out: dict[str, dt.date] = {}
    for article_id, dates in company.items():
        ordered = sorted(dates)
        if ordered and ordered[-1] - ordered[0] <= MAX_SPREAD:
            out[article_id] = ordered[len(ordered) // 2]
    return out
