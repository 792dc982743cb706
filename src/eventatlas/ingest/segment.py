"""Cut a text into the units the plain-text cleaner classifies: segments, not raw lines.

Entry point: :func:`split_segments` ``(text, abbreviations) -> list[Segment]``.

A raw line is a poor unit: news APIs and datasets deliver a whole article as one line, e-mail and
wire copy hard-wrap every 70 characters, some exports put a blank line between every sentence.
So, in one linear pass:

1. Lines are split on any newline; blank lines mark paragraph breaks.
2. Hard-wrapped runs are unwrapped: when line lengths cluster just under one width (40-110
   characters; estimated over the whole text, else over a run of three or more lines), a line is
   joined to the next when the next line's first word would not have fitted on it (the test a
   text wrapper applies). Never when the line is a heading or the next line starts a markdown
   block (heading, list item, quote) — but a dash opening the next line after a line that stops
   mid-sentence is a wrapped " - ", not a list item.
3. A run of three or more spaces or tabs inside a line is a paragraph break (datasets that joined
   paragraphs with spaces).
4. A piece longer than :data:`MAX_SEGMENT_CHARS` is split into sentences; a "sentence" still longer
   than :data:`HARD_SEGMENT_CHARS` (text without punctuation) is cut at the last space before that
   length. Segments are therefore bounded, and cost stays linear in the input.

Each segment records how it was separated from the one before (``brk``): ``SPACE`` (same input
line, or an unwrapped line), ``LINE`` (a newline) or ``PARAGRAPH`` (a blank line or a space run),
so the cleaned body can be assembled with the input's own layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SPACE, LINE, PARAGRAPH = 0, 1, 2
MAX_SEGMENT_CHARS = 600
HARD_SEGMENT_CHARS = 1000
_WRAP_MIN, _WRAP_MAX = 40, 110
_WRAP_SLACK = 20  # a wrapped line is at most this much shorter than the wrap width
_WRAP_SHARE = 0.7  # of a run's lines (last excepted) that must sit near the width

_SPACE_RUN = re.compile(r"(?<=\S)[ \t\u00a0]{3,}(?=\S)")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+•>]\s|\d{1,2}[.)]\s|\|)")
_HEADING_START = re.compile(r"^\s*#{1,6}\s")
_DASH = re.compile(r"^\s*[-–—]\s")
_CLAUSE_END = re.compile(r"[.!?…:;\"”’»)\]]\s*$")
_FIRST_WORD = re.compile(r"\S+")
# A sentence ends at . ! ? or … (closing quotes or brackets may follow), then space, then what can
# start a sentence: a capital, a digit, an opening quote or bracket.
_BOUNDARY = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9\u00c0-\u024f\u0400-\u04ff])")
_LAST_TOKEN = re.compile(r"(\S+)$")


@dataclass(frozen=True)
class Segment:
    """One unit of text and how it was separated from the previous one (SPACE, LINE, PARAGRAPH)."""

    raw: str
    brk: int


def split_segments(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Segment]:
    """The segments of ``text`` in order (see the module's docstring); blank text gives none.

    ``abbreviations`` are lower-case tokens without their final period ("mr", "gen", "u.s")
    after which a period does not end a sentence.
    """
    out: list[Segment] = []
    for brk, line in _unwrapped_lines(text):
        for i, piece in enumerate(_SPACE_RUN.split(line)):
            piece_brk = brk if i == 0 else PARAGRAPH
            for j, chunk in enumerate(_bounded(piece, abbreviations)):
                out.append(Segment(chunk, piece_brk if j == 0 else SPACE))
    return out


def _raw_lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-blank lines with the break before each (LINE, or PARAGRAPH after a blank line)."""
    brk = LINE
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            brk = PARAGRAPH
            continue
        yield brk, raw.rstrip()
        brk = LINE


def _unwrapped_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with hard-wrapped runs joined (the module docstring's step 2). The width is
    estimated over the whole text first (so a paragraph wrapped onto two lines is joined too),
    else run by run."""
    runs: list[list[tuple[int, str]]] = []
    for brk, line in _raw_lines(text):
        if not runs or brk == PARAGRAPH:
            runs.append([])
        runs[-1].append((brk, line))
    multi = [[line for _b, line in run] for run in runs if len(run) > 1]
    width = _wrap_width([line for run in multi for line in run[:-1]], body_only=True)
    for run in runs:
        yield from _unwrap_run(run, width)


def _wrap_width(lines: Sequence[str], body_only: bool = False) -> int | None:
    """The width lines were wrapped at, or None when they do not look hard-wrapped.
    ``body_only``: ``lines`` hold no paragraph's last line (which may be short)."""
    if len(lines) < (1 if body_only else 3):
        return None
    width = max(len(line) for line in lines)
    if not _WRAP_MIN <= width <= _WRAP_MAX:
        return None
    body = lines if body_only else lines[:-1]
    near = sum(1 for line in body if len(line) >= width - _WRAP_SLACK)
    return width if near >= _WRAP_SHARE * len(body) else None


def _unwrap_run(run: Sequence[tuple[int, str]], width: int | None) -> Iterator[tuple[int, str]]:
    if not run:
        return
    if width is None:
        width = _wrap_width([line for _b, line in run])
    brk, current = run[0]
    for _b, line in run[1:]:
        first = _FIRST_WORD.search(line)
        word = len(first.group(0)) if first else 0
        wrapped = width is not None and len(current.rstrip()) + 1 + word > width
        # a dash or bullet that a wrapper carried over mid-sentence is no list item
        block = _BLOCK_START.match(line) and (_CLAUSE_END.search(current) or not _DASH.match(line))
        if not wrapped or block or _HEADING_START.match(current):
            yield brk, current
            brk, current = LINE, line
        else:
            current = f"{current.rstrip()} {line.strip()}"
    yield brk, current


def _bounded(piece: str, abbreviations: frozenset[str]) -> Iterator[str]:
    """``piece`` itself, or its sentences when it is longer than MAX_SEGMENT_CHARS."""
    piece = piece.strip()
    if not piece:
        return
    if len(piece) <= MAX_SEGMENT_CHARS:
        yield piece
        return
    for sentence in split_sentences(piece, abbreviations):
        yield from _hard_cut(sentence)


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[str]:
    """``text`` cut after each sentence end (not after an abbreviation or a single initial)."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + 1
        token = _LAST_TOKEN.search(text, start, end)
        word = token.group(1).rstrip(".").lower() if token else ""
        if text[match.start()] == "." and (word in abbreviations or len(word) == 1):
            continue
        sentence = text[start : match.end()].strip()
        if sentence:
            out.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _hard_cut(text: str) -> Iterator[str]:
    """``text`` in pieces of at most HARD_SEGMENT_CHARS, cut at spaces where there are any."""
    while len(text) > HARD_SEGMENT_CHARS:
        cut = text.rfind(" ", HARD_SEGMENT_CHARS // 2, HARD_SEGMENT_CHARS)
        cut = cut if cut > 0 else HARD_SEGMENT_CHARS
        yield text[:cut].strip()
        text = text[cut:].strip()
    if text:
        yield text


__all__ = [
    "HARD_SEGMENT_CHARS",
    "LINE",
    "MAX_SEGMENT_CHARS",
    "PARAGRAPH",
    "SPACE",
    "Segment",
    "split_segments",
    "split_sentences",
]
