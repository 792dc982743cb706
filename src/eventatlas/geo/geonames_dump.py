"""Streaming readers for GeoNames dump files, for adding them to the gazetteer index.

Two formats (https://download.geonames.org/export/dump/readme.txt, CC-BY 4.0 GeoNames):

* the main table (``SY.txt``, ``allCountries.txt``, ``cities500.txt``; also inside ``.zip``):
  19 tab-separated columns, one place per line;
* ``alternateNamesV2.txt`` (10 columns) or the older ``alternateNames.txt`` (8 columns).

Rows are read one at a time, so a 1.5 GB ``allCountries.txt`` never sits in memory.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eventatlas.errors import DataFileError
from eventatlas.records import FeatureKind, GazetteerEntry

log = logging.getLogger(__name__)

MAIN_COLUMNS = 19
CITY_POPULATION = 10_000  # populated places at or above this are cities, below it villages
# Feature codes of populated places that are cities whatever their population (capitals, seats).
CITY_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLG"})
# Alternate-name "languages" that are not names: links, postcodes, airport and other codes.
SKIPPED_NAME_KINDS = frozenset(
    {"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "fr_1793", "phon"}
)
_COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR"})
_ADMIN2_CODES = frozenset({"ADM2", "ADM2H", "ADM3", "ADM3H", "ADM4", "ADM4H", "ADM5", "ADMD"})
_CLASS_KINDS: dict[str, FeatureKind] = {
    "H": "water",
    "R": "road",
    "S": "site",
    "L": "region",
    "T": "region",
    "U": "water",
    "V": "region",
}


@dataclass(frozen=True)
class NamedEntry:
    """A gazetteer entry with every name it is known by (its main name included)."""

    entry: GazetteerEntry
    names: tuple[str, ...]


@dataclass(frozen=True)
class AlternateName:
    """One row of ``alternateNamesV2.txt`` that is a name (links and codes are skipped)."""

    geonameid: int
    name: str
    language: str


def feature_kind(feature_class: str, feature_code: str, population: int) -> FeatureKind:
    """The contract's feature kind for a GeoNames feature class and code."""
    if feature_class == "P":
        return populated_kind(feature_code, population)
    if feature_class == "A":
        if feature_code in _COUNTRY_CODES:
            return "country"
        if feature_code in ("ADM1", "ADM1H"):
            return "admin1"
        if feature_code in _ADMIN2_CODES:
            return "admin2"
        return "region"
    return _CLASS_KINDS.get(feature_class, "region")


def populated_kind(feature_code: str, population: int) -> FeatureKind:
    """City or village: by population, or city for capitals and administrative seats."""
    if population >= CITY_POPULATION or feature_code in CITY_CODES:
        return "city"
    return "village"


def is_alternate_names_file(path: Path) -> bool:
    """True for ``alternateNames*.txt`` / ``.zip`` files (the other dump files are main tables)."""
    return path.name.lower().startswith("alternatenames")


def read_dump(path: Path) -> Iterator[NamedEntry]:
    """Every place in a GeoNames main-table dump (``.txt`` or ``.zip``), streamed."""
    source = f"geonames-dump:{path.name}"
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            yield _main_row(line.rstrip("\r\n").split("\t"), path, number, source)


def read_alternate_names(path: Path) -> Iterator[AlternateName]:
    """The names in an ``alternateNamesV2.txt`` (or older ``alternateNames.txt``) file, streamed."""
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 4 or not cols[1].isdigit():
                raise DataFileError(
                    f"{path} line {number}: expected an alternateNames row (tab-separated: "
                    f"id, geonameid, language, name, ...), got {len(cols)} column(s) "
                    f"{line[:80]!r}; give the file as downloaded from GeoNames"
                )
            language = cols[2].strip().lower()
            name = cols[3].strip()
            if name and language not in SKIPPED_NAME_KINDS:
                yield AlternateName(int(cols[1]), name, language)


def _main_row(cols: list[str], path: Path, number: int, source: str) -> NamedEntry:
    if len(cols) != MAIN_COLUMNS or not cols[0].isdigit():
        raise DataFileError(
            f"{path} line {number}: expected a GeoNames main-table row of {MAIN_COLUMNS} "
            f"tab-separated columns starting with a geonameid, got {len(cols)} column(s) "
            f"starting {cols[0][:20]!r}; give a country file (SY.txt) or allCountries.txt "
            "as downloaded, or an alternateNames file named alternateNames*.txt"
        )
    try:
        lat, lon = float(cols[4]), float(cols[5])
        population = int(cols[14] or 0)
    except ValueError as exc:
        raise DataFileError(
            f"{path} line {number}: expected numeric latitude, longitude and population, "
            f"got {cols[4]!r}, {cols[5]!r}, {cols[14]!r}; the file looks damaged, download it again"
        ) from exc
    geonameid = int(cols[0])
    feature_class, feature_code = cols[6], cols[7]
    entry = GazetteerEntry(
        geonameid=geonameid,
        name=cols[1],
        lat=lat,
        lon=lon,
        country=cols[8] or None,
        admin1=cols[10] or None,
        feature=feature_kind(feature_class, feature_code, population),
        feature_code=feature_code or feature_class or "",
        population=population,
        source=source,
        id=f"gn:{geonameid}",
    )
    names = [cols[1], cols[2], *(n for n in cols[3].split(",") if n)]
    return NamedEntry(entry, tuple(dict.fromkeys(n.strip() for n in names if n.strip())))


@contextmanager
def _open_text(path: Path) -> Iterator[Iterator[str]]:
    """Lines of a dump file, or of the ``.txt`` member of a ``.zip`` of one."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = _zip_member(archive, path)
                with archive.open(member) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8")
        else:
            with path.open(encoding="utf-8") as handle:
                yield handle
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise DataFileError(
            f"GeoNames dump {path}: expected a readable UTF-8 .txt or .zip file, got {exc}; "
            "fix the path in the geonames_dumps setting"
        ) from exc


def _zip_member(archive: zipfile.ZipFile, path: Path) -> str:
    members = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
    if not members:
        raise DataFileError(
            f"GeoNames dump {path}: expected a .zip holding a .txt table, found "
            f"{archive.namelist()[:5]}; give the .txt file instead"
        )
    return members[0]
