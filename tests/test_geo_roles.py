"""People, organisations and names are not places; a place's role; regions; document focus.

Sentences written for these tests (not from any gold corpus), run through spaCy and the packaged
gazetteer.
"""

from __future__ import annotations

from typing import Any

from eventatlas.geo.geoparse import geoparse
from eventatlas.records import Place


def _by_name(places: list[Place]) -> dict[str, Place]:
    return {p.name: p for p in places}


def test_a_word_of_a_persons_name_is_not_a_place(nlp: Any, gazetteer: Any) -> None:
    text = "Defence minister Ben Carson told reporters that jets had struck Raqqa."
    found = _by_name(geoparse(text, nlp, gazetteer))
    assert "Ben" not in found
    assert found["Raqqa"].country == "SY"


def test_a_word_of_an_organisations_name_is_not_a_place(nlp: Any, gazetteer: Any) -> None:
    text = "Fighters of Ahrar al-Sham attacked an army post near Idlib on Friday."
    found = _by_name(geoparse(text, nlp, gazetteer))
    assert "al-Sham" not in found
    assert found["Idlib"].country == "SY"


def test_a_cue_inside_a_name_does_not_make_a_place(nlp: Any, gazetteer: Any) -> None:
    text = "In her State of the Union speech the president spoke about Iraq."
    names = {p.name for p in geoparse(text, nlp, gazetteer)}
    assert "Union" not in names
    assert "Iraq" in names


def test_roles_seat_and_descriptor(nlp: Any, gazetteer: Any) -> None:
    text = (
        "Moscow said Russian-backed forces shelled Douma, according to the London-based "
        "monitor, while the Damascus government kept silent."
    )
    roles = [(p.name, p.role) for p in geoparse(text, nlp, gazetteer)]
    assert ("Moscow", "seat") in roles
    assert ("Douma", "location") in roles
    assert ("London", "descriptor") in roles
    assert ("Damascus", "seat") in roles


def test_regions_are_regions_not_namesake_towns(nlp: Any, gazetteer: Any) -> None:
    text = "Oil prices rose as tensions in the Middle East and the Gulf grew this week."
    found = _by_name(geoparse(text, nlp, gazetteer))
    assert found["Middle East"].feature == "region"
    assert found["Gulf"].feature == "region"


def test_a_country_named_as_an_actor_does_not_pull_its_namesake_towns(
    nlp: Any, gazetteer: Any
) -> None:
    text = (
        "Syrian opposition delegates arrived in Geneva for another round of talks, and the US "
        "envoy said Damascus had to negotiate."
    )
    assert _by_name(geoparse(text, nlp, gazetteer))["Geneva"].country == "CH"


def test_a_division_is_not_a_small_seat_sharing_its_key(nlp: Any, gazetteer: Any) -> None:
    text = "Snow closed roads across Minnesota and Wisconsin on Tuesday."
    assert _by_name(geoparse(text, nlp, gazetteer))["Minnesota"].feature == "admin1"


def test_another_name_given_in_a_clause_is_the_same_place(nlp: Any, gazetteer: Any) -> None:
    text = "Turkish troops entered Afrin, also known as Efrîn, on Sunday."
    found = _by_name(geoparse(text, nlp, gazetteer))
    assert found["Afrin"].geonameid == found["Efrîn"].geonameid


def test_a_cue_gives_its_mention_the_kind_it_names(nlp: Any, gazetteer: Any) -> None:
    text = "Shells hit the city of Idlib on Monday, and jets struck villages in Idlib province."
    kinds = [p.feature for p in geoparse(text, nlp, gazetteer) if p.name == "Idlib"]
    assert kinds == ["city", "admin1"]
