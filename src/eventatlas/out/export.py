"""Write what is stored, as the contract's records (JSON Lines, CSV)."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable
from typing import Any, TextIO

from eventatlas.errors import UsageError
from eventatlas.out.records import fused_event_record
from eventatlas.records import Article, Event

ARTICLE_FIELDS = (
    "id",
    "source",
    "url",
    "outlet",
    "title",
    "published",
    "published_source",
    "language",
    "text",
    "cleaning",
    "places",
    "duplicate_of",
)
ARTICLE_FORMATS = ("jsonl", "csv")


def article_record(article: Article) -> dict[str, Any]:
    """The contract's article record (plus ``duplicate_of``, the syndicated original's id, and
    ``cleaning``: "page", "body" or "kept", see :data:`eventatlas.records.Cleaning`)."""
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "language": article.language,
        "text": article.text,
        "cleaning": article.cleaning,
        "places": [dataclasses.asdict(p) for p in article.places],
        "duplicate_of": article.duplicate_of,
    }


def write_articles(articles: Iterable[Article], fmt: str, out: TextIO) -> int:
    """Write ``articles`` to ``out`` in ``fmt``; returns how many were written."""
    if fmt not in ARTICLE_FORMATS:
        raise UsageError(
            f"articles can be exported as {' or '.join(ARTICLE_FORMATS)}, not {fmt!r}; "
            "geojson, acled-csv and parquet are event formats"
        )
    if fmt == "jsonl":
        return _write_jsonl(articles, out)
    return _write_csv(articles, out)


def _write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(articles: Iterable[Article], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=ARTICLE_FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for article in articles:
        row = article_record(article)
        row["places"] = json.dumps(row["places"], ensure_ascii=False)
        writer.writerow(row)
        n += 1
    return n


EVENT_FORMATS = ("jsonl", "csv")
EVENT_FIELDS = (
    "id", "type", "mode", "acled_event_type", "acled_sub_event_type", "date_start", "date_end",
    "date_precision", "actors", "recipients", "location", "lat", "lon", "geo_precision", "status",
    "mentions", "sources",
)  # fmt: skip


def write_events(events: Iterable[Event], fmt: str, out: TextIO) -> int:
    """Write event records to ``out`` in ``fmt`` (JSON Lines or CSV); returns how many."""
    if fmt not in EVENT_FORMATS:
        raise UsageError(
            f"events can be exported as {' or '.join(EVENT_FORMATS)} in this version, not {fmt!r}"
        )
    n = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EVENT_FIELDS, lineterminator="\n")
        writer.writeheader()
    for event in events:
        record = fused_event_record(event)
        if writer is None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            writer.writerow(flat_event(record))
        n += 1
    return n


def flat_event(r: dict[str, Any]) -> dict[str, Any]:
    loc = r["location"] or {}
    return {
        "id": r["id"], "type": r["type"], "mode": r["mode"],
        "acled_event_type": (r["acled"] or {}).get("event_type"),
        "acled_sub_event_type": (r["acled"] or {}).get("sub_event_type"),
        "date_start": r["date"]["start"], "date_end": r["date"]["end"],
        "date_precision": r["date"]["precision"],
        "actors": json.dumps(r["actors"], ensure_ascii=False),
        "recipients": json.dumps(r["recipients"], ensure_ascii=False),
        "location": loc.get("name"), "lat": loc.get("lat"), "lon": loc.get("lon"),
        "geo_precision": r["geo_precision"], "status": r["status"],
        "mentions": json.dumps(r["mentions"], ensure_ascii=False),
        "sources": json.dumps(r["sources"]),
    }  # fmt: skip


def write_rows(rows: Iterable[Any], fmt: str, out: TextIO) -> int:
    """Dataclass rows (storylines, source profiles) as JSON Lines or CSV."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f"storylines and source profiles export as jsonl or csv, not {fmt!r}")
    records = [_jsonable(dataclasses.asdict(r)) for r in rows]
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(records)
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: json.dumps(v) if isinstance(v, list) else v
                             for k, v in record.items()})  # fmt: skip
    return len(records)


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if hasattr(v, "isoformat") else list(v) if isinstance(v, tuple) else v
        for k, v in record.items()
    }
