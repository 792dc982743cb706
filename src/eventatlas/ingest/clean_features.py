"""Line parsing and features for the plain-text cleaner (see :mod:`eventatlas.ingest.clean`).

A page is split into non-blank lines. Each line is parsed once (:func:`parse_line`): markdown
syntax is removed from its text and what the markup said (heading, list item, link text share,
images) is kept as numbers. :func:`line_features` turns a page's lines into a feature matrix:
the line's own shape (length, stopword, punctuation and capital density, cruft-vocabulary density
per category), its position, how often it repeats, the same numbers for its neighbours, and
page-level context (where the page's text mass lies). :func:`stage2_features` adds, for the second
pass, the first pass's probabilities of the neighbouring lines (a learned smoothing).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

_WORD = re.compile(r"\w+", re.UNICODE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*[^)\s]*(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+\s*$")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_HEADING = re.compile(r"^(#{1,6})\s+")
_TRAILING_HASHES = re.compile(r"\s+#+\s*$")
_QUOTE = re.compile(r"^(?:>\s?)+")
_BULLET = re.compile(r"^(?:[-*+•]|\d{1,2}[.)])\s+")
_RULE = re.compile(r"^\s*(?:(?:[-*_=]\s*){3,}|\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*)$")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`]*)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_SHELTER = 0xF0000  # supplementary private-use plane: escaped ASCII is parked there
_SHELTERED = re.compile("[\U000f0000-\U000f007f]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_PIPES = re.compile(r"\s*\|\s*")
_SPACES = re.compile(r"\s+")
_CURRENCY = re.compile(r"[$€£¥₽₹]")
_TERMINAL = re.compile(r"[.!?…\"”’»)\]:]\s*$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_DATE_LIKE = re.compile(
    r"\b(?:\d{1,2}[:/.]\d{2}|\d{4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE
)


@dataclass(frozen=True)
class Line:
    """One non-blank line: its plain text with markdown removed, and what the markup said."""

    raw: str
    text: str
    heading: int = 0
    list_item: bool = False
    quote: bool = False
    links: int = 0
    link_chars: int = 0
    images: int = 0
    urls: int = 0
    emphasis_whole: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """Stopwords and cruft words per category (read from the model file)."""

    stopwords: frozenset[str]
    cruft: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Vocabulary:
        stop = data.get("stopwords", [])
        cruft = data.get("cruft", {})
        if not isinstance(stop, list) or not isinstance(cruft, dict):
            raise ValueError("expected 'stopwords' (list) and 'cruft' (object of lists)")
        cats = tuple(
            (str(k), frozenset(str(w).lower() for w in v)) for k, v in sorted(cruft.items())
        )
        return cls(frozenset(str(w).lower() for w in stop), cats)

    @functools.cached_property
    def all_cruft(self) -> frozenset[str]:
        """Every cruft word, of any category."""
        return frozenset().union(*(words for _c, words in self.cruft))


def _strip_inline(text: str) -> tuple[str, int, int, int]:
    """Remove inline markdown; returns (text, links, link characters, images).

    Backslash-escaped characters are set aside first (as private-use code points) so that an
    escaped ``*`` or ``[`` is never read as markup, then restored without the backslash.
    """
    text = _ESCAPE.sub(lambda m: chr(_SHELTER + ord(m.group(1))), text)
    images = len(_IMAGE.findall(text))
    text = _IMAGE.sub("", text)
    links = 0
    link_chars = 0
    for _ in range(3):  # links nested in links, e.g. an image link whose image was removed
        found = _LINK.findall(text)
        if not found:
            break
        links += len(found)
        link_chars += sum(len(t.strip()) for t, _href in found)
        text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    auto = _AUTOLINK.findall(text)
    links += len(auto)
    link_chars += sum(len(a) for a in auto)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    for pattern in (_STRONG, _EM_STAR, _EM_UNDER):
        text = pattern.sub(lambda m: m.groups()[-1], text)
    text = _CODE.sub(lambda m: m.group(1), text)
    text = _SHELTERED.sub(lambda m: chr(ord(m.group(0)) - _SHELTER), text)
    return text, links, link_chars, images


def parse_line(raw: str) -> Line:
    """Parse one line of (possibly markdown-flavoured) text."""
    line = raw.strip()
    if _RULE.match(line) or _REF_DEF.match(line):
        return Line(raw=raw, text="", links=1 if _REF_DEF.match(line) else 0)
    quote = bool(_QUOTE.match(line))
    line = _QUOTE.sub("", line)
    heading = 0
    match = _HEADING.match(line)
    if match:
        heading = len(match.group(1))
        line = _TRAILING_HASHES.sub("", line[match.end() :])
    bullet = bool(_BULLET.match(line))
    line = _BULLET.sub("", line)
    emphasis_whole = bool(re.fullmatch(r"(\*\*|__|\*|_).+\1", line))
    if line.startswith("|") and line.endswith("|"):
        line = _PIPES.sub(" ", line)
    text, links, link_chars, images = _strip_inline(line)
    text = _SPACES.sub(" ", text).strip()
    return Line(
        raw=raw,
        text=text,
        heading=heading,
        list_item=bullet,
        quote=quote,
        links=links,
        link_chars=min(link_chars, len(text)),
        images=images,
        urls=len(_URL.findall(text)),
        emphasis_whole=emphasis_whole,
    )


def strip_markdown(raw: str) -> str:
    """The text of one line with markdown syntax removed."""
    return parse_line(raw).text


OWN_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "mean_word_len",
    "stopword_ratio",
    "punct_ratio",
    "sentence_ends",
    "commas",
    "ends_terminal",
    "starts_upper",
    "starts_lower",
    "title_case_ratio",
    "all_caps_ratio",
    "digit_ratio",
    "currency",
    "date_like",
    "link_ratio",
    "log_links",
    "images",
    "urls",
    "heading",
    "list_item",
    "quote",
    "emphasis_whole",
    "cruft_ratio",
    "short_word_ratio",
    "lower_word_ratio",
)


def _own(line: Line, vocab: Vocabulary) -> list[float]:
    text = line.text
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    n = max(len(words), 1)
    chars = max(len(text), 1)
    punct = sum(1 for c in text if not c.isalnum() and not c.isspace())
    all_cruft = vocab.all_cruft
    cruft = sum(1 for w in lower if w in all_cruft)
    return [
        math.log1p(len(words)),
        math.log1p(len(text)),
        sum(len(w) for w in words) / n,
        sum(1 for w in lower if w in vocab.stopwords) / n,
        punct / chars,
        len(_SENTENCE_END.findall(text)) / n,
        text.count(",") / n,
        1.0 if _TERMINAL.search(text) else 0.0,
        1.0 if text[:1].isupper() else 0.0,
        1.0 if text[:1].islower() else 0.0,
        sum(1 for w in words if w[:1].isupper()) / n,
        sum(1 for w in words if len(w) > 1 and w.isupper()) / n,
        sum(1 for c in text if c.isdigit()) / chars,
        1.0 if _CURRENCY.search(text) else 0.0,
        min(len(_DATE_LIKE.findall(text)), 3) / 3.0,
        line.link_chars / chars,
        math.log1p(line.links),
        float(min(line.images, 3)),
        float(min(line.urls, 3)),
        float(line.heading),
        1.0 if line.list_item else 0.0,
        1.0 if line.quote else 0.0,
        1.0 if line.emphasis_whole else 0.0,
        cruft / n,
        sum(1 for w in words if len(w) <= 3 and w.isalpha()) / n,
        sum(1 for w in words if w[:1].islower()) / n,
    ]


def _category_ratios(line: Line, vocab: Vocabulary) -> list[float]:
    lower = [w.lower() for w in _WORD.findall(line.text)]
    n = max(len(lower), 1)
    return [sum(1 for w in lower if w in words) / n for _c, words in vocab.cruft]


def own_matrix(lines: Sequence[Line], vocab: Vocabulary) -> Matrix:
    """Per-line features that look at the line alone (own shape, then cruft categories)."""
    width = len(OWN_FEATURES) + len(vocab.cruft)
    rows = [_own(line, vocab) + _category_ratios(line, vocab) for line in lines]
    return np.array(rows, dtype=np.float64).reshape(len(lines), width)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _repetition(lines: Sequence[Line]) -> Matrix:
    """Exact repeats of a line, containment in another line (every word trigram of a line of 3+
    words also occurs outside its own copies), share of trigrams seen elsewhere. Linear in the
    page's size."""
    keys = [_SPACES.sub(" ", line.text.lower()).strip() for line in lines]
    counts = Counter(keys)
    grams = [_trigrams(line.text) for line in lines]
    seen = Counter(g for line_grams in grams for g in line_grams)
    out = np.zeros((len(lines), 3))
    for i, key in enumerate(keys):
        out[i, 0] = math.log(counts[key]) if key else 0.0
        if grams[i]:
            out[i, 1] = 1.0 if all(seen[g] > counts[key] for g in grams[i]) else 0.0
        if len(grams[i]) >= 3:
            out[i, 2] = sum(1 for g in grams[i] if seen[g] > 1) / len(grams[i])
    return out


def _position(own: Matrix) -> Matrix:
    n = own.shape[0]
    idx = np.arange(n, dtype=np.float64)
    words = np.expm1(own[:, 0])
    good = words * (own[:, 3] > 0.15) * (words >= 10)  # words in prose-like lines
    total = max(float(good.sum()), 1.0)
    before = (np.cumsum(good) - good) / total
    chars_before = (np.cumsum(words) - words) / max(float(words.sum()), 1.0)
    long = words >= 20  # distance to the nearest long line, in lines (n when there is none)
    dist = np.minimum(
        np.minimum(_distance_to_previous(long), _distance_to_previous(long[::-1])[::-1]), n
    )
    dist = np.where(long, 0.0, dist)
    return np.column_stack(
        [
            idx / max(n - 1, 1),
            np.log1p(idx),
            np.log1p(n - 1 - idx),
            before,
            chars_before,
            np.log1p(dist),
        ]
    )


def _shifted(values: Matrix, offset: int, fill: float) -> Matrix:
    out = np.full_like(values, fill)
    if offset > 0 and offset < values.shape[0]:
        out[offset:] = values[:-offset]
    elif offset < 0 and -offset < values.shape[0]:
        out[:offset] = values[-offset:]
    return out


def _window_mean(values: Matrix, radius: int) -> Matrix:
    n = values.shape[0]
    cum = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    lo = np.clip(np.arange(n) - radius, 0, n)
    hi = np.clip(np.arange(n) + radius + 1, 0, n)
    mean: Matrix = (cum[hi] - cum[lo]) / (hi - lo)[:, None]
    return mean


_CONTEXT_COLUMNS = (0, 3, 7, 15, 23)  # log_words, stopword_ratio, ends_terminal, link_ratio, cruft
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
CONTEXT_RADII = (2, 5, 10)


def _page(own: Matrix) -> Matrix:
    n = own.shape[0]
    words = np.expm1(own[:, 0])
    page = [
        math.log1p(n),
        float(np.mean(own[:, 15] > 0.5)) if n else 0.0,
        math.log1p(float(np.median(words))) if n else 0.0,
        math.log1p(float(words.max())) if n else 0.0,
    ]
    rel = own[:, 0] - (math.log1p(float(words.max())) if n else 0.0)
    return np.column_stack([np.tile(page, (n, 1)), rel])


def _sections(own: Matrix) -> Matrix:
    """How many short cruft-heavy lines (widgets, comment headers) lie before and after a line.

    Per cruft category and in all: log of the count of lines of at most six words whose words
    are mostly of that category, before the line and after it.
    """
    short = np.expm1(own[:, 0]) <= 6
    first_cat = len(OWN_FEATURES)
    cats = [own[:, 23]] + [own[:, c] for c in range(first_cat, own.shape[1])]
    cols = []
    for ratio in cats:
        hit = (short & (ratio >= 0.5)).astype(np.float64)
        before = np.cumsum(hit) - hit
        cols += [np.log1p(before), np.log1p(hit.sum() - before - hit)]
    any_hit = short & (own[:, 23] >= 0.5)
    cols += [
        np.log1p(_distance_to_previous(any_hit)),
        np.log1p(_distance_to_previous(any_hit[::-1])[::-1]),
    ]
    return np.column_stack(cols)


def _distance_to_previous(flags: npt.NDArray[np.bool_]) -> Matrix:
    """For each index, how many lines back the nearest earlier flagged line is (len+1 if none)."""
    n = flags.shape[0]
    idx = np.arange(n)
    last = np.where(flags, idx, -1)
    last = np.maximum.accumulate(last)
    prev = np.concatenate([[-1], last[:-1]]) if n else last
    out: Matrix = np.where(prev >= 0, idx - prev, n + 1).astype(np.float64)
    return out


def line_features(lines: Sequence[Line], vocab: Vocabulary, own: Matrix | None = None) -> Matrix:
    """The first-pass feature matrix of a page (one row per line, see :func:`feature_names`);
    ``own``: the lines' :func:`own_matrix` when already computed."""
    if not lines:
        return np.zeros((0, len(feature_names(vocab))))
    own = own_matrix(lines, vocab) if own is None else own
    ctx = own[:, _CONTEXT_COLUMNS]
    parts = [own, _repetition(lines), _position(own), _page(own), _sections(own)]
    parts += [_shifted(ctx, off, -1.0) for off in CONTEXT_OFFSETS]
    parts += [_window_mean(ctx, r) for r in CONTEXT_RADII]
    return np.hstack(parts)


def feature_names(vocab: Vocabulary) -> list[str]:
    """Column names of :func:`line_features`, in order."""
    ctx = [OWN_FEATURES[c] for c in _CONTEXT_COLUMNS]
    names = list(OWN_FEATURES) + [f"cruft_{c}" for c, _w in vocab.cruft]
    names += ["repeat_log", "contained_elsewhere", "trigrams_elsewhere"]
    names += [
        "rel_index",
        "log_index",
        "log_index_from_end",
        "text_mass_before",
        "chars_before",
        "log_dist_long",
    ]
    names += [
        "page_log_lines",
        "page_link_lines",
        "page_log_median_words",
        "page_log_max_words",
        "rel_log_words",
    ]
    for cat in ["any", *(c for c, _w in vocab.cruft)]:
        names += [f"short_{cat}_lines_before", f"short_{cat}_lines_after"]
    names += ["lines_since_short_cruft", "lines_until_short_cruft"]
    names += [f"{c}@{o:+d}" for o in CONTEXT_OFFSETS for c in ctx]
    names += [f"{c}~{r}" for r in CONTEXT_RADII for c in ctx]
    return names


STAGE2_OFFSETS = (-4, -3, -2, -1, 1, 2, 3, 4)
STAGE2_RADII = (3, 8, 20)


def stage2_features(first: Matrix, probs: npt.NDArray[np.float64]) -> Matrix:
    """Second-pass features: the first pass's own features plus its neighbours' probabilities."""
    p = probs.reshape(-1, 1)
    parts = [first, p]
    parts += [_shifted(p, off, 0.0) for off in STAGE2_OFFSETS]
    parts += [_window_mean(p, r) for r in STAGE2_RADII]
    n = p.shape[0]
    cum = np.cumsum(p[:, 0])
    total = max(float(cum[-1]), 1e-9) if n else 1.0
    parts.append(((cum - p[:, 0]) / total).reshape(-1, 1))  # probability mass before the line
    return np.hstack(parts)


def stage2_names(vocab: Vocabulary) -> list[str]:
    names = [*feature_names(vocab), "p"]
    names += [f"p@{o:+d}" for o in STAGE2_OFFSETS]
    names += [f"p~{r}" for r in STAGE2_RADII]
    return [*names, "p_mass_before"]


TITLE_FEATURES: tuple[str, ...] = (
    "bias",
    "heading1",
    "heading_other",
    "headline_length",
    "log_words",
    "ends_period",
    "link_ratio",
    "cruft_ratio",
    "log_lines_to_body",
    "log_index",
    "repeated",
    "title_case_ratio",
    "body_probability",
    "date_like",
    "starts_upper",
    "longest_headline",
    "date_within_3_after",
    "next_is_body",
)
TITLE_WINDOW = 40


def title_candidates(probs: npt.NDArray[np.float64], threshold: float) -> range:
    """Indices of the lines that may hold the title: those up to the first body line."""
    body = np.flatnonzero(probs >= threshold)
    end = int(body[0]) + 1 if body.size else min(len(probs), TITLE_WINDOW)
    return range(max(0, end - TITLE_WINDOW), end)


def title_features(
    lines: Sequence[Line], probs: npt.NDArray[np.float64], own: Matrix, threshold: float
) -> tuple[range, Matrix]:
    """Features of each title candidate (rows follow :func:`title_candidates`)."""
    cands = title_candidates(probs, threshold)
    body_start = cands.stop
    keys = Counter(line.text.lower() for line in lines)
    rows = []
    for i in cands:
        line, f = lines[i], own[i]
        words = math.expm1(f[0])
        rows.append(
            [
                1.0,
                1.0 if line.heading == 1 else 0.0,
                1.0 if line.heading > 1 else 0.0,
                1.0 if 3 <= words <= 25 else 0.0,
                f[0],
                1.0 if line.text.rstrip().endswith(".") else 0.0,
                f[15],
                f[23],
                math.log1p(max(body_start - 1 - i, 0)),
                math.log1p(i),
                1.0 if keys[line.text.lower()] > 1 else 0.0,
                f[10],
                float(probs[i]),
                f[14],
                f[8],
            ]
        )
    base = np.array(rows, dtype=np.float64).reshape(len(cands), len(TITLE_FEATURES) - 3)
    return cands, np.hstack([base, _title_context(cands, probs, own, base, threshold)])


def _title_context(
    cands: range, probs: npt.NDArray[np.float64], own: Matrix, base: Matrix, threshold: float
) -> Matrix:
    """Longest headline-like candidate; a date in the next three lines; the next line is body."""
    headline = (base[:, 3] > 0) & (base[:, 5] == 0)
    longest = np.zeros(len(cands))
    if headline.any():
        longest[headline & (base[:, 4] == base[headline, 4].max())] = 1.0
    n = own.shape[0]
    date_after = [float(own[i + 1 : min(i + 4, n), 14].max(initial=0.0) > 0) for i in cands]
    next_body = [float(i + 1 < n and probs[i + 1] >= threshold) for i in cands]
    return np.column_stack([longest, date_after, next_body]).reshape(len(cands), 3)
