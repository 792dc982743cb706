"""Train the event stage's sentence model (``src/eventatlas/data/event_model.json``).

Usage::

    .venv/bin/python scripts/train_events.py [--gold training/events_gold] \
        [--synth training/events_synth/synth.jsonl training/events/train.jsonl] \
        [--encoder static|minilm|none] [--out src/eventatlas/data/event_model.json]

Trains on the real gold's **train** split plus the synthetic sentences (kept apart: their own
files, counted in the provenance); every choice (regularisation C, the detection threshold) is
made on the **dev** split. The test split is never read here: score it with
``eventatlas eval events --corpus training/events_gold --split test``.

Heads (logistic regressions over ``classify.sentence_features`` and, with an encoder, the
sentence vector): ``event`` (does the sentence report an event: gold ``event``), ``type`` (PLOVER
type of the sentence's first gold event, on event sentences), ``acled`` (ACLED "event type /
sub-event type" of its first ACLED-coded event, NONE when it has none, on event sentences).
Detection threshold: among cuts whose dev precision is ≥ 0.85, the one with the highest dev
recall (else the best dev F1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from eventatlas.eval.events_gold import load_event_gold
from eventatlas.events.classify import EVENT, NONE, sentence_features
from eventatlas.events.ontology import load_ontology
from eventatlas.nlp.load import load_nlp

log = logging.getLogger("train_events")
TARGET_PRECISION = 0.85
C_GRID = (0.3, 1.0, 3.0)
EXTRA_GRID = (0.1, 0.2, 0.3, 0.5, 1.01)  # 1.01: never a second event type
STATUS_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: the parse's status always
DENSE_SCALE = 8.0  # unit vectors scaled so that their columns are on the sparse features' scale


@dataclass(frozen=True)
class Example:
    text: str
    event: bool
    type: str | None
    acled: str | None
    origin: str  # gold-train, gold-dev, or the synthetic file's name
    prev: str | None = None  # the sentence before it in its article
    status: str | None = None  # of the first event


def gold_examples(root: Path, split: str) -> list[Example]:
    out = []
    for g in load_event_gold(root, split):  # type: ignore[arg-type]
        acled = next((e.acled for e in g.events if e.acled), None)
        first = g.events[0].type if g.events else None
        status = g.events[0].status if g.events else None
        out.append(Example(g.text, g.event, first, acled, f"gold-{split}", g.prev, status))
    return out


def synthetic_examples(path: Path) -> list[Example]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if "events" in r:  # training/events_synth format
            events = r["events"] or []
            acled = next((e["acled"] for e in events if e.get("acled")), None)
            out.append(Example(
                r["text"], bool(r["event"]) and bool(events),
                events[0]["type"] if events else None,
                f"{acled['event_type']} / {acled['sub_event_type']}" if acled else None,
                path.name, None, events[0].get("status") if events else None,
            ))  # fmt: skip
        else:  # training/events/train.jsonl: one event (or none) per sentence
            sub = r.get("acled_sub_event_type")
            out.append(Example(
                r["text"], bool(r.get("type")), r.get("type") or None,
                f"{r['acled_event_type']} / {sub}" if sub else None, path.name, None,
                r.get("status"),
            ))  # fmt: skip
    return out


def featurise(examples: Sequence[Example], nlp: Any, encoder: Any) -> tuple[list[list[str]], Any]:
    """Sparse features and (with an encoder) vectors of each example with its context, the way
    ``extract_doc`` builds them for a sentence and the one before it."""
    onto = load_ontology()
    feats = []
    docs = nlp.pipe([e.text for e in examples], batch_size=64)
    prevs = nlp.pipe([e.prev or "" for e in examples], batch_size=64)
    for e, doc, prev in zip(examples, docs, prevs, strict=True):
        last = list(prev.sents)[-1] if e.prev and len(prev) else None
        feats.append([f for s in doc.sents for f in sentence_features(s, onto, last)])
    if encoder is None:
        return feats, None
    own = encoder.encode([e.text for e in examples])
    before = encoder.encode([e.prev or "" for e in examples])
    before[[not e.prev for e in examples]] = 0.0
    return feats, np.hstack([own, before])


def matrix(vec: DictVectorizer, feats: list[list[str]], dense: Any) -> Any:
    x = vec.transform([dict.fromkeys(f, 1) for f in feats])
    if dense is not None:
        x = sp.hstack([x, sp.csr_matrix(dense * DENSE_SCALE)]).tocsr()
    return x


def fit_head(
    x_tr: Any, y_tr: list[str], x_dv: Any, y_dv: list[str], vec: DictVectorizer, dim: int
) -> tuple[dict[str, Any], LogisticRegression, float]:
    best: tuple[float, float, LogisticRegression] | None = None
    for c in C_GRID:
        m = LogisticRegression(C=c, max_iter=4000, class_weight="balanced")
        m.fit(x_tr, y_tr)
        score = f1_score(y_dv, m.predict(x_dv), average="weighted") if y_dv else 0.0
        if best is None or score > best[0]:
            best = (score, c, m)
    assert best is not None
    score, c, m = best
    return export_head(m, vec, dim), m, c


def export_head(m: LogisticRegression, vec: DictVectorizer, dim: int) -> dict[str, Any]:
    labels = [str(c) for c in m.classes_]
    coef, bias = m.coef_, m.intercept_
    if len(labels) == 2:  # binary: softmax over (-w/2, +w/2) equals the sigmoid of w
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    names = vec.get_feature_names_out()
    n = len(names)
    sparse_w = coef[:, :n].T
    keep = np.abs(sparse_w).max(axis=1) >= 1e-4
    dense_w = coef[:, n:].T * DENSE_SCALE if dim else None
    return {
        "labels": labels,
        "features": [str(f) for f, k in zip(names, keep, strict=True) if k],
        "weights": [round(float(v), 4) for v in sparse_w[keep].ravel()],
        "dense": None if dense_w is None else [round(float(v), 5) for v in dense_w.ravel()],
        "bias": [round(float(b), 4) for b in bias],
    }


def choose_threshold(probs: np.ndarray, gold: list[bool]) -> tuple[float, dict[str, float]]:
    y = np.asarray(gold)
    rows = []
    for t in np.arange(0.05, 0.96, 0.01):
        pred = probs >= t
        tp = float((pred & y).sum())
        p = tp / max(pred.sum(), 1)
        r = tp / max(y.sum(), 1)
        rows.append((round(float(t), 2), p, r, 2 * p * r / max(p + r, 1e-9)))
    ok = [row for row in rows if row[1] >= TARGET_PRECISION]
    best = max(ok, key=lambda row: (row[2], row[1])) if ok else max(rows, key=lambda row: row[3])
    return best[0], {"precision": best[1], "recall": best[2], "f1": best[3]}


def tune_on_dev(model_file: dict[str, Any], gold: Path) -> dict[str, float]:
    """The extractor's cuts, each the value of its grid with the best dev score through the
    whole extractor: ``extra_event_min`` (the probability a second event type needs beside the
    main event; PLOVER macro-F1) and then ``status_override`` (how sure the status head must be
    to overrule the parse's status; status accuracy)."""
    import dataclasses
    import tempfile

    from eventatlas.eval.events_real import evaluate_event_gold
    from eventatlas.events.actors import load_actors
    from eventatlas.events.classify import load_classifier
    from eventatlas.events.extract import EventResources, extract_doc, with_model
    from eventatlas.pipeline import load_process_resources
    from eventatlas.settings import Settings

    chosen = {"extra_event_min": 1.01, "status_override": 1.01}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.json"
        constants = {**model_file["constants"], **chosen}
        path.write_text(json.dumps({**model_file, "constants": constants}), "utf-8")
        model = load_classifier(path)
    base = load_process_resources(Settings(), events=False)
    events = with_model(EventResources(load_ontology(), load_actors(), None), model)
    res = dataclasses.replace(base, extractor=extract_doc, events=events)
    for name, grid, measure in (
        ("extra_event_min", EXTRA_GRID, "plover_macro_f1"),
        ("status_override", STATUS_GRID, "status_accuracy"),
    ):
        best: tuple[float, float] = (-1.0, 1.01)
        for value in grid:
            tuned = dataclasses.replace(model, constants={**model.constants, **chosen, name: value})
            events = dataclasses.replace(res.events, classifier=tuned)
            report = evaluate_event_gold(gold, dataclasses.replace(res, events=events), "dev")
            score = getattr(report, measure)
            log.info("%s %.2f: dev %s %.3f (detection F1 %.3f, ACLED weighted F1 %.3f)",
                     name, value, measure, score, report.detection_f1,
                     report.acled_weighted_f1)  # fmt: skip
            if score > best[0]:
                best = (score, value)
        chosen[name] = best[1]
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("training/events_gold"))
    synth = [Path("training/events_synth/synth.jsonl"), Path("training/events/train.jsonl")]
    parser.add_argument("--synth", type=Path, nargs="*", default=synth)
    parser.add_argument("--encoder", default="static", help="registry name, or 'none'")
    parser.add_argument("--out", type=Path, default=Path("src/eventatlas/data/event_model.json"))
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)

    train = gold_examples(args.gold, "train")
    dev = gold_examples(args.gold, "dev")
    synth = [e for p in args.synth if p.is_file() for e in synthetic_examples(p)]
    encoder = None
    if args.encoder != "none":
        from eventatlas.events.encoders import load_encoder

        encoder = load_encoder(args.encoder)
    nlp = load_nlp()
    all_train = train + synth
    f_tr, d_tr = featurise(all_train, nlp, encoder)
    f_dv, d_dv = featurise(dev, nlp, encoder)
    counts = Counter(f for fs in f_tr for f in set(fs))
    vec = DictVectorizer().fit([{f: 1 for f in fs if counts[f] >= args.min_count} for fs in f_tr])
    dim = 0 if d_tr is None else int(d_tr.shape[1])
    x_tr, x_dv = matrix(vec, f_tr, d_tr), matrix(vec, f_dv, d_dv)

    heads: dict[str, Any] = {}
    chosen: dict[str, float] = {}
    y_tr = [EVENT if e.event else "no" for e in all_train]
    y_dv = [EVENT if e.event else "no" for e in dev]
    heads["event"], model, chosen["C_event"] = fit_head(x_tr, y_tr, x_dv, y_dv, vec, dim)
    probs = model.predict_proba(x_dv)[:, list(model.classes_).index(EVENT)]
    threshold, at = choose_threshold(probs, [e.event for e in dev])
    ev_tr = [i for i, e in enumerate(all_train) if e.event and e.type]
    ev_dv = [i for i, e in enumerate(dev) if e.event and e.type]
    labels = (
        ("type", lambda e: e.type), ("acled", lambda e: e.acled or NONE),
        ("status", lambda e: e.status or "reported"),
    )  # fmt: skip
    for name, label in labels:
        heads[name], _, chosen[f"C_{name}"] = fit_head(
            x_tr[ev_tr], [label(all_train[i]) for i in ev_tr],
            x_dv[ev_dv], [label(dev[i]) for i in ev_dv], vec, dim,
        )  # fmt: skip
    counts_by = Counter(e.origin for e in all_train)
    digest = hashlib.sha256("\n".join(sorted(e.text for e in all_train)).encode()).hexdigest()
    model_file = {
        "provenance": {
            "script": "scripts/train_events.py",
            "trained": dt.date.today().isoformat(),
            "trained_on": dict(counts_by),
            "events_in_training": sum(e.event for e in all_train),
            "synthetic_files": [str(p) for p in args.synth if p.is_file()],
            "gold": str(args.gold),
            "chosen_on": f"gold-dev ({len(dev)} sentences)",
            "never_read": "the gold's test split",
            "train_texts_sha256": digest,
            "dev_detection_at_threshold": {k: round(v, 3) for k, v in at.items()},
            "min_count": args.min_count,
            "dense_scale": DENSE_SCALE,
        },
        "encoder": encoder.name if encoder is not None else None,
        "constants": {"detect_threshold": threshold, **chosen},
        "heads": heads,
    }
    model_file["constants"].update(tune_on_dev(model_file, args.gold))
    args.out.write_text(json.dumps(model_file, separators=(",", ":")) + "\n", "utf-8")
    log.info("trained on %s; encoder %s; threshold %.2f (dev P %.3f R %.3f F1 %.3f); C %s",
             dict(counts_by), model_file["encoder"], threshold, at["precision"], at["recall"],
             at["f1"], chosen)  # fmt: skip
    log.info("wrote %s (%d bytes)", args.out, args.out.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
