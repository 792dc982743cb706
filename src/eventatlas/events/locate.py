"""Where an event happened: the place syntactically tied to its trigger, else the nearest place
in its sentence, else the last place named before it in its paragraph; with ACLED geo-precision
(a cue like "near" or "outskirts of" before the place turns a town into precision 2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from eventatlas.geo.geoparse import geo_precision
from eventatlas.records import Place

_NEAR = re.compile(
    r"(?:near|nearby|outside|outskirts\s+of|around|close\s+to|vicinity\s+of|countryside\s+of|"
    r"west|east|north|south|km|kilometres|kilometers|miles)\W*(?:the\s+)?(?:\w+\s+of\s+)?$",
    re.IGNORECASE,
)


def locate(sent: Any, trigger: Any, places: Sequence[Place]) -> tuple[Place | None, int | None]:
    """The event's place and its geo-precision (None when no resolved place is near)."""
    resolved = [p for p in places if p.lat is not None]
    inside = [p for p in resolved if sent.start_char <= p.start and p.end <= sent.end_char]
    lo = trigger.left_edge.idx if trigger.pos_ == "NOUN" else sent.start_char
    subtree_lo = min(t.idx for t in trigger.subtree)
    subtree_hi = max(t.idx + len(t) for t in trigger.subtree)
    tied = [p for p in inside if subtree_lo <= p.start and p.end <= subtree_hi and p.start >= lo]
    pick = _narrowest(tied) or _nearest(inside, trigger.idx) or _paragraph(sent, resolved)
    if pick is None:
        return None, None
    before = sent.doc.text[max(0, pick.start - 40) : pick.start]
    cue = "near" if _NEAR.search(before) else None
    return pick, geo_precision(pick, cue)


def _narrowest(places: list[Place]) -> Place | None:
    order = {"village": 0, "city": 0, "site": 0, "road": 1, "admin2": 2, "admin1": 3}
    return min(places, key=lambda p: (order.get(p.feature or "", 4), p.start), default=None)


def _nearest(places: list[Place], at: int) -> Place | None:
    towns = [p for p in places if p.feature not in ("country", "region", "water")]
    pool = towns or places
    return min(pool, key=lambda p: abs(p.start - at), default=None)


def _paragraph(sent: Any, places: list[Place]) -> Place | None:
    text = sent.doc.text
    start = text.rfind("\n", 0, sent.start_char) + 1
    earlier = [p for p in places if start <= p.start < sent.start_char]
    return earlier[-1] if earlier else None
