"""Score fusion: do the mentions of one real-world event end up in one event, and only they?

The corpus is JSON Lines, one article per line: ``{"id", "outlet", "published", "text",
"events": [{"cluster", "sentence"}]}`` — each gold sentence names the real-world event (cluster)
it reports or denies. The whole pipeline runs on the texts (spaCy, geoparsing, extraction, then
fusion in publication order); each gold sentence takes the event of the mention extracted from
it (a sentence nothing was extracted from is its own singleton). Pairwise precision, recall and
F1 over gold sentences, as in the entity-resolution literature.

Splits: ``dev`` and ``test`` halves by cluster (alternating in order of first appearance), so a
threshold chosen on one half is scored on the other.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from eventatlas.errors import DataFileError, UsageError
from eventatlas.fuse.merge import assign
from eventatlas.fuse.score import FusionWeights
from eventatlas.records import ArticleInfo, EventMention

if TYPE_CHECKING:
    from eventatlas.pipeline import ProcessResources

Split = Literal["all", "dev", "test"]


@dataclass(frozen=True)
class GoldItem:
    article: str
    cluster: str
    start: int
    end: int


@dataclass(frozen=True)
class FusionEvalReport:
    corpus: str
    split: str
    articles: int
    gold_sentences: int
    gold_events: int
    extracted: float  # share of gold sentences an event was extracted from
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_fusion_corpus(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["published"] = _date(row.get("published"))
            for e in row["events"]:
                if e["sentence"] not in row["text"]:
                    raise ValueError(f"sentence not in text: {e['sentence'][:60]!r}")
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(
                f"{path} line {number}: expected an article with text and events "
                f"[{{cluster, sentence}}] ({exc})"
            ) from exc
        rows.append(row)
    return rows


def select(rows: list[dict[str, Any]], split: Split) -> list[dict[str, Any]]:
    if split not in ("all", "dev", "test"):
        raise UsageError(f"split must be all, dev or test, got {split!r}")
    if split == "all":
        return rows
    order: dict[str, int] = {}
    for row in rows:
        for e in row["events"]:
            order.setdefault(e["cluster"], len(order))
    want = 0 if split == "dev" else 1
    return [r for r in rows if r["events"] and order[r["events"][0]["cluster"]] % 2 == want]


def extract_all(
    rows: Sequence[dict[str, Any]], res: ProcessResources
) -> tuple[list[EventMention], list[GoldItem]]:
    from eventatlas.pipeline import process_doc

    mentions: list[EventMention] = []
    gold: list[GoldItem] = []
    docs = res.nlp.pipe([r["text"] for r in rows], batch_size=16)
    for row, doc in zip(rows, docs, strict=True):
        info = ArticleInfo(row["id"], row.get("published"), row.get("outlet"))
        mentions += process_doc(doc, info, res).events
        for e in row["events"]:
            start = row["text"].index(e["sentence"])
            gold.append(GoldItem(row["id"], e["cluster"], start, start + len(e["sentence"])))
    return mentions, gold


def score_clustering(
    mentions: Sequence[EventMention], gold: Sequence[GoldItem], weights: FusionWeights | None
) -> tuple[float, float, float, float]:
    """(share extracted, precision, recall, F1) of the fusion of ``mentions`` on ``gold``."""
    events = assign(mentions, None, weights)
    by_article: dict[str, list[EventMention]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    predicted: list[str] = []
    found = 0
    for i, g in enumerate(gold):
        hit = next(
            (m for m in by_article.get(g.article, []) if m.start < g.end and g.start < m.end), None
        )
        found += hit is not None
        predicted.append(events[hit.id] if hit is not None else f"none-{i}")
    tp = fp = fn = 0
    for (a, pa), (b, pb) in itertools.combinations(zip(gold, predicted, strict=True), 2):
        same_gold, same_pred = a.cluster == b.cluster, pa == pb
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return found / max(len(gold), 1), p, r, f1


def evaluate_fusion(
    path: Path, res: ProcessResources, split: Split = "all", weights: FusionWeights | None = None
) -> FusionEvalReport:
    rows = select(load_fusion_corpus(path), split)
    mentions, gold = extract_all(rows, res)
    extracted, p, r, f1 = score_clustering(mentions, gold, weights)
    return FusionEvalReport(
        path.name, split, len(rows), len(gold), len({g.cluster for g in gold}),
        round(extracted, 3), round(p, 3), round(r, 3), round(f1, 3),
    )  # fmt: skip


def format_fusion_report(r: FusionEvalReport) -> str:
    return "\n".join([
        f"Fusion on {r.corpus}, split {r.split}: {r.articles} articles, {r.gold_sentences} gold "
        f"sentences about {r.gold_events} real-world events",
        f"  an event was extracted from {r.extracted:.1%} of the gold sentences",
        f"  pairwise precision {r.precision:.3f}  recall {r.recall:.3f}  F1 {r.f1:.3f}",
    ])  # fmt: skip


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None
