"""A learned sentence classifier: PLOVER type and ACLED sub-type from a parsed sentence.

Multinomial logistic regression over sparse lexical and syntactic features (content lemmas,
lemma bigrams, the root's lemma, negation, the lexicon's trigger hits); inference is numpy with
weights in ``data/event_model.json``, trained by ``scripts/train_events.py`` on
``training/events/train.jsonl`` (never on the evaluation sets).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from eventatlas.datafiles import packaged_name, packaged_text, parse_json, user_text
from eventatlas.errors import DataFileError
from eventatlas.events.ontology import Ontology

NONE = "NONE"
MODEL_FILE = "event_model.json"


def sentence_features(sent: Any, ontology: Ontology) -> list[str]:
    """The classifier's features of a spaCy sentence span."""
    feats: list[str] = []
    lemmas = [t.lemma_.lower() for t in sent if t.is_alpha]
    for tok in sent:
        if tok.is_alpha and not tok.is_stop:
            feats.append("l:" + tok.lemma_.lower())
        if tok.dep_ == "ROOT":
            feats.append("root:" + tok.lemma_.lower())
        if tok.dep_ == "neg":
            feats.append("neg")
        for trig in ontology.triggers.get(tok.lemma_.lower(), ()):
            feats.append(f"trig:{trig.type}")
            feats.append(f"trig:{trig.type}:{trig.mode}")
    feats += [f"b:{a}_{b}" for a, b in itertools.pairwise(lemmas)]
    return feats


@dataclass(frozen=True)
class LinearHead:
    labels: tuple[str, ...]
    index: dict[str, int]
    weights: npt.NDArray[np.float64]  # features x labels
    bias: npt.NDArray[np.float64]

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        cols = [self.index[f] for f in set(features) if f in self.index]
        scores = self.bias + (self.weights[cols].sum(axis=0) if cols else 0.0)
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return dict(zip(self.labels, (float(p) for p in probs), strict=True))


@dataclass(frozen=True)
class SentenceClassifier:
    type_head: LinearHead
    acled_head: LinearHead

    def classify(self, features: list[str]) -> tuple[dict[str, float], dict[str, float]]:
        return self.type_head.probabilities(features), self.acled_head.probabilities(features)


def load_classifier(path: Path | None = None) -> SentenceClassifier:
    """The packaged model (or the one at ``path``)."""
    if path is None:
        text, origin = packaged_text(MODEL_FILE), packaged_name(MODEL_FILE)
    else:
        text, origin = user_text(path), str(path)
    raw: Any = parse_json(text, origin)
    try:
        return SentenceClassifier(_head(raw["type"]), _head(raw["acled"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise DataFileError(
            f"{origin}: expected an event model written by scripts/train_events.py ({exc}); "
            "retrain it"
        ) from exc


def _head(raw: dict[str, Any]) -> LinearHead:
    features: list[str] = raw["features"]
    weights = np.asarray(raw["weights"], dtype=float).reshape(len(features), len(raw["labels"]))
    return LinearHead(
        tuple(raw["labels"]),
        {f: i for i, f in enumerate(features)},
        weights,
        np.asarray(raw["bias"], dtype=float),
    )
