"""Event exports beyond JSON Lines and CSV: GeoJSON (RFC 7946), ACLED-style CSV, Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from eventatlas.geo.gazetteer_sources import geonames_countries
from eventatlas.out.records import fused_event_record
from eventatlas.records import Event

# ACLED's export columns that we can fill (same names and meanings; ACLED's codebook).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "iso", "country", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "plover_type", "plover_mode", "status", "independent_sources",
)  # fmt: skip
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    """A FeatureCollection: one Point per event at [lon, lat]; events with no resolved place
    have a null geometry (RFC 7946, section 3.2)."""
    features = []
    for e in events:
        record = fused_event_record(e)
        loc = e.location
        geometry = None
        if loc is not None and loc.lat is not None and loc.lon is not None:
            geometry = {"type": "Point", "coordinates": [round(loc.lon, 6), round(loc.lat, 6)]}
        features.append({"type": "Feature", "id": e.id, "geometry": geometry,
                         "properties": record})  # fmt: skip
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def write_acled_csv(events: Iterable[Event], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for e in events:
        writer.writerow(acled_row(e))
        n += 1
    return n


def acled_row(e: Event) -> dict[str, Any]:
    loc = e.location
    iso2 = loc.country if loc else None
    info = geonames_countries().get(iso2 or "", {})
    actors = [a.name for a in e.actors]
    targets = [a.name for a in e.recipients]
    outlets = sorted({m.outlet for m in e.mentions if m.outlet})
    when = e.date.end or e.date.start
    return {
        "event_id_cnty": e.id,
        "event_date": when.isoformat() if when else "",
        "year": when.year if when else "",
        "time_precision": _TIME_PRECISION[e.date.precision],
        "event_type": e.acled.event_type if e.acled else "",
        "sub_event_type": e.acled.sub_event_type if e.acled else "",
        "actor1": actors[0] if actors else "",
        "assoc_actor_1": "; ".join(actors[1:]),
        "actor2": targets[0] if targets else "",
        "assoc_actor_2": "; ".join(targets[1:]),
        "iso": info.get("isonumeric", ""),
        "country": info.get("name", ""),
        "location": loc.name if loc else "",
        "latitude": loc.lat if loc and loc.lat is not None else "",
        "longitude": loc.lon if loc and loc.lon is not None else "",
        "geo_precision": e.geo_precision or "",
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": e.mentions[0].quote if e.mentions else "",
        "fatalities": "",
        "plover_type": e.type,
        "plover_mode": e.mode or "",
        "status": e.status,
        "independent_sources": e.sources.independent,
    }


def write_parquet(events: Iterable[Event], path: Path) -> int:
    """One row per event; nested parts (actors, mentions) as JSON text columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from eventatlas.out.export import flat_event

    rows = [flat_event(fused_event_record(e)) for e in events]
    schema = pa.schema([
        ("id", pa.string()), ("type", pa.string()), ("mode", pa.string()),
        ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()),
        ("date_start", pa.date32()), ("date_end", pa.date32()), ("date_precision", pa.string()),
        ("actors", pa.string()), ("recipients", pa.string()), ("location", pa.string()),
        ("lat", pa.float64()), ("lon", pa.float64()), ("geo_precision", pa.int8()),
        ("status", pa.string()), ("mentions", pa.string()), ("sources", pa.string()),
    ])  # fmt: skip
    for row in rows:
        for key in ("date_start", "date_end"):
            row[key] = dt.date.fromisoformat(row[key]) if row[key] else None
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
    return len(rows)
