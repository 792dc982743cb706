"""The learned sentence model of the event stage: does a sentence report an event, of which
PLOVER type, which ACLED sub-type, with which status.

Each head is a logistic regression over two representations of the sentence: sparse lexical
and syntactic features (content lemmas, lemma bigrams, the root's lemma, negation, the
lexicon's trigger hits and their ACLED types — the lexicon and the parse are features here, not
deciders) and, when the model names an encoder (``events/encoders.py``, e.g. ``static``), the
sentence's dense vector. Inference is numpy; weights, the encoder's name and the tuned
constants of the events stage (thresholds) are in ``data/event_model.json``, written by
``scripts/train_events.py`` from the real gold's train split (plus synthetic sentences, kept
apart and counted), with every choice made on the dev split.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from eventatlas.datafiles import packaged_name, packaged_text, parse_json, user_text
from eventatlas.errors import DataFileError
from eventatlas.events.ontology import Ontology

NONE = "NONE"
EVENT = "event"
MODEL_FILE = "event_model.json"
Vector = npt.NDArray[np.float32]


_CONTEXT_KINDS = ("trig:", "acled:", "l:")


def sentence_features(sent: Any, ontology: Ontology, prev: Any = None) -> list[str]:
    """The sparse features of a spaCy sentence span, and, given the sentence before it
    (``prev``), that sentence's content lemmas and trigger hits prefixed ``p``: "were killed"
    after a sentence about an air raid is the raid's toll."""
    feats = _own_features(sent, ontology)
    if prev is not None:
        feats += ["p" + f for f in _own_features(prev, ontology) if f.startswith(_CONTEXT_KINDS)]
    return feats


def context_vector(vectors: Vector, i: int) -> Vector:
    """Sentence ``i``'s vector beside its predecessor's (zeros for the first sentence)."""
    prev = vectors[i - 1] if i > 0 else np.zeros_like(vectors[i])
    return np.concatenate([vectors[i], prev])


def _own_features(sent: Any, ontology: Ontology) -> list[str]:
    feats: list[str] = []
    lemmas = [t.lemma_.lower() for t in sent if t.is_alpha]
    for tok in sent:
        low = tok.lemma_.lower()
        if tok.is_alpha and not tok.is_stop:
            feats.append("l:" + low)
        if tok.dep_ == "ROOT":
            feats.append("root:" + low)
            feats.append("roottag:" + tok.tag_)
        if tok.dep_ == "neg":
            feats.append("neg")
        if tok.like_num:
            feats.append("num")
        for trig in ontology.triggers.get(low, ()):
            feats.append(f"trig:{trig.type}")
            feats.append(f"trig:{trig.type}:{trig.mode}")
            feats.append(f"trigdep:{trig.type}:{tok.dep_}")
            if trig.acled is not None:
                feats.append(f"acled:{trig.acled.event_type} / {trig.acled.sub_event_type}")
    feats += [f"b:{a}_{b}" for a, b in itertools.pairwise(lemmas)]
    feats.append(f"len:{min(len(lemmas) // 8, 6)}")
    return feats


@dataclass(frozen=True)
class LinearHead:
    """A multinomial (or, with two labels, binary) logistic regression."""

    labels: tuple[str, ...]
    index: dict[str, int]
    weights: npt.NDArray[np.float64]  # sparse features x labels
    dense: npt.NDArray[np.float64] | None  # vector dimensions x labels
    bias: npt.NDArray[np.float64]

    def probabilities(
        self, features: Iterable[str], vector: Vector | None = None
    ) -> dict[str, float]:
        cols = [self.index[f] for f in set(features) if f in self.index]
        scores = self.bias + (self.weights[cols].sum(axis=0) if cols else 0.0)
        if self.dense is not None and vector is not None:
            scores = scores + vector.astype(np.float64) @ self.dense
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return dict(zip(self.labels, (float(p) for p in probs), strict=True))


@dataclass(frozen=True)
class SentencePrediction:
    event: float  # probability that the sentence reports an event
    types: dict[str, float]  # PLOVER type probabilities, given an event
    acled: dict[str, float]  # "event type / sub-event type" (or NONE), given an event
    status: dict[str, float]  # reported / claimed / historical / planned ..., given an event


@dataclass(frozen=True)
class SentenceModel:
    encoder: str | None  # the registry name of the dense representation, None: sparse only
    event_head: LinearHead
    type_head: LinearHead
    acled_head: LinearHead
    constants: Mapping[str, float]  # tuned on the dev split: see scripts/train_events.py
    status_head: LinearHead | None = None

    def predict(self, features: list[str], vector: Vector | None = None) -> SentencePrediction:
        return SentencePrediction(
            self.event_head.probabilities(features, vector).get(EVENT, 0.0),
            self.type_head.probabilities(features, vector),
            self.acled_head.probabilities(features, vector),
            self.status_head.probabilities(features, vector) if self.status_head else {},
        )

    def constant(self, name: str) -> float:
        if name not in self.constants:
            raise DataFileError(
                f"{MODEL_FILE}: expected a tuned constant {name!r} in its 'constants', found "
                f"{sorted(self.constants)}; retrain it with scripts/train_events.py"
            )
        return float(self.constants[name])


def load_classifier(path: Path | None = None, packaged: str = MODEL_FILE) -> SentenceModel:
    """The packaged model ``packaged`` (or the one at ``path``)."""
    if path is None:
        text, origin = packaged_text(packaged), packaged_name(packaged)
    else:
        text, origin = user_text(path), str(path)
    raw: Any = parse_json(text, origin)
    try:
        heads = raw["heads"]
        return SentenceModel(
            raw.get("encoder"), _head(heads["event"]), _head(heads["type"]),
            _head(heads["acled"]), {str(k): float(v) for k, v in raw["constants"].items()},
            _head(heads["status"]) if "status" in heads else None,
        )  # fmt: skip
    except (KeyError, ValueError, TypeError) as exc:
        raise DataFileError(
            f"{origin}: expected an event model written by scripts/train_events.py ({exc!r}); "
            "retrain it"
        ) from exc


def _head(raw: dict[str, Any]) -> LinearHead:
    features: list[str] = raw["features"]
    labels = raw["labels"]
    weights = np.asarray(raw["weights"], dtype=float).reshape(len(features), len(labels))
    dense = None
    if raw.get("dense") is not None:
        dense = np.asarray(raw["dense"], dtype=float).reshape(-1, len(labels))
    return LinearHead(
        tuple(labels), {f: i for i, f in enumerate(features)}, weights, dense,
        np.asarray(raw["bias"], dtype=float),
    )  # fmt: skip
