"""Status and stance of an event in its sentence (docs/annotation/events.md section 8): a
denial or negation counts only where it governs the event; claims are a party's own acts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eventatlas.events.actors import ActorDictionary, load_actors
from eventatlas.events.attribution import Attribution, attribute, event_status
from eventatlas.events.dates import resolve_date


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return load_actors()


def said(nlp: Any, actors: ActorDictionary, text: str, trigger: str) -> Attribution:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    return attribute(token, actors)


@pytest.mark.parametrize(
    ("text", "trigger", "denied"),
    [
        # a denial or negation that governs the event
        ("The militia denied carrying out the strike.", "strike", True),
        ("The SDF denied that its fighters had shelled the town.", "shelled", True),
        ("Moscow denied reports that its jets had bombed the hospital.", "bombed", True),
        ("Turkish forces did not shell the village, officials in Ankara said.", "shell", True),
        ("The army said it never used chemical weapons.", "used", True),
        # one elsewhere denies nothing
        ("Weeks went by with no talk of a ceasefire.", "talk", False),
        ("Officials did not say who carried out the raid.", "raid", False),
        ("The shelling of the town had not stopped by nightfall.", "shelling", False),
        ("The Taliban rejected an offer of talks with the government.", "talks", False),
        ("The minister denied accusations that he had taken bribes.", "accusations", False),
        ("Damascus denied responsibility and blamed the rebels.", "blamed", False),
        ("The rebels rejected holding talks with the government.", "talks", False),
    ],
)
def test_a_denial_counts_only_where_it_governs_the_event(
    nlp: Any, actors: ActorDictionary, text: str, trigger: str, denied: bool
) -> None:
    a = said(nlp, actors, text, trigger)
    assert (a.status == "denied", a.stance) == (denied, "denies" if denied else "asserts")


def test_a_negated_future_is_a_refusal_reported(nlp: Any, actors: ActorDictionary) -> None:
    a = said(nlp, actors, "The government said it will not lift the ban.", "lift")
    assert (a.status, a.stance) == ("reported", "asserts")
    b = said(nlp, actors, "The workers said they will not end the strike.", "strike")
    assert (b.status, b.stance) == ("reported", "asserts")


def test_no_sentence_is_disputed(nlp: Any, actors: ActorDictionary) -> None:
    """One side asserting and another denying is seen across mentions, by fusion."""
    text = "The opposition said jets dropped chlorine, but Damascus denied using gas."
    for trigger in ("dropped", "using"):
        assert said(nlp, actors, text, trigger).status != "disputed"


@pytest.mark.parametrize(
    ("text", "trigger", "status"),
    [
        # a party asserting its own act claims it (or the reporter hedges)
        ("Islamic State claimed the bombing in a statement.", "bombing", "claimed"),
        ("Japan said on Tuesday it had halted economic aid to Serbia.", "halted", "claimed"),
        ("The SDF said its fighters had captured the dam.", "captured", "claimed"),
        ("Rebels allegedly shelled the market.", "shelled", "claimed"),
        ("Russian military police blocked a convoy, the Russian defence ministry said.",
         "blocked", "claimed"),
        # a party saying what happened reports it
        ("Israel said a mortar bomb was fired at it from Gaza.", "fired", "reported"),
        ("A roadside bomb killed a soldier, the military said.", "killed", "reported"),
        ("The Taliban rejected an offer to extend the ceasefire.", "rejected", "reported"),
    ],
)  # fmt: skip
def test_claimed_is_a_party_asserting_its_own_act(
    nlp: Any, actors: ActorDictionary, text: str, trigger: str, status: str
) -> None:
    assert said(nlp, actors, text, trigger).status == status


REPORTED = Attribution(None, "reported", "asserts")
PUB = dt.date(2018, 2, 14)


def test_future_dates_are_planned() -> None:
    when = resolve_date("The first hearing on 1 March.", PUB)
    assert event_status(REPORTED, when, "CONSULT") == "planned"
    assert event_status(REPORTED, when, "THREATEN") == "reported"  # a threat made is the event


def test_background_is_historical_and_a_denial_stays_one() -> None:
    when = resolve_date("The town was captured by rebels in 2013.", PUB)
    assert event_status(REPORTED, when, "COERCE") == "historical"
    denied = Attribution("Moscow", "denied", "denies")
    assert event_status(denied, when, "ASSAULT") == "denied"


def test_current_news_keeps_its_status() -> None:
    when = resolve_date("Jets struck the town last week.", PUB)
    assert event_status(REPORTED, when, "ASSAULT") == "reported"
    claimed = Attribution("Russian Ministry of Defence", "claimed", "asserts")
    assert event_status(claimed, resolve_date("No date here.", PUB), "ASSAULT") == "claimed"
