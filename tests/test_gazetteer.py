"""The gazetteer index: build from dumps, areas and supplement; exact, fuzzy and area look-ups."""

from __future__ import annotations

import logging
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from eventatlas import registry
from eventatlas.errors import DataFileError, UsageError
from eventatlas.geo import gazetteer as gazetteer_module
from eventatlas.geo.gazetteer import (
    Gazetteer,
    build_index,
    default_index_path,
    dump_paths,
    fingerprint,
    open_gazetteer,
)
from eventatlas.geo.gazetteer_sources import capital_ids, city_entry, read_supplement
from eventatlas.geo.geonames_dump import (
    feature_kind,
    read_alternate_names,
    read_dump,
)
from eventatlas.geo.normalise import name_key
from eventatlas.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"
DUMP = FIXTURES / "XX.txt"
ALTERNATES = FIXTURES / "alternateNamesV2.txt"
SUPPLEMENT_HEADER = (
    "name,alternate_names,lat,lon,country,feature,feature_code,geonameid,population,provenance\n"
)


def build_fixture(path: Path) -> Path:
    return build_index(
        path,
        [DUMP, ALTERNATES],
        FIXTURES / "supplement.csv",
        include_cities500=False,
        areas=FIXTURES / "areas.csv",
    )


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    path = build_fixture(tmp_path_factory.mktemp("gaz") / "index.sqlite")
    opened = Gazetteer(path)
    yield opened
    opened.close()


def ids(entries: list[object]) -> list[str]:
    return [e.id for e in entries]  # type: ignore[attr-defined]


# -- dump reader ----------------------------------------------------------------------------


def test_dump_rows_become_entries_with_the_contract_feature_kinds() -> None:
    entries = {n.entry.geonameid: n for n in read_dump(DUMP)}
    assert len(entries) == len(DUMP.read_text("utf-8").splitlines())
    kinds = {gid: n.entry.feature for gid, n in entries.items()}
    assert kinds[9000001] == "country"
    assert kinds[9000002] == "admin1"
    assert kinds[9000003] == "city"  # PPLC
    assert kinds[9000004] == "village"  # PPL, 3 200 people
    assert kinds[9000005] == "city"  # PPLA2: an administrative seat
    assert kinds[9000006] == "water"
    assert kinds[9000007] == "road"
    assert kinds[9000008] == "site"
    assert kinds[9000009] == "region"
    assert kinds[9000010] == "admin2"
    assert kinds[9000011] == "city"  # PPL, 12 500 people
    capital = entries[9000003]
    assert capital.entry.id == "gn:9000003"
    assert capital.entry.admin1 == "01"
    assert capital.entry.source == "geonames-dump:XX.txt"
    assert "Al-Qasr City" in capital.names
    assert "مدينة القصر" in capital.names


@pytest.mark.parametrize(
    ("feature_class", "code", "population", "expected"),
    [
        ("P", "PPL", 9_999, "village"),
        ("P", "PPL", 10_000, "city"),
        ("P", "PPLA", 0, "city"),
        ("A", "PCLI", 0, "country"),
        ("A", "ADM3", 0, "admin2"),
        ("H", "LK", 0, "water"),
        ("L", "OILF", 0, "region"),
        ("Q", "XYZ", 0, "region"),
    ],
)
def test_feature_kind_mapping(
    feature_class: str, code: str, population: int, expected: str
) -> None:
    assert feature_kind(feature_class, code, population) == expected


def test_alternate_names_skip_links_and_codes() -> None:
    rows = list(read_alternate_names(ALTERNATES))
    names = {r.name for r in rows}
    assert "Qasr" in names
    assert "Girê Spî Nû" in names
    assert not any(n.startswith("http") or n in {"QSR", "12345"} for n in names)


def test_zipped_dump_reads_like_the_text(tmp_path: Path) -> None:
    archive = tmp_path / "XX.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(DUMP, "XX.txt")
        handle.writestr("readme.txt", "not a table")
    zipped = [replace(n.entry, source="") for n in read_dump(archive)]
    assert zipped == [replace(n.entry, source="") for n in read_dump(DUMP)]
    assert next(iter(read_dump(archive))).entry.source == "geonames-dump:XX.zip"


