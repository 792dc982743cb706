"""Resolution in context, abstention, and ACLED geo-precision (tiny in-memory gazetteer)."""

from __future__ import annotations

from typing import Any

import pytest

from eventatlas.geo.geoparse import geo_precision, geoparse, geoparse_doc
from eventatlas.geo.normalise import name_key
from eventatlas.geo.recognise import Mention, Recognition
from eventatlas.geo.resolve import resolve
from eventatlas.records import Place
from tests.geo_memory import ROWS, MemoryGazetteer


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    return MemoryGazetteer()


def place(places: list[Place], name: str) -> Place:
    return next(p for p in places if p.name == name)


def test_context_chooses_among_same_named_places(nlp: Any, gaz: Any) -> None:
    us = geoparse("The fire in Alexandria, La. spread to Rapides Parish.", nlp, gaz)
    eg = geoparse("Protesters in Alexandria and Cairo, Egypt, marched again.", nlp, gaz)
    assert place(us, "Alexandria").country == "US"
    assert place(us, "Alexandria").geonameid == 4314550
    assert place(eg, "Alexandria").country == "EG"


def test_population_prior_without_context(nlp: Any, gaz: Any) -> None:
    places = geoparse("Ships were waiting off Alexandria.", nlp, gaz)
    assert place(places, "Alexandria").country == "EG"


def test_spellings_resolve_to_one_place(nlp: Any, gaz: Any) -> None:
    text = "Residents of Qamişlo fled to Kamishli, and others left Qamishli for Derik."
    places = geoparse(text, nlp, gaz)
    ids = {p.name: p.geonameid for p in places}
    assert ids["Qamişlo"] == ids["Kamishli"] == ids["Qamishli"] == 173576
    assert ids["Derik"] == 169389


def test_cue_word_selects_the_feature_kind(nlp: Any, gaz: Any) -> None:
    city = geoparse("Rebels shelled the city of Aleppo on Monday.", nlp, gaz)
    province = geoparse("Rebels shelled villages in Aleppo governorate on Monday.", nlp, gaz)
    assert place(city, "Aleppo").feature == "city"
    assert place(province, "Aleppo").feature == "admin1"


def test_a_bare_name_shared_by_province_and_town_means_the_town(nlp: Any, gaz: Any) -> None:
    places = geoparse("Fighting continued in Aleppo and Hasakah on Monday.", nlp, gaz)
    assert place(places, "Aleppo").feature == "city"
    assert place(places, "Hasakah").feature == "admin1"  # no town of that name in the index


def test_a_bare_name_shared_by_a_division_and_the_capital_means_the_capital(
    nlp: Any, gaz: Any
) -> None:
    bare = geoparse("Officials in Washington approved the deployment to Syria.", nlp, gaz)
    state = geoparse("Wildfires spread across Washington State on Monday.", nlp, gaz)
    assert place(bare, "Washington").geonameid == 4140963
    assert place(state, "Washington State").feature == "admin1"


def test_alternate_takes_the_resolution_of_its_partner(gaz: Any) -> None:
    mentions = (
        Mention("Malikiyah", 0, 9, name_key("Malikiyah"), "given", group=0),
        Mention("Dirkzzz", 11, 18, name_key("Dirkzzz"), "given", group=0),
    )
    places = resolve(Recognition(mentions, ()), gaz)
    assert places[0].geonameid == places[1].geonameid == 169389


def test_one_unknown_name_never_empties_the_rest(nlp: Any, gaz: Any) -> None:
    text = "Shelling hit the village of Kharabat Zaytun and the town of Manbij."
    places = geoparse(text, nlp, gaz)
    assert place(places, "Kharabat Zaytun").geonameid is None
    assert place(places, "Manbij").geonameid == 900006


def test_abstains_on_a_lone_far_away_candidate(gaz: Any) -> None:
    far = (
        (800001, "Tal Hamis", 12.0, 15.0, "TD", "01", "village", "PPL", 0, ()),
        *ROWS,
    )
    local = MemoryGazetteer(far)
    mentions = (
        Mention("Qamishli", 0, 8, name_key("Qamishli"), "given"),
        Mention("Hasakah", 10, 17, name_key("Hasakah"), "given"),
        Mention("Tal Hamis", 19, 28, name_key("Tal Hamis"), "given"),
    )
    places = resolve(Recognition(mentions, ("SY",)), local)
    assert places[2].geonameid is None
    assert places[0].geonameid == 173576


def test_places_keep_their_offsets(nlp: Any, gaz: Any) -> None:
    text = "Convoys left Manbij for the town of Tell Tamer near Hasakah."
    for p in geoparse_doc(nlp(text), gaz):
        assert text[p.start : p.end] == p.name


@pytest.mark.parametrize(
    ("feature", "cue", "expected"),
    [
        ("city", None, 1),
        ("village", "near", 2),
        ("city", "outskirts of", 2),
        ("city", "province", 3),
        ("admin2", None, 2),
        ("admin1", None, 3),
        ("country", "near", 3),
        ("site", None, 2),
    ],
)
def test_geo_precision(feature: str, cue: str | None, expected: int) -> None:
    p = Place("X", 0, 1, 1, 36.0, 38.0, "SY", feature)
    assert geo_precision(p, cue) == expected


def test_geo_precision_of_an_unresolved_place_is_none() -> None:
    assert geo_precision(Place("X", 0, 1), "near") is None
