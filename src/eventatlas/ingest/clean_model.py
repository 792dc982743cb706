"""The plain-text cleaner's model: tree ensembles, hand-written rules, the document scorer, and
their loaders (see :mod:`eventatlas.ingest.clean` for how they are used).

* :func:`load_cleaner_model` reads the weights (``data/clean_model.json`` by default, only when
  called, never at import) and the rules (``data/cleaner_rules.json``).
* :func:`load_cleaner_rules` reads the rules alone: boilerplate line patterns, abbreviations for
  the sentence splitter, and the prose rule.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from eventatlas.errors import DataFileError
from eventatlas.ingest.clean_features import (
    Line,
    Vocabulary,
    feature_names,
    line_features,
    stage2_features,
    stage2_names,
)
from eventatlas.ingest.doc_kind import DocumentScorer

log = logging.getLogger(__name__)

MODEL_FILE = "clean_model.json"
RULES_FILE = "cleaner_rules.json"
_WORD = re.compile(r"\w+")
_CHUNK_ROWS = 2048  # rows scored at once: memory stays flat however long the page


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Gradient-boosted regression trees stored as padded arrays (one row per tree).

    A row is a tree's nodes; leaves point to themselves so every row can be walked ``depth``
    steps. ``decision`` returns log-odds: ``init + learning_rate * sum(leaf values)``.
    """

    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    init: float
    learning_rate: float
    depth: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TreeEnsemble:
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees)

        def pad(key: str, fill: float, dtype: Any) -> Any:
            rows = [list(t[key]) + [fill] * (width - len(t[key])) for t in trees]
            return np.array(rows, dtype=dtype)

        left = pad("left", -1, np.int64)
        right = pad("right", -1, np.int64)
        own = np.tile(np.arange(width), (len(trees), 1))
        leaf = left < 0
        return cls(
            feature=np.where(leaf, 0, pad("feature", 0, np.int64)),
            threshold=pad("threshold", 0.0, np.float64),
            left=np.where(leaf, own, left),
            right=np.where(leaf, own, right),
            value=pad("value", 0.0, np.float64),
            init=float(data["init"]),
            learning_rate=float(data["learning_rate"]),
            depth=int(data["depth"]),
        )

    def decision(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        xs = np.asarray(x, dtype=np.float64)
        if xs.shape[0] <= _CHUNK_ROWS:
            return self._decision(xs)
        parts = [
            self._decision(xs[i : i + _CHUNK_ROWS]) for i in range(0, xs.shape[0], _CHUNK_ROWS)
        ]
        return np.concatenate(parts)

    def _decision(self, xs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        n, trees = xs.shape[0], self.feature.shape[0]
        rows = np.arange(n)[:, None]
        tree_idx = np.arange(trees)[None, :]
        node = np.zeros((n, trees), dtype=np.int64)
        for _ in range(self.depth):
            feat = self.feature[tree_idx, node]
            go_left = xs[rows, feat] <= self.threshold[tree_idx, node]
            node = np.where(go_left, self.left[tree_idx, node], self.right[tree_idx, node])
        leaves = self.value[tree_idx, node]
        result: npt.NDArray[np.float64] = self.init + self.learning_rate * leaves.sum(axis=1)
        return result


def sigmoid(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


@dataclass(frozen=True)
class CruftPattern:
    """A family of boilerplate lines (``data/cleaner_rules.json``): a short line matching
    ``regex`` (case-insensitive, on its markdown-free text) is never body."""

    kind: str
    max_words: int
    regex: re.Pattern[str]

    def matches(self, text: str) -> bool:
        return len(_WORD.findall(text)) <= self.max_words and bool(self.regex.search(text))


@dataclass(frozen=True)
class ProseRule:
    """What counts as a prose segment, and when a page's cleaning is overruled (``prose`` in
    ``data/cleaner_rules.json``; see its ``prose_provenance``)."""

    min_words: int = 6
    min_stopword_ratio: float = 0.2
    min_words_any_language: int = 12
    max_link_ratio: float = 0.5
    kept_share: float = 0.2
    prose_share_of_page: float = 0.8
    bare_prose_cut: float = 0.05


@dataclass(frozen=True)
class CleanerRules:
    """The hand-written part of the cleaner: boilerplate patterns, abbreviations for the sentence
    splitter, and the prose rule."""

    patterns: tuple[CruftPattern, ...] = ()
    abbreviations: frozenset[str] = frozenset()
    prose: ProseRule = field(default_factory=ProseRule)


def load_cleaner_rules(path: Path | None = None) -> CleanerRules:
    """The cleaner's rules (default: the packaged ``data/cleaner_rules.json``)."""
    origin = str(path) if path else f"packaged eventatlas/data/{RULES_FILE}"
    try:
        if path is None:
            text = resources.files("eventatlas.data").joinpath(RULES_FILE).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        data = json.loads(text)
        patterns = tuple(
            CruftPattern(str(p["kind"]), int(p["max_words"]), re.compile(p["pattern"], re.I))
            for p in data["patterns"]
        )
        prose = ProseRule(**{k: data["prose"][k] for k in ProseRule.__dataclass_fields__})
        abbreviations = frozenset(str(a).lower() for a in data["abbreviations"])
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise DataFileError(
            f"cleaner rules {origin}: expected JSON with 'patterns' (a list of "
            "{kind, max_words, pattern}), 'abbreviations' (a list) and 'prose' (an object with "
            f"{', '.join(ProseRule.__dataclass_fields__)}), got an error ({exc!r}); "
            "fix or restore the file"
        ) from exc
    return CleanerRules(patterns, abbreviations, prose)


def load_cruft_patterns(path: Path | None = None) -> tuple[CruftPattern, ...]:
    """The boilerplate line patterns (default: the packaged ``data/cleaner_rules.json``)."""
    return load_cleaner_rules(path).patterns


@dataclass(frozen=True)
class BodyRule:
    """Which scores make the body: ``threshold``; when the lines above it hold fewer than
    ``min_body_words`` words, the threshold drops to ``fallback_fraction`` of the best score."""

    threshold: float
    min_body_words: int = 0
    fallback_fraction: float = 1.0


@dataclass(frozen=True, eq=False)
class CleanerModel:
    """Everything :func:`clean_text` needs: vocabulary, both tree ensembles, title weights."""

    vocabulary: Vocabulary
    stage1: TreeEnsemble
    stage2: TreeEnsemble
    rule: BodyRule
    title_weights: Mapping[str, float]
    title_threshold: float
    provenance: Mapping[str, Any] = field(default_factory=dict)
    rules: CleanerRules = field(default_factory=CleanerRules)
    document: DocumentScorer | None = None  # bare body or page? (None: every text is a page)

    @property
    def patterns(self) -> tuple[CruftPattern, ...]:
        return self.rules.patterns

    def line_probabilities(
        self, lines: Sequence[Line], own: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.float64]:
        """Probability that each line belongs to the article body (``own``: the lines'
        :func:`own_matrix`, when already computed)."""
        if not lines:
            return np.zeros(0)
        first = line_features(lines, self.vocabulary, own)
        p1 = sigmoid(self.stage1.decision(first))
        return sigmoid(self.stage2.decision(stage2_features(first, p1)))


def _default_model_text() -> tuple[str, str]:
    ref = resources.files("eventatlas.data").joinpath(MODEL_FILE)
    return ref.read_text("utf-8"), f"packaged eventatlas/data/{MODEL_FILE}"


def _check_columns(data: Mapping[str, Any], vocab: Vocabulary, origin: str) -> None:
    if list(data.get("feature_names", [])) != feature_names(vocab) or list(
        data.get("stage2_feature_names", [])
    ) != stage2_names(vocab):
        raise DataFileError(
            f"cleaner model {origin}: its feature columns do not match this version of "
            "eventatlas's feature code; retrain it with scripts/train_cleaner.py"
        )


def _document_scorer(data: Mapping[str, Any] | None) -> DocumentScorer | None:
    if data is None:
        return None
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    return DocumentScorer(weights, float(data["threshold"]))


def load_cleaner_model(path: Path | None = None, rules: Path | None = None) -> CleanerModel:
    """Read cleaner weights from ``path`` (default: the packaged ``data/clean_model.json``) and
    boilerplate line patterns from ``rules`` (default: the packaged ``data/cleaner_rules.json``)."""
    try:
        if path is None:
            text, origin = _default_model_text()
        else:
            text, origin = path.read_text("utf-8"), str(path)
    except OSError as exc:
        raise DataFileError(
            f"cleaner model {path}: expected a readable JSON file, got {exc.strerror}; "
            "give the path of a file written by scripts/train_cleaner.py"
        ) from exc
    try:
        data = json.loads(text)
        vocab = Vocabulary.from_mapping(data["vocabulary"])
        _check_columns(data, vocab, origin)
        model = CleanerModel(
            vocabulary=vocab,
            stage1=TreeEnsemble.from_mapping(data["stage1"]),
            stage2=TreeEnsemble.from_mapping(data["stage2"]),
            rule=BodyRule(
                float(data["threshold"]),
                int(data["min_body_words"]),
                float(data["fallback_fraction"]),
            ),
            title_weights={str(k): float(v) for k, v in data["title_weights"].items()},
            title_threshold=float(data["title_threshold"]),
            provenance=dict(data.get("provenance", {})),
            rules=load_cleaner_rules(rules),
            document=_document_scorer(data.get("document")),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            f"cleaner model {origin}: expected the JSON written by scripts/train_cleaner.py, "
            f"got something else ({exc!r}); retrain or point to the right file"
        ) from exc
    log.debug("loaded cleaner model from %s", origin)
    return model
