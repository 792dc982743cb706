"""Contract records (JSON-ready dicts) built from the typed records, for exports and commands."""

from __future__ import annotations

import dataclasses
from typing import Any

from eventatlas.records import Event, EventMention, Sources


def event_record(m: EventMention) -> dict[str, Any]:
    """The contract's event record for one mention standing alone (``extract``, which fuses
    nothing): one mention, one source."""
    alone = Event(
        id=m.id, type=m.type, mode=m.mode, acled=m.acled, date=m.date, actors=m.actors,
        recipients=m.recipients, location=m.location, geo_precision=m.geo_precision,
        status=m.status, mentions=(m,), sources=Sources(1, 1 if m.outlet else 0, 1),
    )  # fmt: skip
    return fused_event_record(alone)


def _mention(m: EventMention) -> dict[str, Any]:
    return {
        "article_id": m.article_id,
        "outlet": m.outlet,
        "published": m.published.isoformat() if m.published else None,
        "quote": m.quote,
        "start": m.start,
        "end": m.end,
        "attributed_to": m.attributed_to,
        "stance": m.stance,
    }


def fused_event_record(e: Event) -> dict[str, Any]:
    """The contract's event record of a fused event."""
    return {
        "id": e.id,
        "type": e.type,
        "mode": e.mode,
        "acled": dataclasses.asdict(e.acled) if e.acled else None,
        "date": {
            "start": e.date.start.isoformat() if e.date.start else None,
            "end": e.date.end.isoformat() if e.date.end else None,
            "precision": e.date.precision,
        },
        "actors": [dataclasses.asdict(a) for a in e.actors],
        "recipients": [dataclasses.asdict(a) for a in e.recipients],
        "location": dataclasses.asdict(e.location) if e.location else None,
        "geo_precision": e.geo_precision,
        "status": e.status,
        "mentions": [_mention(m) for m in e.mentions],
        "sources": dataclasses.asdict(e.sources),
    }