def test_a_row_with_missing_columns_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    lines = DUMP.read_text("utf-8").splitlines()
    bad.write_text("\n".join([lines[0], "123\tonly\tthree"]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 2"):
        list(read_dump(bad))


def test_cities500_rows_capitals_and_codes() -> None:
    countries = {"XX": {"capital": "Madinat al Qasr"}, "YY": {"capital": ""}}

    def row(gid: int, name: str, population: int, alternates: list[str]) -> dict[str, object]:
        return {
            "geonameid": gid,
            "name": name,
            "latitude": 10.0,
            "longitude": 20.0,
            "countrycode": "XX",
            "population": population,
            "admin1code": "01",
            "alternatenames": alternates,
        }

    rows = [
        row(1, "Madinat al Qasr", 900, ["QSR", "Qasr", "OSM"]),
        row(2, "Madinat al Qāsr", 50, []),
        row(3, "Kafr", 12_000, ["Kafr"]),
        row(4, "Tall", 600, []),
    ]
    capitals = capital_ids(countries, rows)
    assert capitals == frozenset({1})
    entries = [city_entry(r, capitals) for r in rows]
    assert [(e.entry.feature, e.entry.feature_code) for e in entries] == [
        ("city", "PPLC"),
        ("village", "PPL"),
        ("city", "PPL"),
        ("village", "PPL"),
    ]
    assert entries[0].names == ("Madinat al Qasr", "Qasr")  # airport codes left out
    assert entries[2].names == ("Kafr",)


# -- exact look-ups -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "entry_id"),
    [
        ("Tell Abyad al-Jadid", "gn:9000004"),
        ("Tal Abyad Jdeideh", "gn:9000004"),
        ("Girê Spî Nû", "gn:9000004"),  # from the alternate-names file
        ("‘Ayn Dārah", "gn:9000005"),
        ("Ain Dara", "gn:9000005"),
        ("Aïn Dârâ", "gn:9000005"),  # alternate-names file
        ("Ayn Darah Spring Town", "gn:9000005"),  # supplement row merged by geonameid
        ("Qasr", "gn:9000003"),
        ("Shamal Dam", "sup:xx-sadd-shamal"),
        ("Ksandria", "gn:9000001"),  # areas row merged into the dump's country
        ("Northern Province", "gn:9000002"),  # areas admin1 merged into the dump's ADM1
        ("Janub Governorate", "adm1:XX.02"),  # areas admin1 the dump lacks
    ],
)
def test_lookup_finds_every_spelling(gaz: Gazetteer, spelling: str, entry_id: str) -> None:
    assert entry_id in ids(gaz.lookup(spelling))
    assert entry_id in ids(gaz.lookup(name_key(spelling)))
    assert gaz.is_name(name_key(spelling))


def test_codes_links_and_orphans_are_not_names(gaz: Gazetteer) -> None:
    for text in ("QSR", "12345", "Nowhere", "https://en.wikipedia.org/wiki/Qasr_(fictional)"):
        assert not gaz.is_name(name_key(text)), text
        assert gaz.lookup(text) == []


def test_merged_supplement_row_makes_no_entry_of_its_own(gaz: Gazetteer) -> None:
    assert gaz.get("sup:xx-ain-dara") is None
    merged = gaz.get("gn:9000005")
    assert merged is not None
    assert merged.source == "geonames-dump:XX.txt"


def test_supplement_population_raises_a_lower_one_only(gaz: Gazetteer) -> None:
    raised = gaz.get("gn:9000004")
    assert raised is not None
    assert (raised.population, raised.feature) == (15_000, "city")
    assert "gn:9000004" in ids(gaz.lookup("Gire Spi Jadid"))
    kept = gaz.get("gn:9000011")
    assert kept is not None
    assert kept.population == 12_500


def test_supplement_rows_get_the_admin1_of_the_nearest_settlement(gaz: Gazetteer) -> None:
    dam = gaz.get("sup:xx-sadd-shamal")
    assert dam is not None
    assert (dam.feature, dam.feature_code, dam.country, dam.admin1) == ("site", "DAM", "XX", "01")
    assert dam.source == "supplement"
    assert dam.geonameid is None


def test_lookup_orders_by_population(gaz: Gazetteer) -> None:
    found = gaz.lookup("Abyad")  # not a full name: nothing
    assert found == []
    both = gaz.lookup("Shamal")  # the ADM1 (1.2 M) and nothing else
    assert [e.population for e in both] == sorted((e.population for e in both), reverse=True)


def test_country_admin1_and_get(gaz: Gazetteer) -> None:
    country = gaz.country("xx")
    assert country is not None
    assert country.id == "gn:9000001"
    assert country.feature == "country"
    north = gaz.admin1("XX", "01")
    assert north is not None
    assert north.geonameid == 9000002
    south = gaz.admin1("XX", "02")
    assert south is not None
    assert south.id == "adm1:XX.02"
    assert (south.lat, south.lon) == (9.5, 20.0)
    assert gaz.admin1("XX", "99") is None
    assert gaz.country("ZZ") is None
    assert gaz.get("gn:1") is None


def test_max_name_tokens_is_the_longest_indexed_key(gaz: Gazetteer) -> None:
    names = [n for named in read_dump(DUMP) for n in named.names]
    names += [a.name for a in read_alternate_names(ALTERNATES)]
    supplement = read_supplement((FIXTURES / "supplement.csv").read_text("utf-8"), "fixture")
    names += [n for named in supplement for n in named.names]
    longest = max(len(name_key(n).split()) for n in names)
    assert gaz.max_name_tokens() >= longest
    assert gaz.max_name_tokens() <= 8


# -- fuzzy ----------------------------------------------------------------------------------


def test_fuzzy_finds_a_misspelling(gaz: Gazetteer) -> None:
    found = gaz.fuzzy("Tal Abyad Jadeid")
    assert found
    assert found[0][0].id == "gn:9000004"
    assert 0.85 <= found[0][1] < 1.0


def test_fuzzy_results_are_thresholded_sorted_and_unique(gaz: Gazetteer) -> None:
    for query in ("Madinat Qasir", "Kafr Sultaan", "Ain Darra", "Xandrya"):
        found = gaz.fuzzy(query, limit=5, min_score=0.8)
        scores = [score for _, score in found]
        assert all(score >= 0.8 for score in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({e.id for e, _ in found}) == len(found)
        assert len(found) <= 5


def test_fuzzy_misses_nothing_a_full_scan_finds(gaz: Gazetteer) -> None:
    """The trigram filter keeps every key within the threshold (checked against all keys)."""
    with sqlite3.connect(gaz.path) as conn:
        keys = [str(r[0]) for r in conn.execute("SELECT key FROM fuzzy_keys")]
    assert len(keys) > 20
    queries = set()
    for key in keys:
        for i in range(0, len(key), 3):
            queries.add(key[:i] + key[i + 1 :])  # a letter dropped
            queries.add(key[:i] + "x" + key[i + 1 :])  # a letter changed
    for min_score in (0.8, 0.85, 0.9):
        for query in sorted(q for q in queries if len(name_key(q)) >= 4):
            query_key = name_key(query)
            expected = {
                e.id
                for k in keys
                if Levenshtein.normalized_similarity(query_key, k) >= min_score
                for e in gaz.lookup(k)
            }
            found = {e.id for e, _ in gaz.fuzzy(query, limit=1000, min_score=min_score)}
            assert found == expected, (query, min_score)


def test_fuzzy_gives_nothing_for_unrelated_or_short_keys(gaz: Gazetteer) -> None:
    assert gaz.fuzzy("Completely Different") == []
    assert gaz.fuzzy("Qa") == []
    assert gaz.fuzzy("Qasr", min_score=1.0) == [(gaz.get("gn:9000003"), 1.0)]


# -- building and opening -------------------------------------------------------------------


def test_build_leaves_only_the_index(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "index.sqlite"
    build_fixture(target)
    assert [p.name for p in target.parent.iterdir()] == ["index.sqlite"]
    with sqlite3.connect(target) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"entries", "names", "grams", "gram_df", "fuzzy_keys", "meta"} <= tables


def test_the_connection_is_made_on_first_query(tmp_path: Path) -> None:
    lazy = Gazetteer(tmp_path / "absent.sqlite")
    with pytest.raises(DataFileError, match="open_gazetteer"):
        lazy.lookup("anything")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Somewhere,,91,20,XX,site,,,,x", "lat within"),
        ("Somewhere,,10,20,XX,castle,,,,x", "feature in"),
        ("Somewhere,,10,20,Xandria,site,,,,x", "alpha-2"),
        ("Somewhere,,ten,20,XX,site,,,,x", "decimal"),
        ("Somewhere,,10,20,XX,site,,12a,,x", "whole number"),
        ("Somewhere,,10,20,XX,site,,,many,x", "whole number"),
        (",,10,20,XX,site,,,,x", "a name"),
    ],
)
def test_bad_supplement_rows_are_refused(row: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        read_supplement(SUPPLEMENT_HEADER + row + "\n", "test.csv")


def test_a_feature_listed_twice_is_refused() -> None:
    row = "Somewhere,,10,20,XX,site,,,,x\n"
    with pytest.raises(DataFileError, match="line 3"):
        read_supplement(SUPPLEMENT_HEADER + row + row, "test.csv")


def test_default_index_path_follows_settings_and_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = tmp_path / "mine.sqlite"
    assert default_index_path(Settings(gazetteer_path=str(given))) == given
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plain = default_index_path(Settings())
    assert plain.parent == tmp_path / "cache" / "eventatlas"
    assert plain.name.startswith("gazetteer-v")
    assert plain.suffix == ".sqlite"
    with_dump = default_index_path(Settings(geonames_dumps=str(DUMP)))
    assert with_dump != plain


def test_missing_dump_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a file"):
        dump_paths(Settings(geonames_dumps=f"{DUMP} {tmp_path / 'absent.txt'}"))


def test_open_builds_only_when_missing_or_out_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []

    def fake_build(path: Path, dumps: list[Path], *, fingerprint: str) -> Path:
        calls.append(path)
        return build_index(
            path,
            dumps,
            FIXTURES / "supplement.csv",
            include_cities500=False,
            areas=FIXTURES / "areas.csv",
            fingerprint=fingerprint,
        )

    monkeypatch.setattr(gazetteer_module, "build_index", fake_build)
    settings = Settings(gazetteer_path=str(tmp_path / "g.sqlite"), geonames_dumps=str(DUMP))
    first = open_gazetteer(settings)
    assert len(calls) == 1
    assert first.lookup("Madinat al-Qasr")
    open_gazetteer(settings)
    assert len(calls) == 1  # up to date: reused
    with sqlite3.connect(tmp_path / "g.sqlite") as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'fingerprint'")
    open_gazetteer(settings)
    assert len(calls) == 2
    first.close()


def test_registered_as_the_embedded_gazetteer() -> None:
    assert registry.get("gazetteers", "embedded") is open_gazetteer


def test_fingerprint_changes_with_the_dumps(tmp_path: Path) -> None:
    copy = tmp_path / "XX.txt"
    copy.write_bytes(DUMP.read_bytes())
    assert fingerprint([copy]) != fingerprint([])
    before = fingerprint([copy])
    copy.write_bytes(DUMP.read_bytes() + b"\n")
    assert fingerprint([copy]) != before


# -- the real index (slow) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    """The full index (cities500, areas, supplement), built once for this module."""
    path = tmp_path_factory.mktemp("real") / "gazetteer.sqlite"
    started = time.monotonic()
    build_index(path, fingerprint=fingerprint())
    logging.getLogger(__name__).warning(
        "full gazetteer index built in %.0f s", time.monotonic() - started
    )
    opened = Gazetteer(path)
    yield opened
    opened.close()


@pytest.mark.slow
def test_real_index_spellings_meet_on_one_geonames_place(real: Gazetteer) -> None:
    expectations = {
        173530: ("Derik", "al-Malikiyah", "Al Mālikīyah", "Dêrik"),
        173377: ("Qamishli", "Kamishli", "Al-Qamishli", "Qamişlo"),
        170794: ("Deir ez-Zor", "Deir el-Zour", "Deir al-Zor", "Dayr az-Zawr", "Deir Ezzor"),
        172134: ("Ain Issa", "‘Ayn ‘Īsá", "Ain Aissa", "Eyn Îsa"),
        163750: ("Tell Abyad", "Tal Abyad", "Tall Abyad", "Girê Spî"),
        165509: ("Ras al-Ain", "Ras al-Ayn", "Ra’s al ‘Ayn", "Ras el Ain", "Serêkaniyê"),
        172256: ("Kobani", "Kobanê", "Ain al-Arab"),
        170063: ("Aleppo", "Halab", "Alep"),
        706483: ("Kharkiv", "Kharkov", "Charkiw"),
    }
    for geonameid, spellings in expectations.items():
        for spelling in spellings:
            found = {e.geonameid for e in real.lookup(spelling)}
            assert geonameid in found, (spelling, geonameid)


@pytest.mark.slow
def test_real_index_has_areas_supplement_and_fast_lookups(real: Gazetteer) -> None:
    syria = real.country("SY")
    assert syria is not None
    assert 32 < syria.lat < 37.5
    assert 35.5 < syria.lon < 42.5
    hasakah = real.admin1("SY", "01")
    assert hasakah is not None
    assert 35.5 < hasakah.lat < 37.5
    dam = [e for e in real.lookup("Tishrin Dam") if e.feature == "site"]
    assert dam
    assert dam[0].country == "SY"
    assert dam[0].admin1 is not None
    deir_ez_zor = real.get("gn:170794")
    assert deir_ez_zor is not None
    assert deir_ez_zor.feature_code == "PPLA"  # named like its governorate: its seat
    damascus = [e for e in real.lookup("Damascus") if e.feature == "city"]
    assert damascus[0].feature_code == "PPLC"
    ras_al_ain = real.get("gn:165509")
    assert ras_al_ain is not None
    assert ras_al_ain.population > 0  # raised by the supplement: GeoNames has 0
    started = time.perf_counter()
    for _ in range(100):
        real.lookup("Aleppo")
    assert (time.perf_counter() - started) / 100 < 0.01
    started = time.perf_counter()
    found = real.fuzzy("Qamishly")
    assert time.perf_counter() - started < 0.2
    assert found
    assert found[0][0].geonameid == 173377


def test_continents_come_from_geonames_with_their_points() -> None:
    from eventatlas.geo.gazetteer_sources import read_continents

    continents = {c.entry.name: c for c in read_continents()}
    assert len(continents) == 7
    europe = continents["Europe"]
    assert europe.entry.geonameid == 6255148
    assert (europe.entry.feature, europe.entry.feature_code) == ("region", "CONT")
    assert 45 < europe.entry.lat < 52
    assert 5 < europe.entry.lon < 15
    assert "Europa" in europe.names


def test_area_rows_read_countries_admin1_and_admin2() -> None:
    from eventatlas.geo.gazetteer_sources import read_areas

    text = (
        "kind,country,admin1,geonameid,name,alternate_names,lat,lon,population,provenance\n"
        "admin1,US,KY,,Kentucky,,37.5,-85.3,,test\n"
        "admin2,US,KY,,Laurel County,,37.1,-84.1,,test\n"
    )
    rows = {r.entry.name: r.entry for r in read_areas(text, "areas.csv")}
    assert rows["Kentucky"].id == "adm1:US.KY"
    county = rows["Laurel County"]
    assert (county.feature, county.feature_code, county.admin1) == ("admin2", "ADM2", "KY")
    assert county.id == "adm2:US.KY.laurel-county"
    with pytest.raises(DataFileError, match="admin2"):
        list(read_areas(text.replace("admin2,US", "admin3,US"), "areas.csv"))
