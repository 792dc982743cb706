"""Train the event sentence classifier (``src/eventatlas/data/event_model.json``).

Usage::

    .venv/bin/python scripts/train_events.py [--train training/events/train.jsonl] \
        [--out src/eventatlas/data/event_model.json] [--c 4.0] [--min-count 2]

Reads only the training sentences we wrote (``training/events/*.jsonl``); the evaluation sets
(PLOVER's GSR under ../shared/data/events, ``tests/fixtures/events/acled_dev.jsonl``) are never
read here. Two multinomial logistic regressions (scikit-learn, the ``train`` extra) over the
features of ``eventatlas.events.classify.sentence_features``: PLOVER type (with NONE for
sentences that report no event) and ACLED "event type / sub-event type" (NONE when not an ACLED
event). Weights are written for numpy inference.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from eventatlas.events.classify import NONE, sentence_features
from eventatlas.events.ontology import load_ontology
from eventatlas.nlp.load import load_nlp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--train", type=Path, nargs="+", default=[Path("training/events/train.jsonl")]
    )
    parser.add_argument("--out", type=Path, default=Path("src/eventatlas/data/event_model.json"))
    parser.add_argument("--c", type=float, default=4.0)
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args()
    rows = [
        json.loads(line) for p in args.train for line in p.read_text("utf-8").splitlines() if line
    ]
    nlp, onto = load_nlp(), load_ontology()
    feats = []
    for doc in nlp.pipe([r["text"] for r in rows], batch_size=64):
        feats.append([f for s in doc.sents for f in sentence_features(s, onto)])
    counts = Counter(f for fs in feats for f in set(fs))
    keep = [[f for f in fs if counts[f] >= args.min_count] for fs in feats]
    types = [r["type"] or NONE for r in rows]
    acled = [
        f"{r['acled_event_type']} / {r['acled_sub_event_type']}" if r.get("acled_sub_event_type")
        else NONE
        for r in rows
    ]
    model = {
        "provenance": f"scripts/train_events.py on {', '.join(map(str, args.train))}: "
        f"{len(rows)} sentences; C={args.c}, min_count={args.min_count}",
        "type": _fit(keep, types, args.c),
        "acled": _fit(keep, acled, args.c),
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", "utf-8")
    sys.stderr.write(f"wrote {args.out}: {len(rows)} sentences, {Counter(types).most_common(3)}\n")


def _fit(feats: list[list[str]], labels: list[str], c: float) -> dict[str, object]:
    vec = DictVectorizer()
    x = vec.fit_transform([Counter(fs) for fs in feats])
    x.data = np.minimum(x.data, 1.0)
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, labels)
    weights = clf.coef_.T if len(clf.classes_) > 2 else np.hstack([-clf.coef_.T, clf.coef_.T])
    two = np.array([-clf.intercept_[0], clf.intercept_[0]])
    bias = clf.intercept_ if len(clf.classes_) > 2 else two
    return {
        "labels": [str(c) for c in clf.classes_],
        "features": list(vec.get_feature_names_out()),
        "weights": np.round(weights, 4).ravel().tolist(),
        "bias": np.round(bias, 4).tolist(),
    }


if __name__ == "__main__":
    main()
