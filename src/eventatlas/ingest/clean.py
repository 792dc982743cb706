"""Plain-text cleaning: keep the article, drop the page around it.

Entry points
------------
* :func:`load_cleaner_model` reads the weights (``data/clean_model.json`` by default, only when
  called, never at import).
* :func:`clean_text` ``(text, model) -> CleanedText`` removes what is not the article (menus,
  share/follow lines, donation widgets, subscription and support banners, comment sections,
  "related" links, photo credits, captions repeated from the body, promos, "updated" stamps),
  strips markdown syntax (links, emphasis, headings, quotes, list markers; images are dropped)
  keeping its text, and detects the title a page shows.
* Registry: kind ``"cleaners"``, name ``"lines"`` is :func:`make_line_cleaner`, a factory
  ``make_line_cleaner(model_path: Path | None = None) -> Callable[[str], CleanedText]`` that loads
  the model once and returns a closure over it.

How it works
------------
Every non-blank line is a unit. A first gradient-boosted tree ensemble scores each line from
features that generalise across sites (see :mod:`.clean_features`): its length, stopword,
punctuation and capital density, link share, cruft-vocabulary density, position, repetition, and
the same for its neighbours. A second ensemble re-scores each line from those features plus the
first pass's scores of the surrounding lines, a learned smoothing that favours one contiguous
article. Lines scoring above a threshold are kept; when they hold too few words the threshold
drops to a share of the page's best score (:class:`BodyRule`). The title is the candidate line
up to the start of the body that a small logistic scorer rates highest, if it reaches the title
threshold (markdown ``#`` headings, headline length, no final period, nearness to the body and a
date just after it weigh for it); it is removed from the body with any repeats of it.
Two checks follow the classifier: short lines matching a boilerplate pattern of
``data/cleaner_rules.json`` (families such as "Related …:", "Updated …:", "Follow us on …",
amount buttons, comment-widget labels) are dropped, and of two kept lines repeating each other
(a caption or pull quote restating the body) only one stays (:func:`drop_repeats`).
Trees, rule and title weights were trained by
``scripts/train_cleaner.py`` on the training split of the ScrapingHub article-extraction benchmark
(pages flattened to plain and to markdown-flavoured text); inference is numpy only.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from eventatlas.errors import DataFileError
from eventatlas.ingest.clean_features import (
    TITLE_FEATURES,
    Line,
    Vocabulary,
    feature_names,
    line_features,
    own_matrix,
    parse_line,
    stage2_features,
    stage2_names,
    title_features,
)
from eventatlas.records import CleanedText
from eventatlas.registry import register

log = logging.getLogger(__name__)

MODEL_FILE = "clean_model.json"
RULES_FILE = "cleaner_rules.json"
_WORD = re.compile(r"\w+")


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


def _sigmoid(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
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


def load_cruft_patterns(path: Path | None = None) -> tuple[CruftPattern, ...]:
    """The boilerplate line patterns (default: the packaged ``data/cleaner_rules.json``)."""
    origin = str(path) if path else f"packaged eventatlas/data/{RULES_FILE}"
    try:
        if path is None:
            text = resources.files("eventatlas.data").joinpath(RULES_FILE).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        return tuple(
            CruftPattern(str(p["kind"]), int(p["max_words"]), re.compile(p["pattern"], re.I))
            for p in json.loads(text)["patterns"]
        )
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise DataFileError(
            f"cleaner rules {origin}: expected JSON with a 'patterns' list of "
            f"{{kind, max_words, pattern}}, got an error ({exc!r}); fix or restore the file"
        ) from exc


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
    patterns: tuple[CruftPattern, ...] = ()

    def line_probabilities(self, lines: Sequence[Line]) -> npt.NDArray[np.float64]:
        """Probability that each line belongs to the article body."""
        if not lines:
            return np.zeros(0)
        first = line_features(lines, self.vocabulary)
        p1 = _sigmoid(self.stage1.decision(first))
        return _sigmoid(self.stage2.decision(stage2_features(first, p1)))


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
            patterns=load_cruft_patterns(rules),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            f"cleaner model {origin}: expected the JSON written by scripts/train_cleaner.py, "
            f"got something else ({exc!r}); retrain or point to the right file"
        ) from exc
    log.debug("loaded cleaner model from %s", origin)
    return model


def split_lines(text: str) -> tuple[list[Line], list[bool]]:
    """Non-blank lines of ``text`` parsed, and for each whether a blank line preceded it."""
    lines: list[Line] = []
    gap_before: list[bool] = []
    gap = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            gap = True
            continue
        lines.append(parse_line(raw))
        gap_before.append(gap)
        gap = False
    return lines, gap_before


def _detect_title(
    lines: Sequence[Line], probs: npt.NDArray[np.float64], model: CleanerModel
) -> int | None:
    """Index of the title line, or None when no candidate reaches the title threshold."""
    own = own_matrix(lines, model.vocabulary)
    cands, feats = title_features(lines, probs, own, model.rule.threshold)
    if not len(cands):
        return None
    weights = np.array([model.title_weights.get(name, 0.0) for name in TITLE_FEATURES])
    scores = _sigmoid(feats @ weights)
    scores[[not _WORD.search(lines[i].text) for i in cands]] = 0.0
    best = int(np.argmax(scores))
    return cands[best] if scores[best] >= model.title_threshold else None


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def assemble_body(lines: Sequence[Line], gap_before: Sequence[bool], keep: Sequence[bool]) -> str:
    """Kept lines, a blank line between those that were apart in the input, else a newline."""
    parts: list[str] = []
    apart = False
    for line, gap, kept in zip(lines, gap_before, keep, strict=True):
        apart = apart or gap
        if not kept or not line.text:
            apart = True
            continue
        if parts:
            parts.append("\n\n" if apart else "\n")
        parts.append(line.text)
        apart = False
    return "".join(parts)


def body_lines(lines: Sequence[Line], probs: npt.NDArray[np.float64], rule: BodyRule) -> list[bool]:
    """Lines scoring above the threshold; if they hold too few words, lower it to a share of
    the best score so a page whose article scores low everywhere still yields its best block."""
    keep = probs >= rule.threshold
    kept_words = sum(
        len(_WORD.findall(line.text)) for line, k in zip(lines, keep, strict=True) if k
    )
    if kept_words < rule.min_body_words and len(probs):
        keep = probs >= min(rule.threshold, rule.fallback_fraction * float(probs.max()))
    return [bool(k) for k in keep]


def _is_cruft(line: Line, model: CleanerModel) -> bool:
    return any(pattern.matches(line.text) for pattern in model.patterns)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def drop_repeats(
    lines: Sequence[Line], keep: Sequence[bool], probs: npt.NDArray[np.float64]
) -> list[bool]:
    """Of two kept lines saying the same thing (>= 80% of the shorter one's word trigrams, at
    least five, in the other: a caption or pull quote repeating the body), keep one: the
    higher-scoring, or on a tie the later (captions come before the text they repeat)."""
    out = list(keep)
    grams = {i: _trigrams(lines[i].text) for i, k in enumerate(keep) if k}
    grams = {i: g for i, g in grams.items() if len(g) >= 5}
    order = sorted(grams)
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1 :]:
            if not (out[a] and out[b]):
                continue
            small, big = sorted((grams[a], grams[b]), key=len)
            if len(small & big) >= 0.8 * len(small):
                out[a if probs[a] <= probs[b] else b] = False
    return out


def clean_text(text: str, model: CleanerModel) -> CleanedText:
    """The article in ``text`` without boilerplate or markdown syntax, and its title if shown."""
    lines, gap_before = split_lines(text)
    if not lines:
        return CleanedText(text="", title=None)
    probs = model.line_probabilities(lines)
    keep = body_lines(lines, probs, model.rule)
    keep = [k and not _is_cruft(line, model) for k, line in zip(keep, lines, strict=True)]
    keep = drop_repeats(lines, keep, probs)
    title_at = _detect_title(lines, probs, model)
    title = lines[title_at].text if title_at is not None else None
    if title is not None:
        key = _norm(title)
        keep = [k and _norm(line.text) != key for k, line in zip(keep, lines, strict=True)]
    return CleanedText(text=assemble_body(lines, gap_before, keep), title=title)


@register("cleaners", "lines")
def make_line_cleaner(model_path: Path | None = None) -> Callable[[str], CleanedText]:
    """Load the cleaner model once; return ``text -> CleanedText`` using it."""
    model = load_cleaner_model(model_path)

    def clean(text: str) -> CleanedText:
        return clean_text(text, model)

    return clean


__all__ = [
    "BodyRule",
    "CleanerModel",
    "CruftPattern",
    "TreeEnsemble",
    "assemble_body",
    "body_lines",
    "clean_text",
    "drop_repeats",
    "load_cleaner_model",
    "load_cruft_patterns",
    "make_line_cleaner",
    "split_lines",
]
