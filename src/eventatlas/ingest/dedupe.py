"""Near-duplicate detection: syndicated copies of one text are known as one.

MinHash over word 5-shingles with LSH (datasketch). An article whose estimated Jaccard
similarity to an earlier stored article reaches the threshold is linked to it
(``Article.duplicate_of``); both are stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # stored signatures are only comparable within one scheme
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Lower-cased word ``size``-grams of ``text`` (the whole text if it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles(text)])
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return bytes(np.asarray(mh.hashvalues, dtype="<u8").tobytes())


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    return MinHash(num_perm=len(values), hashvalues=values, scheme=SCHEME)


class NearDuplicateIndex:
    """An LSH index over the signatures of stored originals (copies are not indexed)."""

    def __init__(self, threshold: float) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def add(self, article_id: str, mh: MinHash) -> None:
        if article_id in self._sigs:
            return
        self._lsh.insert(article_id, mh)
        self._sigs[article_id] = mh
        self._order[article_id] = len(self._order)

    def load(self, stored: Iterable[tuple[str, bytes]]) -> None:
        for article_id, data in stored:
            self.add(article_id, from_bytes(data))

    def original_of(self, mh: MinHash) -> str | None:
        """The earliest indexed article this signature is a near-copy of, if any."""
        hits = [
            hit
            for hit in self._lsh.query(mh)
            if self._sigs[hit].jaccard(mh) >= self.threshold
        ]
        return min(hits, key=self._order.__getitem__) if hits else None
