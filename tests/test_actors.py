"""Actors: the dictionary, the generic fallback, sources kept apart, and roles from the parse."""

from __future__ import annotations

from typing import Any

import pytest

from eventatlas.events.actors import ActorDictionary, default_actors
from eventatlas.events.participants import participants, with_place_country
from eventatlas.records import Actor, Place


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return default_actors()


def names(d: ActorDictionary, text: str) -> list[tuple[str, str | None, str]]:
    return [(s.actor.name, s.actor.country, s.role) for s in d.find(text)]


def roles(nlp: Any, d: ActorDictionary, text: str, trigger: str) -> tuple[set[str], set[str]]:
    doc = nlp(text)
    tok = next(t for t in doc if t.text == trigger)
    acting, acted_on = participants(tok, d.find(doc.text))
    return {a.name for a in acting}, {a.name for a in acted_on}


def test_dictionary_lookup_aliases_and_acronyms(actors: ActorDictionary) -> None:
    assert names(actors, "Daesh fighters attacked the SDF.")[-1][:2] == (
        "Syrian Democratic Forces (SDF)",
        "SYR",
    )
    assert actors.lookup("ISIS") == actors.lookup("Daesh")
    assert names(actors, "the Syrian army") == [("Syrian Arab Army", "SYR", "actor")]
    # "IS" the group in capitals only, never the verb
    assert [n for n, _, _ in names(actors, "It is said IS struck.")] == ["Islamic State"]


def test_country_names_are_state_actors(actors: ActorDictionary) -> None:
    assert names(actors, "Zambia extradited him.") == [("Zambia", "ZMB", "actor")]


def test_generic_fallback_country_adjective_and_role(actors: ActorDictionary) -> None:
    assert names(actors, "Turkish troops") == [("Turkish military", "TUR", "actor")]
    assert names(actors, "Iraqi police") == [("Iraqi police", "IRQ", "actor")]
    assert names(actors, "Syrian rebels") == [("Syrian rebels", "SYR", "actor")]
    # the name so made is looked up in the dictionary: the gold's name for the Syrian army
    assert names(actors, "Syrian soldiers") == [("Syrian Arab Army", "SYR", "actor")]
    # victims keep the country as a field, as ACLED codes "Civilians (Iraq)"
    assert names(actors, "Iraqi civilians") == [("Civilians", "IRQ", "actor")]


def test_compound_nationality_names_the_military(actors: ActorDictionary) -> None:
    assert names(actors, "Russian airstrikes") == [("Russian military", "RUS", "actor")]
    both = names(actors, "Russian and Syrian warplanes")
    assert [n for n, _, _ in both] == ["Russian military", "Syrian Arab Army"]
    assert names(actors, "Syrian government shelling")[0][0] == "Syrian Arab Army"
    assert names(actors, "airstrikes hit the town") == []  # a weapon alone names no one


def test_sources_are_not_actors(actors: ActorDictionary) -> None:
    assert names(actors, "the Syrian Observatory for Human Rights")[0][2] == "source"
    assert names(actors, "a monitor said")[0][2] == "source"
    assert names(actors, "state media reported")[0][2] == "source"


def test_a_title_before_a_name_yields_to_the_name(actors: ActorDictionary) -> None:
    assert [n for n, _, _ in names(actors, "Russian President Vladimir Putin")] == [
        "Vladimir Putin"
    ]


def test_role_nouns_take_the_place_country(actors: ActorDictionary) -> None:
    rebels = Actor("rebels", None, "REB")
    unknown = Actor("Unidentified armed group", None, "UAF")
    place = Place("Aleppo", 0, 6, country="SY")
    got = with_place_country((rebels, Actor("Civilians", None, "CVL"), unknown), place)
    assert got == (
        Actor("Syrian rebels", "SYR", "REB"),
        Actor("Civilians", "SYR", "CVL"),
        Actor("Unidentified armed group", "SYR", "UAF"),  # ACLED's "(Syria)"
    )


def test_passive_agent_and_means(nlp: Any, actors: ActorDictionary) -> None:
    acting, _ = roles(
        nlp, actors, "The convoy was targeted by Russian jets near Idlib.", "targeted"
    )
    assert acting == {"Russian military"}
    acting, acted_on = roles(
        nlp, actors, "Four civilians were killed in Israeli tank shelling on Friday.", "killed"
    )
    assert acting == {"Israel Defense Forces (IDF)"}
    assert acted_on == {"Civilians"}


def test_the_reporter_is_not_the_actor(nlp: Any, actors: ActorDictionary) -> None:
    acting, acted_on = roles(
        nlp, actors, "Five civilians were killed in Aleppo, officials said.", "killed"
    )
    assert acting == set()
    assert acted_on == {"Civilians"}


def test_coordinated_subjects_are_all_actors(nlp: Any, actors: ActorDictionary) -> None:
    acting, acted_on = roles(
        nlp, actors, "Russia and Iran accused Turkey of aggression.", "accused"
    )
    assert acting == {"Russia", "Iran"}
    assert acted_on == {"Turkey"}
