"""Plain-text cleaning: keep the article, drop the page around it — and never lose an article.

Entry points
------------
* :func:`~eventatlas.ingest.clean_model.load_cleaner_model` reads the weights and rules (only
  when called, never at import).
* :func:`clean_text` ``(text, model, body=None) -> CleanedText`` removes what is not the article
  (menus, share/follow lines, donation widgets, subscription banners, comment sections, "related"
  links, photo credits, captions repeated from the body, promos, "updated" stamps), strips
  markdown syntax keeping its text, detects the title, and says how it cleaned
  (``CleanedText.cleaning``: "page", "body" or "kept").
* Registry: kind ``"cleaners"``, name ``"lines"`` is :func:`make_line_cleaner`, a factory
  ``make_line_cleaner(model_path=None) -> TextCleaner`` that loads the model once.

How it works
------------
The text is cut into segments (:mod:`.segment`: overlong lines into sentences, hard-wrapped
lines rejoined, space runs as paragraph breaks). A first gradient-boosted tree ensemble scores
each segment from features that generalise across sites (:mod:`.clean_features`: length,
stopword, punctuation and capital density, link share, cruft-vocabulary density, position,
repetition, the same for its neighbours); a second re-scores it with the first pass's scores
around it (a learned smoothing). Then one of three policies:

* a **page** (the default for text that does not read as an article alone): segments scoring
  above the threshold are kept (the threshold falls to a share of the best score when too few
  words pass, :class:`BodyRule`); short segments matching a boilerplate pattern of
  ``data/cleaner_rules.json`` go; of two kept segments repeating each other one stays
  (:func:`drop_repeats`); the title (a logistic scorer over the candidates before the body, never
  a segment of more than :data:`MAX_TITLE_WORDS` words) is removed with its repeats;
* a **body** (``body=True``: a structured input's text field): a segment goes only when it is
  not prose and boilerplate by pattern or by score, or prose that both call boilerplate
  (:func:`is_prose`, the prose rule of the rules file);
* an **article alone** (``body=None`` and :func:`is_bare_body`: the document scorer of
  :mod:`.doc_kind` says the text has no page around it): as a body, except that prose the
  classifier is all but sure of (``bare_prose_cut``) also goes; its headline stays in its text.

A page whose cleaning would leave nothing, or drop most of a text that is mostly prose, and a
body that would come out empty, are kept whole and marked "kept". Trees, title weights and the
document scorer were trained by ``scripts/train_cleaner.py`` and ``scripts/train_document_kind.py``
on the training sites of the ScrapingHub article-extraction benchmark; inference is numpy only.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from eventatlas.ingest.clean_features import (
    TITLE_FEATURES,
    Line,
    Vocabulary,
    own_matrix,
    parse_line,
    title_features,
)
from eventatlas.ingest.clean_model import (
    BodyRule,
    CleanerModel,
    CleanerRules,
    CruftPattern,
    ProseRule,
    TreeEnsemble,
    load_cleaner_model,
    load_cleaner_rules,
    load_cruft_patterns,
    sigmoid,
)
from eventatlas.ingest.doc_kind import document_features
from eventatlas.ingest.segment import LINE, PARAGRAPH, SPACE, split_segments
from eventatlas.records import CleanedText, Cleaning
from eventatlas.registry import register

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
MAX_TITLE_WORDS = 30  # a headline is short: a longer segment is a paragraph, never the title
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(?:\s|$)")


def split_lines(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> tuple[list[Line], list[int]]:
    """The segments of ``text`` parsed (:func:`~eventatlas.ingest.segment.split_segments`), and
    for each how it was separated from the one before (SPACE, LINE or PARAGRAPH)."""
    segments = split_segments(text, abbreviations)
    return [parse_line(s.raw) for s in segments], [s.brk for s in segments]


def _detect_title(
    lines: Sequence[Line],
    probs: npt.NDArray[np.float64],
    model: CleanerModel,
    own: npt.NDArray[np.float64],
) -> int | None:
    """Index of the title line, or None when no candidate reaches the title threshold."""
    cands, feats = title_features(lines, probs, own, model.rule.threshold)
    if not len(cands):
        return None
    weights = np.array([model.title_weights.get(name, 0.0) for name in TITLE_FEATURES])
    scores = sigmoid(feats @ weights)
    scores[[not _WORD.search(lines[i].text) for i in cands]] = 0.0
    scores[[len(_WORD.findall(lines[i].text)) > MAX_TITLE_WORDS for i in cands]] = 0.0
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
    lines: Sequence[Line], probs: npt.NDArray[np.float64], model: CleanerModel, bare: bool = False
) -> list[bool]:
    """A body: a segment goes when it is not prose and either matches a boilerplate pattern or
    the classifier calls it boilerplate; a prose segment goes only when both say so ("Follow us
    on Twitter for updates."). ``bare`` (a text file that reads as an article alone, not a body
    given as such): a prose segment also goes when the classifier is all but sure it is
    boilerplate (below the prose rule's ``bare_prose_cut``: a donation banner, a comment)."""
    rule, vocab, cut = model.rules.prose, model.vocabulary, model.rule.threshold
    floor = rule.bare_prose_cut if bare else 0.0
    keep = []
    for line, p in zip(lines, probs, strict=True):
        cruft, low = _is_cruft(line, model), p < cut
        if is_prose(line, vocab, rule):
            keep.append(not (cruft and low) and p >= floor)
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


def document_row(
    lines: Sequence[Line], own: npt.NDArray[np.float64], model: CleanerModel
) -> npt.NDArray[np.float64]:
    """The text's row of :data:`~eventatlas.ingest.doc_kind.DOCUMENT_FEATURES` (what the
    document scorer reads; its trainer builds rows the same way)."""
    vocab, rule = model.vocabulary, model.rules.prose
    prose = [is_prose(line, vocab, rule) for line in lines]
    return document_features(own, prose, [_is_cruft(line, model) for line in lines])


def is_bare_body(lines: Sequence[Line], own: npt.NDArray[np.float64], model: CleanerModel) -> bool:
    """Whether a plain text reads as an article body alone rather than a page around one
    (:mod:`~eventatlas.ingest.doc_kind`); always False for a model without a document scorer."""
    if model.document is None or not lines:
        return False
    return model.document.probability(document_row(lines, own, model)) >= model.document.threshold


def clean_text(text: str, model: CleanerModel, *, body: bool | None = None) -> CleanedText:
    """The article in ``text`` without boilerplate or markdown syntax, and its title if shown.

    ``body=True``: ``text`` is an article body given by structured input (JSON Lines, CSV, a
    feed, the API), not a page: only boilerplate segments are removed, never prose, and no title
    is looked for. ``body=None`` (a text file, a scrape): cleaned the same way when it reads as a
    bare body (an article alone: :func:`is_bare_body`; prose the classifier is all but sure is
    boilerplate still goes), else as a page. ``body=False``: a page. A page whose cleaning would
    leave nothing, or drop most of a text that is mostly prose, is kept whole (without markdown
    syntax) and marked ``cleaning="kept"``; so is a body that would come out empty while holding
    words. A title is looked for in every text but a given body, and removed from pages only.
    """
    lines, breaks = split_lines(text, model.rules.abbreviations)
    if not lines:
        return CleanedText(text="", title=None, cleaning="body" if body else "page")
    own = own_matrix(lines, model.vocabulary)
    probs = model.line_probabilities(lines, own)
    bare = body is None and is_bare_body(lines, own, model)
    if body:
        keep = _body_keep(lines, probs, model)
        cleaning: Cleaning = "body"
    elif bare:  # an article alone in a text file
        keep = _body_keep(lines, probs, model, bare=True)
        cleaning = "body"
    else:
        keep = _page_keep(lines, probs, model)
        cleaning = "page"
    if not any(keep) if cleaning == "body" else _overruled(lines, keep, model):
        return CleanedText(assemble_body(lines, breaks, [True] * len(lines)), None, "kept")
    title = None
    if not body:  # a given body's title comes with it
        title_at = _detect_title(lines, probs, model, own)
        title = lines[title_at].text if title_at is not None else None
    if title is not None and cleaning == "page":  # an article alone keeps its headline in its text
        key = _norm(title)
        rest = [k and _norm(line.text) != key for k, line in zip(keep, lines, strict=True)]
        keep, title = (rest, title) if any(rest) else (keep, None)  # the body is no title
    return CleanedText(text=assemble_body(lines, breaks, keep), title=title, cleaning=cleaning)


class TextCleaner(Protocol):
    """``(text, body=None) -> CleanedText``: what ingest calls to clean plain text (``body``:
    True for a given body, None to decide, False for a page)."""

    def __call__(self, text: str, body: bool | None = None) -> CleanedText: ...


@register("cleaners", "lines")
def make_line_cleaner(model_path: Path | None = None) -> TextCleaner:
    """Load the cleaner model once; return ``(text, body=None) -> CleanedText`` using it."""
    model = load_cleaner_model(model_path)

    def clean(text: str, body: bool | None = None) -> CleanedText:
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
    "document_row",
    "drop_repeats",
    "is_bare_body",
    "is_prose",
    "load_cleaner_model",
    "load_cleaner_rules",
    "load_cruft_patterns",
    "make_line_cleaner",
    "split_lines",
]
