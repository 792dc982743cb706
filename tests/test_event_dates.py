"""Time expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventatlas.events.dates import resolve_date

PUB = dt.date(2020, 6, 5)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "start", "end", "precision", "historical"),
    [
        ("Troops blocked the convoy on Tuesday.", "2020-06-02", "2020-06-02", "day", False),
        ("Late Sunday, a drone struck the base.", "2020-05-31", "2020-05-31", "day", False),
        ("The patrol was stopped last week.", "2020-05-25", "2020-05-31", "week", False),
        ("On June 3, forces shelled the town.", "2020-06-03", "2020-06-03", "day", False),
        ("Earlier this month the SDF withdrew.", "2020-06-01", "2020-06-05", "month", False),
        ("In October 2019, Turkey launched an offensive.", "2019-10-01", "2019-10-31", "month",
         True),
        ("Russia launched an air campaign in 2015.", "2015-01-01", "2015-12-31", "year", True),
        ("It began in October of last year.", "2019-10-01", "2019-10-31", "month", True),
        ("Clashes intensified in recent days.", "2020-05-29", "2020-06-05", "week", False),
        ("The attack on December 30 killed two.", "2019-12-30", "2019-12-30", "day", True),
        ("The strike came yesterday.", "2020-06-04", "2020-06-04", "day", False),
        ("Police arrested him two days ago.", "2020-06-03", "2020-06-03", "day", False),
        ("They met on 3 June 2019.", "2019-06-03", "2019-06-03", "day", True),
    ],
)  # fmt: skip
def test_expressions(
    sentence: str, start: str, end: str, precision: str, historical: bool
) -> None:
    found = resolve_date(sentence, PUB)
    assert found.date.start == dt.date.fromisoformat(start)
    assert found.date.end == dt.date.fromisoformat(end)
    assert found.date.precision == precision
    assert found.historical is historical


def test_no_expression_is_unknown_up_to_publication() -> None:
    found = resolve_date("Troops blocked the road.", PUB)
    assert (found.date.start, found.date.end, found.date.precision) == (None, PUB, "unknown")
    assert found.expression is None


def test_relative_expressions_need_a_publication_date() -> None:
    assert resolve_date("It happened on Tuesday.", None).date.precision == "unknown"
    assert resolve_date("In March 2011 protests began.", None).date.precision == "month"


@given(
    pub=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    text=st.text(max_size=80),
)
def test_never_after_publication_for_relative_text(pub: dt.date, text: str) -> None:
    """Whatever the text, resolution never raises, and an interval never ends before it starts."""
    found = resolve_date(text, pub)
    d = found.date
    if d.start is not None and d.end is not None:
        assert d.start <= d.end


@given(
    pub=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    day=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                         "Sunday"]),
)  # fmt: skip
def test_weekdays_fall_in_the_week_before_publication(pub: dt.date, day: str) -> None:
    found = resolve_date(f"Fighting broke out on {day}.", pub)
    assert found.date.start is not None
    assert pub - dt.timedelta(days=6) <= found.date.start <= pub
    assert found.date.start.strftime("%A") == day
