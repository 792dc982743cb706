"""Shape robustness: a clean article body must come through ingest whole, whatever its layout.

:func:`evaluate_shapes` takes article bodies that are already clean text (the gold bodies of
LGL, GeoWebNews, FA-KES and the ScrapingHub benchmark), writes each in every :data:`SHAPES` layout
to real files, reads them back with ingest's own readers (:func:`~eventatlas.ingest.readers.
read_sources`) and cleans them as ingest does (:func:`~eventatlas.pipeline.build_article`), and
reports per shape: how many were rejected, and the word F1 of the stored text against the body
(bag of words, letters and digits; a body is clean, so nearly all of it must stay).

Shapes: ``jsonl`` one JSON Lines record, the body on one line (as news APIs deliver it);
``paragraphs`` a ``.txt`` file, paragraphs apart by blank lines; ``wrapped`` the same hard-wrapped
at 70 characters; ``sentences`` a blank line between every sentence; ``html`` a minimal HTML page
(``<title>``, one ``<p>`` per paragraph). Text files and HTML are pages to the cleaner (it looks
for boilerplate and a title), JSON Lines is a given body.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eventatlas.errors import EventAtlasError
from eventatlas.ingest.segment import split_sentences
from eventatlas.records import RawDocument, Rejection

SHAPES: tuple[str, ...] = ("jsonl", "paragraphs", "wrapped", "sentences", "html")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # words: letters and digits (underscores are markup)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n|[ \t]{3,}")
_SENTENCES_PER_PARAGRAPH = 3


@dataclass(frozen=True)
class Body:
    """One clean article body and the title it was published under (if known)."""

    id: str
    text: str
    title: str | None = None


@dataclass(frozen=True)
class ShapeResult:
    """One shape over one corpus."""

    corpus: str
    shape: str
    articles: int
    rejected: int
    mean_f1: float
    min_f1: float
    below_098: int
    worst: tuple[str, ...]  # ids of the lowest-scoring articles


def _tokens(text: str) -> Counter[str]:
    """Case-folded words of the NFC text, control and format characters (which decoding
    removes on purpose) read as spaces."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    return Counter(t.lower() for t in _TOKEN.findall(text))


def word_f1(gold: str, found: str) -> float:
    """F1 of the multisets of words (case-folded) of two texts (see :func:`_tokens`)."""
    g, f = _tokens(gold), _tokens(found)
    if not g and not f:
        return 1.0
    common = sum((g & f).values())
    if not common:
        return 0.0
    p, r = common / sum(f.values()), common / sum(g.values())
    return 2 * p * r / (p + r)


def paragraphs(text: str) -> list[str]:
    """The body's paragraphs; a body written as one block is grouped three sentences a paragraph."""
    parts = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        return parts
    sentences = split_sentences(parts[0]) if parts else []
    step = _SENTENCES_PER_PARAGRAPH
    return [" ".join(sentences[i : i + step]) for i in range(0, len(sentences), step)]


def render(body: Body, shape: str) -> tuple[str, str]:
    """(file suffix, content) of ``body`` in ``shape``."""
    paras = paragraphs(body.text)
    if shape == "jsonl":
        record = {"id": body.id, "title": body.title, "text": " ".join(paras)}
        return ".jsonl", json.dumps(record, ensure_ascii=False) + "\n"
    if shape == "paragraphs":
        return ".txt", "\n\n".join(paras) + "\n"
    if shape == "wrapped":
        return ".txt", "\n\n".join(textwrap.fill(p, 70) for p in paras) + "\n"
    if shape == "sentences":
        return ".txt", "\n\n".join(s for p in paras for s in split_sentences(p)) + "\n"
    if shape == "html":
        title = f"<title>{html.escape(body.title)}</title>" if body.title else ""
        ps = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
        return ".html", f"<!DOCTYPE html><html><head>{title}</head><body>\n{ps}</body></html>\n"
    raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")


Builder = Callable[[RawDocument], str]


