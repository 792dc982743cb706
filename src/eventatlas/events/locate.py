"""Where an event happened (docs/annotation/places.md section 5, events.md section 6).

In order: the place tied to the event's trigger and its arguments (in its subtree: "struck
Idlib", "clashes in Hama"; the narrowest of them); else the sentence's nearest town (else its
nearest place); else the story's current place (the latest earlier town before the sentence in
its paragraph, else the latest earlier place). Places the extractor took for actors are not
offered; a place glued by a hyphen to a modifier ("US-led", "Ankara-backed", "Britain-based")
is a seat or descriptor, never a location. A verbal event (a statement, a meeting) happens
where the sentence ties a place to it, else nowhere: never where its speaker sits.

Geo-precision follows ACLED: a cue like "near", "outskirts of", "north of" before a town turns
it into precision 2; a province, region or country is precision 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from eventatlas.geo.geoparse import geo_precision
from eventatlas.records import Place

_NEAR = re.compile(
    r"(?:near|nearby|outside|outskirts\s+of|around|close\s+to|vicinity\s+of|countryside\s+of|"
    r"(?:west|east|north|south)\w*\s+of|km|kilometres|kilometers|miles)"
    r"\W*(?:the\s+)?(?:\w+\s+of\s+)?$",
    re.IGNORECASE,
)
# a place glued to one of these by a hyphen modifies an actor ("US-led", "Turkey-backed")
_HYPHEN = re.compile(r"^-\s?[a-z]", re.IGNORECASE)


def locate(
    sent: Any, trigger: Any, places: Sequence[Place], *, verbal: bool = False
) -> tuple[Place | None, int | None]:
    """The event's place and its geo-precision (None when no place is known)."""
    resolved = [p for p in places if p.lat is not None]
    inside = [
        p
        for p in resolved
        if sent.start_char <= p.start and p.end <= sent.end_char and not seat(sent.doc, p)
    ]
    lo = trigger.left_edge.idx if trigger.pos_ == "NOUN" else sent.start_char
    subtree_lo = min(t.idx for t in trigger.subtree)
    subtree_hi = max(t.idx + len(t) for t in trigger.subtree)
    tied = [p for p in inside if subtree_lo <= p.start and p.end <= subtree_hi and p.start >= lo]
    pick = _narrowest(tied)
    if pick is None and not verbal:
        pick = _nearest(inside, trigger.idx) or _current(sent, resolved)
    if pick is None:
        return None, None
    before = sent.doc.text[max(0, pick.start - 40) : pick.start]
    cue = "near" if _NEAR.search(before) else None
    return pick, geo_precision(pick, cue)


def seat(doc: Any, place: Place) -> bool:
    """Whether the geoparser took the place for a government's or organisation's seat or for
    where an entity is based ("Washington said", "the Damascus government", "Britain-based"),
    or it modifies an actor by a hyphen ("US-led"): never where something happened."""
    return place.role != "location" or bool(_HYPHEN.match(doc.text[place.end : place.end + 3]))


def _narrowest(places: list[Place]) -> Place | None:
    order = {"village": 0, "city": 0, "site": 0, "road": 1, "admin2": 2, "admin1": 3}
    return min(places, key=lambda p: (order.get(p.feature or "", 4), p.start), default=None)


def _nearest(places: list[Place], at: int) -> Place | None:
    towns = [p for p in places if p.feature not in ("country", "region", "water")]
    pool = towns or places
    return min(pool, key=lambda p: abs(p.start - at), default=None)


def _current(sent: Any, places: list[Place]) -> Place | None:
    """The story's current place: the latest earlier town of the paragraph that is not a seat,
    else its latest earlier place of any kind (a country, a region)."""
    text = sent.doc.text
    start = text.rfind("\n", 0, sent.start_char) + 1
    earlier = [p for p in places if start <= p.start < sent.start_char and not seat(sent.doc, p)]
    towns = [p for p in earlier if p.feature not in ("country", "region", "water")]
    pool = towns or earlier
    return pool[-1] if pool else None
