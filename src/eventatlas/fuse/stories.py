"""Storylines and source profiles, computed from fused events.

* A storyline groups events of one area and cast over days: two events are linked when they are
  at most ``STORY_DAYS`` apart, at most ``STORY_KM`` apart (or share a region-level place), and
  share an actor; storylines are the connected groups. The id comes from the earliest event.
* A source profile says, per outlet, how many of the events it reports other independent sources
  corroborate, how many are disputed, and how many rest on it alone — shown to the user, never
  used to hide anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from eventatlas.fuse.score import km
from eventatlas.records import Event

STORY_DAYS = 7
STORY_KM = 60.0


@dataclass(frozen=True)
class Storyline:
    id: str
    events: tuple[str, ...]  # event ids, oldest first
    start: dt.date | None
    end: dt.date | None
    places: tuple[str, ...]
    actors: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class SourceProfile:
    outlet: str
    events: int
    corroborated: int  # also backed by another independent source
    disputed: int
    unique: int  # no other independent source


def _day(e: Event) -> dt.date | None:
    return e.date.end or e.date.start


def _linked(a: Event, b: Event) -> bool:
    da, db = _day(a), _day(b)
    if da is None or db is None or abs((da - db).days) > STORY_DAYS:
        return False
    if a.location is None or b.location is None or a.location.lat is None or b.location.lat is None:
        return False
    near = km(a.location, b.location) <= STORY_KM
    same_area = (a.geo_precision or 1) >= 3 and a.location.geonameid == b.location.geonameid
    cast = {x.name for x in (*a.actors, *a.recipients)}
    return (near or same_area) and bool(cast & {x.name for x in (*b.actors, *b.recipients)})


def storylines(events: Sequence[Event]) -> list[Storyline]:
    """Connected groups of linked events (single events are stories of one), newest first."""
    ordered = sorted(events, key=lambda e: (_day(e) or dt.date.min, e.id))
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            da, db = _day(a), _day(b)
            if da and db and (db - da).days > STORY_DAYS:
                break
            if _linked(a, b):
                parent[find(j)] = find(i)
    groups: dict[int, list[Event]] = defaultdict(list)
    for i, e in enumerate(ordered):
        groups[find(i)].append(e)
    stories = [_story(g) for g in groups.values()]
    return sorted(stories, key=lambda s: (s.end or dt.date.min, s.id), reverse=True)


def _story(group: list[Event]) -> Storyline:
    days = [d for e in group if (d := _day(e)) is not None]
    return Storyline(
        id="st-" + hashlib.sha256(group[0].id.encode()).hexdigest()[:16],
        events=tuple(e.id for e in group),
        start=min(days, default=None),
        end=max(days, default=None),
        places=tuple(dict.fromkeys(e.location.name for e in group if e.location)),
        actors=tuple(dict.fromkeys(a.name for e in group for a in e.actors)),
        types=tuple(dict.fromkeys(e.type for e in group)),
    )


def source_profiles(events: Sequence[Event]) -> list[SourceProfile]:
    """Per outlet: events reported, corroborated by another source, disputed, alone."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for e in events:
        for outlet in {m.outlet for m in e.mentions if m.outlet}:
            row = counts[outlet]
            row[0] += 1
            row[1] += e.sources.independent >= 2
            row[2] += e.status == "disputed"
            row[3] += e.sources.independent == 1
    return [
        SourceProfile(outlet, *row)
        for outlet, row in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
