"""Score event extraction on gold sentences.

Two corpus formats:

* PLOVER's gold-standard records (``PLOVER_GSR_CAMEO.txt``, a JSON array): event type of the
  main event (old names mapped: DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT),
  accuracy and macro-F1 over the 16 types; actor and recipient F1 on country codes (ISO3, as the
  GSR codes its actors).
* our ACLED dev set (JSON Lines with ``acled_event_type``/``acled_sub_event_type``): sub-type
  accuracy and weighted F1 (the CASE 2021 fine-grained task's measure), plus PLOVER type accuracy.

A sentence where nothing is extracted counts as a wrong answer (type ``NONE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventatlas.errors import DataFileError

if TYPE_CHECKING:
    from eventatlas.pipeline import ProcessResources
from eventatlas.events.ontology import GSR_ALIASES
from eventatlas.records import ArticleInfo

NONE = "NONE"


@dataclass(frozen=True)
class GoldSentence:
    id: str
    text: str
    published: dt.date | None
    type: str
    acled: str | None  # "event type / sub-event type"
    actors: frozenset[str]  # ISO3 / GSR codes
    recipients: frozenset[str]


@dataclass(frozen=True)
class EventsEvalReport:
    corpus: str
    sentences: int
    type_accuracy: float
    type_macro_f1: float
    actor_f1: float | None
    recipient_f1: float | None
    acled_accuracy: float | None
    acled_weighted_f1: float | None
    per_type_f1: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_gold(path: Path) -> list[GoldSentence]:
    text = path.read_text("utf-8")
    try:
        if text.lstrip().startswith("["):
            return [g for r in json.loads(text) if (g := _gsr(r)) is not None]
        return [_dev(json.loads(line)) for line in text.splitlines() if line.strip()]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(
            f"{path}: expected PLOVER GSR records (a JSON array) or eventatlas ACLED dev lines "
            f"(JSON Lines), could not read it ({exc})"
        ) from exc


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _gsr(r: dict[str, Any]) -> GoldSentence | None:
    if r.get("event") == "DOCUMENT" or not r.get("text"):
        return None
    return GoldSentence(
        r["id"], r["text"], _date(r.get("date")), GSR_ALIASES.get(r["event"], r["event"]), None,
        _codes(r.get("source")),
        _codes(r.get("target")),
    )  # fmt: skip


def _codes(actors: Any) -> frozenset[str]:
    """The GSR's actor codes (records are lists of {actorText, code}; a few hold bare strings)."""
    items = actors if isinstance(actors, list) else [actors] if actors else []
    return frozenset(a["code"] for a in items if isinstance(a, dict) and a.get("code"))


def _dev(r: dict[str, Any]) -> GoldSentence:
    return GoldSentence(
        r["id"], r["text"], _date(r.get("published")), r["type"],
        f"{r['acled_event_type']} / {r['acled_sub_event_type']}",
        frozenset(a["country"] for a in r.get("actors", []) if a.get("country")),
        frozenset(a["country"] for a in r.get("recipients", []) if a.get("country")),
    )  # fmt: skip


def evaluate_events(path: Path, res: ProcessResources) -> EventsEvalReport:
    """Score the main event of each gold sentence, through the configured extractor."""
    from eventatlas.pipeline import process_doc

    gold = load_gold(path)
    docs = res.nlp.pipe([g.text for g in gold], batch_size=32)
    types: list[tuple[str, str]] = []
    acled: list[tuple[str, str]] = []
    actor_counts, recipient_counts = Counter[str](), Counter[str]()
    for g, doc in zip(gold, docs, strict=True):
        events = process_doc(doc, ArticleInfo(g.id, g.published), res).events
        main = events[0] if events else None
        types.append((g.type, main.type if main else NONE))
        if g.acled is not None:
            got = NONE
            if main is not None and main.acled is not None:
                got = f"{main.acled.event_type} / {main.acled.sub_event_type}"
            acled.append((g.acled, got))
        predicted_actors = {a.country for a in main.actors if a.country} if main else set()
        predicted_recipients = {a.country for a in main.recipients if a.country} if main else set()
        _tally(actor_counts, g.actors, predicted_actors)
        _tally(recipient_counts, g.recipients, predicted_recipients)
    per_type = _per_label_f1(types)
    labels = sorted({g for g, _ in types})
    return EventsEvalReport(
        path.name, len(gold), accuracy(types),
        round(sum(per_type.get(t, 0.0) for t in labels) / max(len(labels), 1), 3),
        _f1(actor_counts), _f1(recipient_counts),
        accuracy(acled) if acled else None, weighted_f1(acled) if acled else None,
        {t: per_type.get(t, 0.0) for t in labels},
    )  # fmt: skip


def _tally(c: Counter[str], gold: frozenset[str], got: set[str]) -> None:
    c["tp"] += len(gold & got)
    c["fp"] += len(got - gold)
    c["fn"] += len(gold - got)


def _f1(c: Counter[str]) -> float | None:
    if not (c["tp"] + c["fn"]):
        return None
    p = c["tp"] / max(c["tp"] + c["fp"], 1)
    r = c["tp"] / max(c["tp"] + c["fn"], 1)
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    return round(sum(g == p for g, p in pairs) / max(len(pairs), 1), 3)


def _per_label_f1(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    out = {}
    for label in {g for g, _ in pairs}:
        tp = sum(g == p == label for g, p in pairs)
        fp = sum(p == label != g for g, p in pairs)
        fn = sum(g == label != p for g, p in pairs)
        out[label] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return out


def weighted_f1(pairs: Sequence[tuple[str, str]]) -> float:
    f1 = _per_label_f1(pairs)
    support = Counter(g for g, _ in pairs)
    return round(sum(f1[k] * n for k, n in support.items()) / max(len(pairs), 1), 3)


def format_events_report(r: EventsEvalReport) -> str:
    lines = [
        f"Event extraction on {r.corpus}: {r.sentences} gold sentences (main event scored)",
        f"  PLOVER type: accuracy {r.type_accuracy:.3f}  macro-F1 {r.type_macro_f1:.3f}",
    ]
    if r.actor_f1 is not None or r.recipient_f1 is not None:
        lines.append(f"  actors F1 {_fmt(r.actor_f1)}  recipients F1 {_fmt(r.recipient_f1)}"
                     "  (country codes)")  # fmt: skip
    if r.acled_accuracy is not None:
        lines.append(f"  ACLED sub-type: accuracy {r.acled_accuracy:.3f}  weighted F1 "
                     f"{_fmt(r.acled_weighted_f1)}")  # fmt: skip
    lines.append("  per-type F1: " + ", ".join(f"{k} {v:.2f}" for k, v in r.per_type_f1.items()))
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"