def score_shape(
    corpus: str,
    bodies: Sequence[Body],
    shape: str,
    read: Callable[[list[str]], Iterable[RawDocument | Rejection]],
    build: Builder,
) -> ShapeResult:
    """Write every body in ``shape``, read and clean it as ingest does, and score what is kept."""
    scores: list[tuple[float, str]] = []
    rejected = 0
    with tempfile.TemporaryDirectory(prefix="eventatlas-shapes-") as tmp:
        for n, body in enumerate(bodies):
            suffix, content = render(body, shape)
            path = Path(tmp) / f"{n:05d}{suffix}"
            path.write_text(content, "utf-8")
            kept = _kept_text(read([str(path)]), build)
            if kept is None:
                rejected += 1
                scores.append((0.0, body.id))
            else:
                scores.append((word_f1(body.text, kept), body.id))
            path.unlink()
    values = [s for s, _i in scores]
    worst = tuple(i for _s, i in sorted(scores)[:5])
    return ShapeResult(
        corpus=corpus,
        shape=shape,
        articles=len(bodies),
        rejected=rejected,
        mean_f1=sum(values) / max(len(values), 1),
        min_f1=min(values, default=1.0),
        below_098=sum(1 for s in values if s < 0.98),
        worst=worst,
    )


def _kept_text(items: Iterable[RawDocument | Rejection], build: Builder) -> str | None:
    texts = []
    for item in items:
        if isinstance(item, Rejection):
            return None
        try:
            texts.append(build(item))
        except EventAtlasError:
            return None
    return "\n\n".join(texts) if texts else None


CORPORA: tuple[tuple[str, str], ...] = (
    ("lgl", "geoparsing/lgl.xml"),
    ("gwn", "geoparsing/GWN.xml"),
    ("fa-kes", "real/fa-kes/articles.jsonl"),
    ("scrapinghub", "extraction/scrapinghub/ground-truth.json"),
)


def load_bodies(name: str, path: Path) -> list[Body]:
    """The clean bodies of one corpus of :data:`CORPORA` (empty bodies left out)."""
    if name in ("lgl", "gwn"):
        from eventatlas.eval.geo_corpus import load_geo_corpus

        found = [Body(a.id, a.text) for a in load_geo_corpus(path).articles]
    elif name == "fa-kes":
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        found = [Body(str(r["id"]), str(r.get("text") or ""), r.get("title")) for r in rows]
    else:
        truth = json.loads(path.read_text("utf-8"))
        found = [Body(k, str(v.get("articleBody") or "")) for k, v in sorted(truth.items())]
    return [b for b in found if _TOKEN.search(b.text)]


def evaluate_shapes(
    data_dir: Path,
    read: Callable[[list[str]], Iterable[RawDocument | Rejection]],
    build: Builder,
    *,
    every: int = 1,
    shapes: Sequence[str] = SHAPES,
) -> list[ShapeResult]:
    """Every corpus of :data:`CORPORA` under ``data_dir`` in every shape (each ``every``-th
    article only, when ``every`` > 1)."""
    results = []
    for name, rel in CORPORA:
        bodies = load_bodies(name, data_dir / rel)[::every]
        results += [score_shape(name, bodies, shape, read, build) for shape in shapes]
    return results


def format_results(results: Sequence[ShapeResult]) -> str:
    lines = [
        f"{'corpus':<12} {'shape':<11} {'articles':>8} {'rejected':>8} {'mean F1':>8} "
        f"{'min F1':>7} {'<0.98':>6}"
    ]
    for r in results:
        lines.append(
            f"{r.corpus:<12} {r.shape:<11} {r.articles:>8} {r.rejected:>8} {r.mean_f1:>8.4f} "
            f"{r.min_f1:>7.3f} {r.below_098:>6}"
        )
    return "\n".join(lines)


__all__ = [
    "CORPORA",
    "SHAPES",
    "Body",
    "ShapeResult",
    "evaluate_shapes",
    "format_results",
    "load_bodies",
    "paragraphs",
    "render",
    "score_shape",
    "word_f1",
]
