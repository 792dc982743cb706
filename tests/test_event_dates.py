"""Time expressions resolved against the publication date (docs/annotation/events.md section 7)."""

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
        ("Earlier this month the SDF withdrew.", "2020-06-01", "2020-06-30", "month", False),
        ("In October 2019, Turkey launched an offensive.", "2019-10-01", "2019-10-31", "month",
         True),
        ("Russia launched an air campaign in 2015.", "2015-01-01", "2015-12-31", "year", True),
        ("It began in October of last year.", "2019-10-01", "2019-10-31", "month", True),
        ("Clashes intensified in recent days.", "2020-05-30", "2020-06-05", "week", False),
        ("Raids continued this week.", "2020-05-30", "2020-06-05", "week", False),
        ("The attack on December 30 killed two.", "2019-12-30", "2019-12-30", "day", True),
        ("The strike came yesterday.", "2020-06-04", "2020-06-04", "day", False),
        ("Police arrested him two days ago.", "2020-06-03", "2020-06-03", "day", False),
        ("They met on 3 June 2019.", "2019-06-03", "2019-06-03", "day", True),
        ("The rebels took the town last year.", "2019-01-01", "2019-12-31", "year", True),
        ("Jets struck the city overnight.", "2020-06-04", "2020-06-05", "day", False),
        ("Fighting has raged since Tuesday.", "2020-06-02", "2020-06-05", "day", False),
        ("Militias clashed over the weekend.", "2020-05-30", "2020-05-31", "week", False),
    ],
)  # fmt: skip
def test_expressions(sentence: str, start: str, end: str, precision: str, historical: bool) -> None:
    found = resolve_date(sentence, PUB)
    assert found.date.start == dt.date.fromisoformat(start)
    assert found.date.end == dt.date.fromisoformat(end)
    assert found.date.precision == precision
    assert found.historical is historical
    assert found.future is False


def test_last_week_is_the_calendar_week_before_publication() -> None:
    found = resolve_date("Gunmen attacked a checkpoint last week.", dt.date(2017, 4, 13))
    assert (found.date.start, found.date.end) == (dt.date(2017, 4, 3), dt.date(2017, 4, 9))
    assert found.date.precision == "week"


def test_future_stays_future() -> None:
    """'the first hearing on 1 March' in an article of 14 February 2018 is 2018-03-01."""
    pub = dt.date(2018, 2, 14)
    for text in ("The first hearing on 1 March.", "The first hearing will be held on 1 March."):
        found = resolve_date(text, pub)
        assert found.date == resolve_date("On 1 March 2018.", None).date
        assert (found.future, found.historical) == (True, False)


def test_a_future_cue_moves_weekdays_and_months_ahead() -> None:
    meet = resolve_date("The ministers will meet on Tuesday.", PUB)
    assert (meet.date.start, meet.future) == (dt.date(2020, 6, 9), True)
    assert resolve_date("Elections are scheduled for 2 May.", PUB).date.start == dt.date(2021, 5, 2)
    assert resolve_date("Talks resume next week.", PUB).date.start == dt.date(2020, 6, 8)
    assert resolve_date("Talks resume next week.", PUB).future is True
    assert resolve_date("The troops will withdraw in March.", PUB).date.start == dt.date(2021, 3, 1)


def test_a_past_date_far_ahead_of_publication_is_last_years() -> None:
    """Without a future cue a day beyond the window ahead is the most recent one."""
    found = resolve_date("Rebels captured the town on October 20.", PUB)
    assert (found.date.start, found.historical) == (dt.date(2019, 10, 20), True)


def test_background_without_a_publication_date() -> None:
    """In an undated article a date naming its year is background ('in 2013'), unless the
    sentence dates its own event by a relative expression nothing resolves."""
    found = resolve_date("Since 2013, the group has held the town.", None)
    assert (found.date.start, found.historical) == (dt.date(2013, 1, 1), True)
    assert resolve_date("In March 2011 protests began.", None).historical is True
    current = resolve_date("On Thursday Israel mobilised, in scenes reminiscent of 2008.", None)
    assert (current.date.precision, current.historical) == ("unknown", False)


def test_the_date_of_a_saying_yields_to_the_date_of_the_event() -> None:
    found = resolve_date("The group said on Monday it carried out a bombing on Sunday.", PUB)
    assert found.date.start == dt.date(2020, 5, 31)
    alone = resolve_date("The ministry said on Wednesday that jets struck the town.", PUB)
    assert alone.date.start == dt.date(2020, 6, 3)  # the only date: the saying's


def test_a_dateline_is_not_the_event_date() -> None:
    found = resolve_date("Fri Jun 5 2020 Five killed in a strike on Tuesday.", PUB)
    assert found.date.start == dt.date(2020, 6, 2)
    only = resolve_date("5 June 2020 - Five killed in an air strike.", PUB)
    assert (only.date.start, only.date.end, only.date.precision) == (
        dt.date(2020, 5, 30), PUB, "week",
    )  # fmt: skip
    undated_article = resolve_date("AFP  Friday 5 Jun 2020  Five were killed on Tuesday.", None)
    assert undated_article.date.start == dt.date(2020, 6, 2)


def test_a_date_in_a_name_is_not_a_date() -> None:
    found = resolve_date("Shells landed near April 7th Street.", PUB)
    assert found.expression is None


def test_no_expression_is_the_week_ending_on_publication() -> None:
    """Section 7: an undated news event takes the publication date with precision week."""
    found = resolve_date("Troops blocked the road.", PUB)
    assert (found.date.start, found.date.end, found.date.precision) == (
        dt.date(2020, 5, 30), PUB, "week",
    )  # fmt: skip
    assert (found.expression, found.historical, found.future) == (None, False, False)


def test_no_expression_and_no_publication_is_unknown() -> None:
    found = resolve_date("Troops blocked the road.", None)
    assert (found.date.start, found.date.end, found.date.precision) == (None, None, "unknown")


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


@given(pub=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_future_dates_are_never_background(pub: dt.date) -> None:
    for text in ("Talks will resume on Tuesday.", "Talks resume next month.",
                 "The vote is set for 3 March."):  # fmt: skip
        found = resolve_date(text, pub)
        assert not (found.future and found.historical)
        if found.future and found.date.start is not None:
            assert found.date.start >= pub
