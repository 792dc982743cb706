"""Join event mentions into events, incrementally, with stable event ids.

``assign(new, existing)`` gives each new mention an event id: the id of the existing event it fits
best (score ≥ the threshold, no veto; see ``fuse.score``), else a new id derived from the mention
itself. Existing assignments never change, so a new article joins events or makes new ones
without re-clustering the world, and reruns give the same ids. ``build_events`` turns assigned
mentions into :class:`Event` records: majority type, the narrowest date interval the reports
agree on, the most precise place, actors by frequency, corroboration counts, and status
``disputed`` when one side asserts what another denies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from eventatlas.fuse.score import (
    FusionWeights,
    actor_score,
    date_score,
    fusion_weights,
    interval,
    place_score,
    text_score,
    type_score,
    words,
)
from eventatlas.fuse.sources import Roots, count_sources
from eventatlas.records import (
    AcledType,
    Actor,
    Event,
    EventDate,
    EventMention,
    EventStatus,
    Place,
)


@dataclass
class _Cluster:
    id: str
    type: str
    acled: str | None
    span: tuple[dt.date, dt.date] | None
    place: Place | None
    precision: int | None
    historical: bool
    names: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    vocabulary: Counter[str] = field(default_factory=Counter)

    def add(self, m: EventMention) -> None:
        span = interval(m.date, m.published)
        if self.span is None or (span is not None and _width(span) < _width(self.span)):
            self.span = span
        if m.location is not None and m.location.lat is not None and (
            self.place is None or (m.geo_precision or 9) < (self.precision or 9)
        ):
            self.place, self.precision = m.location, m.geo_precision
        self.names |= {a.name for a in (*m.actors, *m.recipients)}
        self.countries |= {a.country for a in (*m.actors, *m.recipients) if a.country}
        self.vocabulary.update(words(m.quote))


def _width(span: tuple[dt.date, dt.date]) -> int:
    return (span[1] - span[0]).days


def event_id(founder: EventMention) -> str:
    return "ev-" + hashlib.sha256(founder.id.encode()).hexdigest()[:20]


def _new_cluster(m: EventMention) -> _Cluster:
    c = _Cluster(
        event_id(m), m.type, m.acled.sub_event_type if m.acled else None,
        interval(m.date, m.published), None, None, m.status == "historical",
    )  # fmt: skip
    c.add(m)
    return c


def order(mentions: Iterable[EventMention]) -> list[EventMention]:
    """The order fusion reads mentions in: publication date, article, position."""
    return sorted(mentions, key=lambda m: (m.published or dt.date.min, m.article_id, m.start))


def score(m: EventMention, c: _Cluster, w: FusionWeights) -> float | None:
    """How well a mention fits a cluster (None: must not join)."""
    if (m.status == "historical") != c.historical:
        return None
    t = type_score(m, c.type, c.acled, w)
    d = date_score(interval(m.date, m.published), c.span, w.max_gap_days)
    p = place_score(m.location, m.geo_precision, c.place, c.precision, w)
    if t is None or d is None or p is None:
        return None
    a = actor_score(m, c.names, c.countries)
    x = text_score(words(m.quote), c.vocabulary)
    return (w.type * t + w.date * d + w.place * p + w.actors * a + w.text * x) / w.total


def assign(
    new: Iterable[EventMention],
    existing: Mapping[str, Sequence[EventMention]] | None = None,
    weights: FusionWeights | None = None,
) -> dict[str, str]:
    """Event id for each new mention (mention id -> event id); ``existing`` maps event ids to
    their mentions and is left as it is."""
    w = weights or fusion_weights()
    clusters: list[_Cluster] = []
    for eid, members in (existing or {}).items():
        ordered = order(members)
        c = _new_cluster(ordered[0])
        c.id = eid
        for m in ordered[1:]:
            c.add(m)
        clusters.append(c)
    out: dict[str, str] = {}
    for m in order(new):
        scored = [(s, c) for c in clusters if (s := score(m, c, w)) is not None]
        best = max(scored, key=lambda sc: sc[0], default=None)
        if best is not None and best[0] >= w.threshold:
            best[1].add(m)
            out[m.id] = best[1].id
        else:
            c = _new_cluster(m)
            clusters.append(c)
            out[m.id] = c.id
    return out


def build_events(
    mentions: Iterable[EventMention],
    assignment: Mapping[str, str],
    roots: Roots | None = None,
    cited_sources: frozenset[str] = frozenset(),
) -> list[Event]:
    """The events of the assigned mentions, newest first."""
    groups: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        if m.id in assignment:
            groups[assignment[m.id]].append(m)
    events = [
        _event(eid, order(ms), roots or {}, cited_sources) for eid, ms in groups.items()
    ]
    return sorted(events, key=lambda e: (e.date.end or dt.date.min, e.id), reverse=True)


def _event(eid: str, ms: list[EventMention], roots: Roots, cited: frozenset[str]) -> Event:
    best = min(ms, key=lambda m: (_precision_rank(m.date), -m.confidence))
    placed = [m for m in ms if m.location is not None and m.location.lat is not None]
    where = min(placed, key=lambda m: m.geo_precision or 9, default=None)
    return Event(
        id=eid,
        type=Counter(m.type for m in ms).most_common(1)[0][0],
        mode=_majority(m.mode for m in ms),
        acled=_majority_acled(ms),
        date=_date(ms, best),
        actors=_actors(a for m in ms for a in m.actors),
        recipients=_actors(a for m in ms for a in m.recipients),
        location=where.location if where else None,
        geo_precision=where.geo_precision if where else None,
        status=_status(ms),
        mentions=tuple(ms),
        sources=count_sources(ms, roots, cited),
    )


_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def _precision_rank(d: EventDate) -> int:
    return _RANK[d.precision]


def _date(ms: list[EventMention], best: EventMention) -> EventDate:
    if best.date.precision != "unknown":
        return best.date
    ends = [d for m in ms if (d := m.date.end or m.published) is not None]
    return EventDate(None, min(ends) if ends else None, "unknown")


def _majority(values: Iterable[str | None]) -> str | None:
    found = Counter(v for v in values if v)
    return found.most_common(1)[0][0] if found else None


def _majority_acled(ms: list[EventMention]) -> AcledType | None:
    found = Counter(m.acled for m in ms if m.acled)
    return found.most_common(1)[0][0] if found else None


def _actors(actors: Iterable[Actor]) -> tuple[Actor, ...]:
    return tuple(a for a, _ in Counter(actors).most_common())


def _status(ms: list[EventMention]) -> EventStatus:
    stances = {m.stance for m in ms}
    if stances == {"asserts", "denies"}:
        return "disputed"
    statuses = [m.status for m in ms]
    preference: tuple[EventStatus, ...] = (
        "reported", "claimed", "historical", "planned", "threatened", "denied",
    )  # fmt: skip
    return next((s for s in preference if s in statuses), statuses[0])
