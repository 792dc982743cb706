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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

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
    title_candidates,
    title_features,
)
from eventatlas.ingest.segment import LINE, PARAGRAPH, SPACE, split_segments
from eventatlas.records import CleanedText
from eventatlas.registry import register

log = logging.getLogger(__name__)

MODEL_FILE = "clean_model.json"
RULES_FILE = "cleaner_rules.json"
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(?:\s|$)")
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

    @property
    def patterns(self) -> tuple[CruftPattern, ...]:
        return self.rules.patterns

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
            rules=load_cleaner_rules(rules),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataFileError(
            f"cleaner model {origin}: expected the JSON written by scripts/train_cleaner.py, "
            f"got something else ({exc!r}); retrain or point to the right file"
        ) from exc
    log.debug("loaded cleaner model from %s", origin)
    return model


def split_lines(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> tuple[list[Line], list[int]]:
    """The segments of ``text`` parsed (:func:`~eventatlas.ingest.segment.split_segments`), and
    for each how it was separated from the one before (SPACE, LINE or PARAGRAPH)."""
    segments = split_segments(text, abbreviations)
    return [parse_line(s.raw) for s in segments], [s.brk for s in segments]


def _detect_title(
    lines: Sequence[Line], probs: npt.NDArray[np.float64], model: CleanerModel
) -> int | None:
    """Index of the title line, or None when no candidate reaches the title threshold."""
    head = title_candidates(probs, model.rule.threshold).stop + 4  # candidates and 3 lines after
    own = own_matrix(lines[:head], model.vocabulary)
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


_JOINERS = {SPACE: " ", LINE: "\n", PARAGRAPH: "\n\n"}


def assemble_body(lines: Sequence[Line], breaks: Sequence[int], keep: Sequence[bool]) -> str:
    """Kept segments joined as they were in the input: a space within a line, a newline between
    lines, a blank line between paragraphs or where something was left out between them."""
    parts: list[str] = []
    pending = SPACE
    for line, brk, kept in zip(lines, breaks, keep, strict=True):
        pending = max(pending, brk)
        if not kept or not line.text:
            pending = PARAGRAPH
            continue
        if parts:
            parts.append(_JOINERS[pending])
        parts.append(line.text)
        pending = SPACE
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


def word_count(line: Line) -> int:
    return len(_WORD.findall(line.text))


def is_prose(line: Line, vocab: Vocabulary, rule: ProseRule) -> bool:
    """Whether a segment reads as a sentence someone wrote (see :class:`ProseRule`)."""
    words = _WORD.findall(line.text)
    if len(words) < rule.min_words or line.link_chars > rule.max_link_ratio * len(line.text):
        return False
    stop = sum(1 for w in words if w.lower() in vocab.stopwords) / len(words)
    if stop >= rule.min_stopword_ratio:
        return True
    return len(words) >= rule.min_words_any_language and bool(_SENTENCE_END.search(line.text))


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


_COMMON_GRAM = 20  # a trigram in more kept lines than this says nothing about repetition


def drop_repeats(
    lines: Sequence[Line], keep: Sequence[bool], probs: npt.NDArray[np.float64]
) -> list[bool]:
    """Of two kept lines saying the same thing (>= 80% of the shorter one's word trigrams, at
    least five, in the other: a caption or pull quote repeating the body), keep one: the
    higher-scoring, or on a tie the later (captions come before the text they repeat).
    Pairs are found through an index of their trigrams, so the cost stays near linear."""
    out = list(keep)
    grams = {i: _trigrams(lines[i].text) for i, k in enumerate(keep) if k}
    grams = {i: g for i, g in grams.items() if len(g) >= 5}
    posting: dict[tuple[str, ...], list[int]] = {}
    for i in sorted(grams):
        for g in grams[i]:
            posting.setdefault(g, []).append(i)
    for a in sorted(grams):
        shared = Counter(
            b for g in grams[a] if len(posting[g]) <= _COMMON_GRAM for b in posting[g] if b > a
        )
        for b, _n in sorted(shared.items()):
            if not (out[a] and out[b]):
                continue
            small, big = sorted((grams[a], grams[b]), key=len)
            if len(small & big) >= 0.8 * len(small):
                out[a if probs[a] <= probs[b] else b] = False
    return out


def _page_keep(
    lines: Sequence[Line], probs: npt.NDArray[np.float64], model: CleanerModel
) -> list[bool]:
    keep = body_lines(lines, probs, model.rule)
    keep = [k and not _is_cruft(line, model) for k, line in zip(keep, lines, strict=True)]
    return drop_repeats(lines, keep, probs)


def _body_keep(
    lines: Sequence[Line], probs: npt.NDArray[np.float64], model: CleanerModel
) -> list[bool]:
    """A given article body: a segment goes when it is not prose and either matches a
    boilerplate pattern or the classifier calls it boilerplate; a prose segment goes only when
    both say so ("Follow us on Twitter for updates."). Prose the classifier keeps always stays."""
    rule, vocab, cut = model.rules.prose, model.vocabulary, model.rule.threshold
    keep = []
    for line, p in zip(lines, probs, strict=True):
        cruft, low = _is_cruft(line, model), p < cut
        if is_prose(line, vocab, rule):
            keep.append(not (cruft and low))
        else:
            keep.append(not (cruft or low))
    return keep


def _overruled(lines: Sequence[Line], keep: Sequence[bool], model: CleanerModel) -> bool:
    """Whether the page's cleaning would remove most of a text that is mostly prose."""
    rule = model.rules.prose
    total = prose = kept = 0
    for line, k in zip(lines, keep, strict=True):
        n = word_count(line)
        total += n
        if is_prose(line, model.vocabulary, rule):
            prose += n
            kept += n if k else 0
    if not prose:
        return False
    if not any(keep):
        return True
    return prose >= rule.prose_share_of_page * total and kept < rule.kept_share * prose


def clean_text(text: str, model: CleanerModel, *, body: bool = False) -> CleanedText:
    """The article in ``text`` without boilerplate or markdown syntax, and its title if shown.

    ``body``: ``text`` is an article body given by structured input (JSON Lines, CSV, a feed, the
    API), not a page: only boilerplate segments are removed, never prose, and no title is looked
    for. A page whose cleaning would leave nothing, or drop most of a text that is mostly prose,
    is kept whole (without markdown syntax) and marked ``cleaning="kept"``; so is a body that
    would come out empty while holding words.
    """
    lines, breaks = split_lines(text, model.rules.abbreviations)
    if not lines:
        return CleanedText(text="", title=None, cleaning="body" if body else "page")
    probs = model.line_probabilities(lines)
    if body:
        keep = _body_keep(lines, probs, model)
        if not any(keep):
            return CleanedText(assemble_body(lines, breaks, [True] * len(lines)), None, "kept")
        return CleanedText(assemble_body(lines, breaks, keep), None, "body")
    keep = _page_keep(lines, probs, model)
    if _overruled(lines, keep, model):
        return CleanedText(assemble_body(lines, breaks, [True] * len(lines)), None, "kept")
    title_at = _detect_title(lines, probs, model)
    title = lines[title_at].text if title_at is not None else None
    if title is not None:
        key = _norm(title)
        keep = [k and _norm(line.text) != key for k, line in zip(keep, lines, strict=True)]
    return CleanedText(text=assemble_body(lines, breaks, keep), title=title, cleaning="page")


class TextCleaner(Protocol):
    """``(text, body=False) -> CleanedText``: what ingest calls to clean plain text."""

    def __call__(self, text: str, body: bool = False) -> CleanedText: ...


@register("cleaners", "lines")
def make_line_cleaner(model_path: Path | None = None) -> TextCleaner:
    """Load the cleaner model once; return ``(text, body=False) -> CleanedText`` using it."""
    model = load_cleaner_model(model_path)

    def clean(text: str, body: bool = False) -> CleanedText:
        return clean_text(text, model, body=body)

    return clean


__all__ = [
    "BodyRule",
    "CleanerModel",
    "CleanerRules",
    "CruftPattern",
    "ProseRule",
    "TextCleaner",
    "TreeEnsemble",
    "assemble_body",
    "body_lines",
    "clean_text",
    "drop_repeats",
    "is_prose",
    "load_cleaner_model",
    "load_cleaner_rules",
    "load_cruft_patterns",
    "make_line_cleaner",
    "split_lines",
]
