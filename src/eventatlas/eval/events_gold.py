"""The real event gold (``training/events_gold``): annotated sentences of real reporting.

A gold folder holds ``pool.jsonl`` (every sentence with its split, article and context) and
``annotations/<annotator>/<batch>.jsonl`` (records of ``docs/annotation/events.md`` section 10).
A sentence annotated more than once takes the adjudicated record (``annotations/adjudicated``)
first, else the first annotator in name order (the overlap set is coded by every annotator; the
first, ``ann-a``, is its gold). Splits are fixed in the pool and never chosen here.

The publication date of a sentence's article is read the way ingest reads it
(:func:`eventatlas.ingest.dates.date_from_text` over the article's sentences, a line each).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from eventatlas.errors import DataFileError

Split = Literal["train", "dev", "test", "all"]
ADJUDICATED = "adjudicated"


@dataclass(frozen=True)
class GoldActor:
    name: str
    country: str | None
    sector: str | None


@dataclass(frozen=True)
class GoldEvent:
    evidence: tuple[int, int]
    type: str
    mode: str | None
    acled: str | None  # "event type / sub-event type"
    actors: tuple[GoldActor, ...]
    recipients: tuple[GoldActor, ...]
    location: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    status: str
    attributed_to: str | None


@dataclass(frozen=True)
class GoldEventSentence:
    id: str
    corpus: str
    article_id: str
    split: str
    text: str
    prev: str | None
    next: str | None
    published: dt.date | None
    outlet: str | None
    event: bool
    events: tuple[GoldEvent, ...]
    annotator: str


def is_event_gold(path: Path) -> bool:
    """Whether ``path`` is a real-gold folder (a ``pool.jsonl`` and an ``annotations`` folder)."""
    return path.is_dir() and (path / "pool.jsonl").is_file() and (path / "annotations").is_dir()


def load_event_gold(root: Path, split: Split = "all") -> list[GoldEventSentence]:
    """The annotated sentences of ``root`` in ``split``, in pool order."""
    records = _annotations(root / "annotations")
    pool = list(gold_jsonl(root / "pool.jsonl"))
    published = _publication_dates(pool)
    out = []
    for row in pool:
        rec = records.get(row["id"])
        if rec is None or (split != "all" and row["split"] != split):
            continue
        out.append(_sentence(row, rec, published.get((row["corpus"], row["article_id"]))))
    return out


def gold_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as exc:
                raise DataFileError(
                    f"{path}:{n}: expected one JSON object per line, could not parse it ({exc}); "
                    "fix or remove the line"
                ) from exc


def _annotations(folder: Path) -> dict[str, dict[str, Any]]:
    """One record per sentence: adjudicated first, then annotators in name order."""
    return gold_records(folder, "sentence_id")


def gold_records(folder: Path, key: str) -> dict[str, dict[str, Any]]:
    """One annotation record per ``rec[key]`` from ``folder/<annotator>/*.jsonl``: the
    adjudicated folder first, then annotators in name order (the first record wins)."""
    dirs = sorted(p for p in folder.iterdir() if p.is_dir())
    dirs.sort(key=lambda p: p.name != ADJUDICATED)
    out: dict[str, dict[str, Any]] = {}
    for d in dirs:
        for path in sorted(d.glob("*.jsonl")):
            for rec in gold_jsonl(path):
                out.setdefault(rec[key], rec)
    return out


def _publication_dates(pool: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dt.date]:
    """Each article's publication date as ingest reads it from its text (the pool's sentences
    of the article, a line each)."""
    from eventatlas.ingest.dates import date_from_text

    lines: dict[tuple[str, str], list[str]] = {}
    for row in pool:
        lines.setdefault((row["corpus"], row["article_id"]), []).append(row["text"])
    out = {}
    for key, text in lines.items():
        found = date_from_text(text)
        if found is not None:
            out[key] = found
    return out


def _sentence(row: dict[str, Any], rec: dict[str, Any], pub: dt.date | None) -> GoldEventSentence:
    try:
        events = tuple(_event(e) for e in rec.get("events") or ())
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            f"annotation of {row['id']} by {rec.get('annotator')}: expected a record of "
            f"docs/annotation/events.md section 10, could not read it ({exc}); fix the record"
        ) from exc
    meta = row.get("meta") or {}
    return GoldEventSentence(
        row["id"], row["corpus"], row["article_id"], row["split"], row["text"], row.get("prev"),
        row.get("next"), pub, meta.get("outlet_code"), bool(rec.get("event")) and bool(events),
        events, str(rec.get("annotator")),
    )  # fmt: skip


def _actor(a: dict[str, Any]) -> GoldActor:
    return GoldActor(str(a["name"]), a.get("country"), a.get("sector"))


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _event(e: dict[str, Any]) -> GoldEvent:
    acled = e.get("acled")
    date = e.get("date") or {}
    ev = e.get("evidence") or {}
    loc = e.get("location")
    return GoldEvent(
        (int(ev.get("start", 0)), int(ev.get("end", 0))), str(e["type"]), e.get("mode"),
        f"{acled['event_type']} / {acled['sub_event_type']}" if acled else None,
        tuple(_actor(a) for a in e.get("actors") or ()),
        tuple(_actor(a) for a in e.get("recipients") or ()),
        loc.get("name") if isinstance(loc, dict) else None,
        _day(date.get("start")), _day(date.get("end")), str(date.get("precision") or "unknown"),
        str(e.get("status") or "reported"), e.get("attributed_to"),
    )  # fmt: skip
