"""Bounds on the dates eventatlas takes from its inputs: in one place, each with its reason."""

from __future__ import annotations

import datetime as dt

# The earliest publication date an input may give. No article eventatlas reads is older; an
# earlier date is a placeholder (0001-01-01 is what many systems write for "no date") or a typo,
# and one at the start of the calendar breaks date arithmetic in every later stage.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)

# How far past today an input's publication date may run: a little slack for time zones,
# embargoed copy and scheduled posts. Further ahead it is a placeholder (3000-01-01) or a typo.
PUBLISHED_AHEAD = dt.timedelta(days=366)


def published_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be the publication date an input gives; None when it can be."""
    latest = (today or dt.date.today()) + PUBLISHED_AHEAD
    if EARLIEST_PUBLISHED <= day <= latest:
        return None
    return (
        f"published date {day.isoformat()} ignored: expected a date from "
        f"{EARLIEST_PUBLISHED.isoformat()} to {latest.isoformat()} (a year past today), so it "
        "is a placeholder or a typo; the date is detected from the text instead"
    )
