"""What the geoparser needs from a gazetteer (``geo/gazetteer.py`` provides it)."""

from __future__ import annotations

from typing import Protocol

from eventatlas.records import GazetteerEntry


class GazetteerLike(Protocol):
    """The read side of :class:`eventatlas.geo.gazetteer.Gazetteer`; keys come from ``name_key``."""

    def lookup(self, key: str) -> list[GazetteerEntry]: ...

    def fuzzy(
        self, key: str, limit: int = 10, min_score: float = 0.85
    ) -> list[tuple[GazetteerEntry, float]]: ...

    def is_name(self, key: str) -> bool: ...

    def max_name_tokens(self) -> int: ...

    def get(self, entry_id: str) -> GazetteerEntry | None: ...

    def country(self, iso2: str) -> GazetteerEntry | None: ...

    def admin1(self, iso2: str, admin1_code: str) -> GazetteerEntry | None: ...
