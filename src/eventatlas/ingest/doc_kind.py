"""Is a plain text a bare article body, or a page with boilerplate around an article?

Entry points: :func:`document_features` (a text's row) and :meth:`DocumentScorer.probability`.

A user hands us text in many forms: a web page flattened to text (menus, share buttons, comment
threads around the article), or an article body alone in a ``.txt`` file, one paragraph a line,
hard-wrapped, a sentence a paragraph. A body alone should lose nothing but stray boilerplate
segments (the cleaner's body mode); a page needs its boilerplate removed. A small logistic scorer
tells them apart from what a whole document looks like, not from any vocabulary of its own:
the share of its words in prose segments, the share of short segments and of short cruft-heavy
ones, its words' cruft density, link-text share, segments matching boilerplate patterns, segments
ending a sentence, headings and list items, and its length. Its weights and cut are trained by
``scripts/train_cleaner.py`` (ScrapingHub training sites: flattened pages against their gold
bodies laid out as plain text) and stored in the cleaner model file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

DOCUMENT_FEATURES: tuple[str, ...] = (
    "bias",
    "prose_word_share",
    "short_segment_share",
    "short_cruft_share",
    "cruft_word_share",
    "link_char_share",
    "pattern_share",
    "terminal_share",
    "heading_or_list_share",
    "log_segments",
    "log_words",
)
_SHORT_WORDS = 6


@dataclass(frozen=True)
class DocumentScorer:
    """Logistic weights over :data:`DOCUMENT_FEATURES` and the probability from which a text
    is taken for a bare body."""

    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: npt.NDArray[np.float64]) -> float:
        w = np.array([self.weights.get(name, 0.0) for name in DOCUMENT_FEATURES])
        z = float(np.clip(features @ w, -30, 30))
        return 1.0 / (1.0 + math.exp(-z))


def document_features(
    own: Matrix, prose: Sequence[bool], cruft: Sequence[bool]
) -> npt.NDArray[np.float64]:
    """The document's row of :data:`DOCUMENT_FEATURES` from its segments' own features
    (:func:`~eventatlas.ingest.clean_features.own_matrix`), which segments are prose, and which
    match a boilerplate pattern."""
    n = own.shape[0]
    if n == 0:
        return np.zeros(len(DOCUMENT_FEATURES))
    words = np.expm1(own[:, 0])
    chars = np.expm1(own[:, 1])
    total_words, total_chars = max(float(words.sum()), 1.0), max(float(chars.sum()), 1.0)
    short = words <= _SHORT_WORDS
    prose_mask = np.asarray(prose, dtype=bool)
    return np.array(
        [
            1.0,
            float(words[prose_mask].sum()) / total_words,
            float(short.mean()),
            float((short & (own[:, 23] >= 0.5)).mean()),
            float((own[:, 23] * words).sum()) / total_words,
            float((own[:, 15] * chars).sum()) / total_chars,
            float(np.mean(np.asarray(cruft, dtype=float))),
            float(own[:, 7].mean()),
            float(((own[:, 19] > 0) | (own[:, 20] > 0)).mean()),
            math.log1p(n),
            math.log1p(total_words),
        ]
    )


__all__ = ["DOCUMENT_FEATURES", "DocumentScorer", "document_features"]
