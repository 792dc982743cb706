"""A tiny in-memory gazetteer with the read interface of ``eventatlas.geo.gazetteer.Gazetteer``.

Rows are hand-written (coordinates and populations rounded from public GeoNames records); each
row lists the names it answers to. Countries and admin1 areas have population 0, as in the real
index. Used by the geoparser's unit tests so they run without the
on-disk index.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from eventatlas.geo.normalise import name_key
from eventatlas.records import FeatureKind, GazetteerEntry

Row = tuple[int, str, float, float, str, str | None, FeatureKind, str, int, tuple[str, ...]]

ROWS: tuple[Row, ...] = (
    (
        163843,
        "Syria",
        35.0,
        38.0,
        "SY",
        None,
        "country",
        "PCLI",
        0,
        ("Syrian Arab Republic",),
    ),
    (99237, "Iraq", 33.0, 44.0, "IQ", None, "country", "PCLI", 0, ()),
    (298795, "Turkey", 39.0, 35.0, "TR", None, "country", "PCLI", 0, ("Türkiye",)),
    (
        6252001,
        "United States",
        39.76,
        -98.5,
        "US",
        None,
        "country",
        "PCLI",
        0,
        ("USA", "U.S.", "America"),
    ),
    (357994, "Egypt", 27.0, 30.0, "EG", None, "country", "PCLI", 0, ()),
    (5815135, "Washington", 47.5, -120.5, "US", "WA", "admin1", "ADM1", 0, ("Washington State",)),
    (4140963, "Washington", 38.895, -77.036, "US", "DC", "city", "PPLC", 689_545, ()),
    (248816, "Jordan", 31.0, 36.0, "JO", None, "country", "PCLI", 0, ()),
    (
        170063,
        "Aleppo Governorate",
        36.25,
        37.5,
        "SY",
        "09",
        "admin1",
        "ADM1",
        0,
        ("Aleppo", "Halab"),
    ),
    (
        170794,
        "Al-Hasakah Governorate",
        36.5,
        40.75,
        "SY",
        "01",
        "admin1",
        "ADM1",
        0,
        ("Hasakah", "Hasaka", "Al Hasakah"),
    ),
    (4331987, "Louisiana", 31.0, -92.0, "US", "LA", "admin1", "ADM1", 0, ("La.",)),
    (4862182, "Iowa", 42.0, -93.5, "US", "IA", "admin1", "ADM1", 0, ()),
    (170063 + 1, "Aleppo", 36.2, 37.16, "SY", "09", "city", "PPLA", 1_600_000, ("Halab",)),
    (
        173576,
        "Qamishli",
        37.05,
        41.22,
        "SY",
        "01",
        "city",
        "PPL",
        185_000,
        ("Kamishli", "Qamişlo", "Al Qamishli"),
    ),
    (
        169389,
        "Al-Malikiyah",
        37.18,
        42.14,
        "SY",
        "01",
        "city",
        "PPL",
        26_000,
        ("Derik", "Dêrik", "Al Malikiyah"),
    ),
    (
        173817,
        "Ain Issa",
        36.39,
        38.86,
        "SY",
        "09",
        "village",
        "PPL",
        9_000,
        ("‘Ayn ‘Īsá", "Ayn Issa"),
    ),
    (361058, "Alexandria", 31.2, 29.92, "EG", "06", "city", "PPLA", 3_800_000, ()),
    (4314550, "Alexandria", 31.31, -92.45, "US", "LA", "city", "PPL", 47_000, ()),
    (4338356, "Rapides Parish", 31.17, -92.48, "US", "LA", "admin2", "ADM2", 130_000, ()),
    (4859069, "Alexandria", 42.0, -93.0, "US", "IA", "village", "PPL", 300, ()),
    (360630, "Cairo", 30.06, 31.25, "EG", "11", "city", "PPLC", 7_700_000, ("Al Qahirah",)),
    (250441, "Amman", 31.95, 35.93, "JO", "11", "city", "PPLC", 1_275_000, ()),
    (4049979, "Jordan Village", 35.0, -80.0, "US", "NC", "village", "PPL", 100, ()),
    (900001, "Springfield", 39.8, -89.64, "US", "IL", "city", "PPLA", 116_000, ()),
    (900002, "Sprngfeld", 10.0, 10.0, "NG", "01", "village", "PPL", 100, ()),
    (900003, "May", 40.0, 30.0, "TR", "01", "village", "PPL", 800, ()),
    (900004, "Of", 40.95, 40.27, "TR", "61", "city", "PPL", 20_000, ()),
    (900005, "Tell Tamer", 36.65, 40.37, "SY", "01", "village", "PPL", 8_000, ("Tal Tamr",)),
    (900006, "Manbij", 36.53, 37.95, "SY", "09", "city", "PPL", 100_000, ("Minbic",)),
    (900007, "Manbij", 12.0, 15.0, "TD", "01", "village", "PPL", 0, ()),
)


class MemoryGazetteer:
    """The read interface of the real gazetteer over a list of entries."""

    def __init__(self, rows: Iterable[Row] = ROWS) -> None:
        self._by_key: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self._by_id: dict[str, GazetteerEntry] = {}
        for gid, name, lat, lon, cc, a1, feature, code, pop, alts in rows:
            keys = {name_key(n) for n in (name, *alts)} - {""}
            entry = GazetteerEntry(
                gid, name, lat, lon, cc, a1, feature, code, pop, "test", f"gn:{gid}", len(keys)
            )
            self._by_id[entry.id] = entry
            for key in keys:
                if key:
                    self._by_key[key].append(entry)

    def lookup(self, key: str) -> list[GazetteerEntry]:
        return list(self._by_key.get(key, []))

    def fuzzy(
        self, key: str, limit: int = 10, min_score: float = 0.85
    ) -> list[tuple[GazetteerEntry, float]]:
        scored = []
        for other, entries in self._by_key.items():
            score = difflib.SequenceMatcher(None, key, other).ratio()
            if score >= min_score:
                scored.extend((e, score) for e in entries)
        scored.sort(key=lambda pair: -pair[1])
        return scored[:limit]

    def is_name(self, key: str) -> bool:
        return key in self._by_key

    def max_name_tokens(self) -> int:
        return max(len(k.split()) for k in self._by_key)

    def get(self, entry_id: str) -> GazetteerEntry | None:
        return self._by_id.get(entry_id)

    def country(self, iso2: str) -> GazetteerEntry | None:
        return next(
            (e for e in self._by_id.values() if e.feature == "country" and e.country == iso2), None
        )

    def admin1(self, iso2: str, admin1_code: str) -> GazetteerEntry | None:
        return next(
            (
                e
                for e in self._by_id.values()
                if e.feature == "admin1" and e.country == iso2 and e.admin1 == admin1_code
            ),
            None,
        )

    def close(self) -> None:
        self._by_key.clear()
