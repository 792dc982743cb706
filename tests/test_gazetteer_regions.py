"""Regions and water bodies in the packaged gazetteer (issue 12): world and Middle East regions,
seas, rivers and lakes are entries of their own kind, and every supplement row is well formed."""

from __future__ import annotations

from typing import Any

import pytest

from eventatlas.datafiles import packaged_name, packaged_text
from eventatlas.errors import DataFileError
from eventatlas.geo.gazetteer_sources import FEATURE_KINDS, read_supplement
from eventatlas.geo.normalise import name_key

SUPPLEMENT = "gazetteer_supplement.csv"
HEADER = (
    "name,alternate_names,lat,lon,country,admin1,feature,feature_code,geonameid,population,"
    "provenance\n"
)

# (name as written in news, the kind it must resolve to, the entry's country or None)
REGIONS_AND_WATER = [
    ("Middle East", "region", None),
    ("the Gulf", "region", None),
    ("Levant", "region", None),
    ("Kurdistan", "region", None),
    ("Caucasus", "region", None),
    ("Sahel", "region", None),
    ("Balkans", "region", None),
    ("Trans-Euphrates", "region", "SY"),
    ("Western Ghouta", "region", "SY"),
    ("Eastern Ghouta", "region", "SY"),
    ("Golan Heights", "region", "SY"),
    ("Caspian Sea", "water", None),
    ("Bosphorus", "water", "TR"),
    ("Gulf of Oman", "water", None),
    ("Red Sea", "water", "YE"),
    ("Euphrates", "water", "SY"),
    ("Shatt al-Arab", "water", None),
    ("Lake Assad", "water", "SY"),
    ("Sea of Galilee", "water", "IL"),
]


@pytest.mark.parametrize(("name", "kind", "country"), REGIONS_AND_WATER)
def test_a_region_or_water_name_finds_an_entry_of_that_kind(
    gazetteer: Any, name: str, kind: str, country: str | None
) -> None:
    entries = gazetteer.lookup(name_key(name))
    areas = [e for e in entries if e.feature in ("region", "water")]
    assert areas, f"{name}: no region or water entry among {[e.id for e in entries]}"
    assert areas[0].feature == kind
    assert areas[0].country == country


@pytest.mark.parametrize(
    ("name", "iso"),
    [("US", "US"), ("U.S.", "US"), ("UK", "GB"), ("Britain", "GB"), ("UAE", "AE"),
     ("KSA", "SA"), ("DRC", "CD"), ("the Emirates", "AE")],
)  # fmt: skip
def test_country_short_names_find_the_country_first(gazetteer: Any, name: str, iso: str) -> None:
    first = gazetteer.lookup(name_key(name))[0]
    assert (first.feature, first.country) == ("country", iso)


def test_added_spellings_reach_the_governorate(gazetteer: Any) -> None:
    kinds = {(e.feature, e.country, e.admin1) for e in gazetteer.lookup(name_key("Idleb"))}
    assert ("admin1", "SY", "12") in kinds


def test_every_supplement_row_is_well_formed() -> None:
    rows = read_supplement(packaged_text(SUPPLEMENT), packaged_name(SUPPLEMENT))
    assert len(rows) > 500
    for named in rows:
        entry = named.entry
        assert -90.0 <= entry.lat <= 90.0, entry
        assert -180.0 <= entry.lon <= 180.0, entry
        assert entry.feature in FEATURE_KINDS, entry
        assert entry.country is not None or entry.feature in ("region", "water"), entry
    kinds = [n.entry.feature for n in rows]
    assert kinds.count("region") + kinds.count("water") >= 250


def test_every_supplement_row_states_its_provenance() -> None:
    text = packaged_text(SUPPLEMENT)
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert body[0].endswith(",provenance")
    assert all(not line.rstrip().endswith(",") for line in body[1:])
    # the reader itself refuses a row without one
    with pytest.raises(DataFileError):
        read_supplement(HEADER + "Somewhere,,10,20,,,region,RGN,,,\n", "test.csv")


def test_a_region_or_water_body_may_span_several_countries() -> None:
    row = "Levant,the Levant,33.5,36.5,,,region,RGN,,,by hand\n"
    (named,) = read_supplement(HEADER + row, "test.csv")
    assert named.entry.country is None
    assert named.entry.id == "sup:levant"
    assert named.names == ("Levant", "the Levant")


def test_a_site_still_needs_its_country() -> None:
    with pytest.raises(DataFileError, match="alpha-2"):
        read_supplement(HEADER + "Somewhere,,10,20,,,site,,,,x\n", "test.csv")


def test_an_admin1_column_names_the_division() -> None:
    row = "Idlib Governorate (names),Idleb,35.8,36.6,SY,12,admin1,ADM1,,,by hand\n"
    (named,) = read_supplement(HEADER + row, "test.csv")
    assert named.entry.admin1 == "12"
