"""Score the configured event extractor on the real event gold (one split of it).

Each gold sentence is parsed, joined to the sentence before it in its article (parsed alone,
so that the sentence split is the gold's) and run through the configured extractor with its
article's publication date; the events found in the gold sentence are scored. Measures (all
over the split's annotated sentences):

* **detection**: a sentence is predicted an event when anything is extracted from it;
  precision / recall / F1 against the gold ``event`` flag.
* **PLOVER macro-F1**: per type, true positives are types both in the gold events and in the
  extracted events of a sentence (sets); macro over the gold types.
* **ACLED sub-type weighted F1** (CASE 2021's measure): over sentences whose gold has an ACLED
  sub-type, one label each: the gold sub-type the extraction matches if any, else the first;
  the prediction is that sub-type if extracted, else the main event's (``NONE`` when none).
* **actor F1**: canonical names (case-insensitive) of actors and of recipients, each with its
  role, over gold event sentences; a second figure on country codes.
* **date** (gold events with a known date, in sentences with an extraction; the main event is
  paired with the gold event of its type, else the first): exact (same start and end) and
  within precision (the intervals overlap).
* **status accuracy**: the same pairs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventatlas.eval.events import accuracy, weighted_f1
from eventatlas.eval.events_gold import GoldEvent, GoldEventSentence, Split, load_event_gold
from eventatlas.records import ArticleInfo, EventMention

if TYPE_CHECKING:
    from eventatlas.pipeline import ProcessResources

NONE = "NONE"


@dataclass(frozen=True)
class RealEventsReport:
    corpus: str
    split: str
    sentences: int
    gold_events: int
    detection_precision: float
    detection_recall: float
    detection_f1: float
    plover_macro_f1: float
    acled_sentences: int
    acled_accuracy: float
    acled_weighted_f1: float
    actor_f1: float
    actor_country_f1: float
    dated_pairs: int
    date_exact: float
    date_within: float
    status_pairs: int
    status_accuracy: float
    per_type_f1: dict[str, float]
    per_corpus_detection_f1: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_event_gold(
    root: Path, res: ProcessResources, split: Split = "test"
) -> RealEventsReport:
    """Score the configured extractor (:func:`eventatlas.pipeline.process_doc`) on the
    ``split`` of the gold at ``root``."""
    from spacy.tokens import Doc

    from eventatlas.pipeline import process_doc

    gold = load_event_gold(root, split)
    docs = res.nlp.pipe([g.text for g in gold], batch_size=64)
    prevs = res.nlp.pipe([g.prev or "" for g in gold], batch_size=64)
    predicted = []
    for g, doc, prev in zip(gold, docs, prevs, strict=True):
        joined = Doc.from_docs([prev, doc]) if g.prev and len(prev) and len(doc) else doc
        offset = len(joined.text) - len(doc.text)
        found = process_doc(joined, ArticleInfo(g.id, g.published, g.outlet), res).events
        predicted.append([e for e in found if e.start >= offset])
    return score_event_gold(str(root), split, gold, predicted)


def score_event_gold(
    corpus: str,
    split: str,
    gold: Sequence[GoldEventSentence],
    predicted: Sequence[list[EventMention]],
) -> RealEventsReport:
    det = Counter[str]()
    by_corpus: dict[str, Counter[str]] = {}
    types: dict[str, Counter[str]] = {}
    acled: list[tuple[str, str]] = []
    names, codes = Counter[str](), Counter[str]()
    dates, statuses = [], []
    for g, events in zip(gold, predicted, strict=True):
        _count(det, g.event, bool(events))
        _count(by_corpus.setdefault(g.corpus, Counter()), g.event, bool(events))
        _types(types, {e.type for e in g.events}, {e.type for e in events})
        if any(e.acled for e in g.events):
            acled.append(_acled_pair(g.events, events))
        if g.event:
            _actors(names, codes, g.events, events)
        if g.event and events:
            pair = _pair(g.events, events[0])
            statuses.append(pair.status == events[0].status)
            if pair.precision != "unknown" and pair.date_start is not None:
                dates.append(_date_match(pair, events[0]))
    per_type = {t: _f1(c) for t, c in sorted(types.items()) if c["tp"] + c["fn"]}
    return RealEventsReport(
        corpus, split, len(gold), sum(len(g.events) for g in gold),
        _precision(det), _recall(det), _f1(det),
        round(sum(per_type.values()) / max(len(per_type), 1), 3),
        len(acled), accuracy(acled), weighted_f1(acled),
        _f1(names), _f1(codes), len(dates),
        _share([d[0] for d in dates]), _share([d[1] for d in dates]),
        len(statuses), _share(statuses), per_type,
        {k: _f1(c) for k, c in sorted(by_corpus.items())},
    )  # fmt: skip


def _count(c: Counter[str], gold: bool, got: bool) -> None:
    c["tp" if gold and got else "fn" if gold else "fp" if got else "tn"] += 1


def _types(types: dict[str, Counter[str]], gold: set[str], got: set[str]) -> None:
    for t in gold | got:
        c = types.setdefault(t, Counter())
        c["tp" if t in gold and t in got else "fn" if t in gold else "fp"] += 1


def _acled_pair(gold: Sequence[GoldEvent], events: Sequence[EventMention]) -> tuple[str, str]:
    labels = [e.acled for e in gold if e.acled]
    got = [f"{e.acled.event_type} / {e.acled.sub_event_type}" for e in events if e.acled]
    hit = next((g for g in labels if g in got), None)
    if hit is not None:
        return hit, hit
    main = events[0].acled if events else None
    return labels[0], f"{main.event_type} / {main.sub_event_type}" if main else NONE


def _actors(
    names: Counter[str],
    codes: Counter[str],
    gold: Sequence[GoldEvent],
    events: Sequence[EventMention],
) -> None:
    g_names = {(r, a.name.lower()) for e in gold for r, a in _roles(e.actors, e.recipients)}
    p_names = {(r, a.name.lower()) for e in events for r, a in _roles(e.actors, e.recipients)}
    g_codes = {(r, a.country) for e in gold for r, a in _roles(e.actors, e.recipients) if a.country}
    p_codes = {
        (r, a.country) for e in events for r, a in _roles(e.actors, e.recipients) if a.country
    }
    for c, g, p in ((names, g_names, p_names), (codes, g_codes, p_codes)):
        c["tp"] += len(g & p)
        c["fp"] += len(p - g)
        c["fn"] += len(g - p)


def _roles(actors: Sequence[Any], recipients: Sequence[Any]) -> list[tuple[str, Any]]:
    return [("actor", a) for a in actors] + [("recipient", a) for a in recipients]


def _pair(gold: Sequence[GoldEvent], main: EventMention) -> GoldEvent:
    return next((e for e in gold if e.type == main.type), gold[0])


def _date_match(gold: GoldEvent, got: EventMention) -> tuple[bool, bool]:
    g_start = gold.date_start
    g_end = gold.date_end or g_start
    p_start, p_end = got.date.start, got.date.end or got.date.start
    if g_start is None or g_end is None or p_start is None or p_end is None:
        return False, False
    exact = (g_start, g_end) == (p_start, p_end)
    return exact, _overlap(g_start, g_end, p_start, p_end)


def _overlap(a: dt.date, b: dt.date, c: dt.date, d: dt.date) -> bool:
    return a <= d and c <= b


def _precision(c: Counter[str]) -> float:
    return round(c["tp"] / max(c["tp"] + c["fp"], 1), 3)


def _recall(c: Counter[str]) -> float:
    return round(c["tp"] / max(c["tp"] + c["fn"], 1), 3)


def _f1(c: Counter[str]) -> float:
    return round(2 * c["tp"] / max(2 * c["tp"] + c["fp"] + c["fn"], 1), 3)


def _share(values: Sequence[bool]) -> float:
    return round(sum(values) / max(len(values), 1), 3)


def format_real_events_report(r: RealEventsReport) -> str:
    lines = [
        f"Events on the real gold {r.corpus} ({r.split}): {r.sentences} sentences, "
        f"{r.gold_events} gold events",
        f"  detection: precision {r.detection_precision:.3f}  recall {r.detection_recall:.3f}  "
        f"F1 {r.detection_f1:.3f}",
        f"  PLOVER type macro-F1 {r.plover_macro_f1:.3f}",
        f"  ACLED sub-type ({r.acled_sentences} sentences): accuracy {r.acled_accuracy:.3f}  "
        f"weighted F1 {r.acled_weighted_f1:.3f}",
        f"  actors F1 {r.actor_f1:.3f} (names)  {r.actor_country_f1:.3f} (countries)",
        f"  date ({r.dated_pairs} pairs): exact {r.date_exact:.3f}  within precision "
        f"{r.date_within:.3f}",
        f"  status accuracy {r.status_accuracy:.3f} ({r.status_pairs} pairs)",
        "  detection F1 by corpus: "
        + ", ".join(f"{k} {v:.2f}" for k, v in r.per_corpus_detection_f1.items()),
        "  per-type F1: " + ", ".join(f"{k} {v:.2f}" for k, v in r.per_type_f1.items()),
    ]
    return "\n".join(lines)
