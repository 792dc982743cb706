"""Score body extraction against the ScrapingHub article-extraction benchmark.

:func:`evaluate_clean` runs each page of the benchmark (``ground-truth.json`` plus
``html/<id>.html.gz``) through up to three paths and scores the bodies the way the benchmark's own
``evaluate.py`` does:

* ``html``: the HTML path (:func:`eventatlas.ingest.html.extract_html`, trafilatura);
* ``plain``: the page flattened to plain text (:func:`~eventatlas.ingest.flatten.flatten_html`),
  then :func:`~eventatlas.ingest.clean.clean_text`;
* ``markdown``: the same with markdown-flavoured flattening.

Scoring (replicating the benchmark): texts are tokenised with the regex ``\\w+``; each text
becomes a multiset of 4-token shingles (a text shorter than four tokens gives one shorter
shingle, an empty text none); per page TP/FP/FN are the multiset overlaps, normalised to sum to
one. Precision is the mean over pages with TP+FP > 0 (an empty prediction is left out of the
precision mean), recall the mean over pages with TP+FN > 0 (an empty prediction scores recall 0),
F1 is the harmonic mean of the two means. Accuracy is the share of pages whose token sequence
is exactly the gold one.

The plain-text cleaner was trained on the pages of the sites :func:`held_out_site` calls False;
by default only the held-out sites' pages are scored (``split="test"``) and the report says so.
``page-test`` scores the earlier split by page (:func:`held_out`), for comparison.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from eventatlas.errors import DataFileError, UsageError
from eventatlas.records import CleanedText

# test / train: by site (every page of a held-out domain is held out: what the cleaner meets on
# sites it never saw); page-test / page-train: the earlier split by page, kept for comparison.
Split = Literal["test", "train", "all", "page-test", "page-train"]
PATHS: tuple[str, ...] = ("html", "plain", "markdown")
SPLIT_SALT = "eventatlas-clean-split-v1"
SITE_SALT = "eventatlas-clean-site-split-v1"
HELD_OUT_SHARE = 0.3
_TOKEN = re.compile(r"\w+", re.UNICODE)


def held_out(page_id: str) -> bool:
    """Whether a benchmark page belongs to the held-out test split (a hash of its id, ~30%)."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{page_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < HELD_OUT_SHARE


def site_of(url: str | None, page_id: str) -> str:
    """The page's site: its URL's host without ``www.`` (the page id when it has no URL)."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.") or page_id


def held_out_site(site: str) -> bool:
    """Whether a site's pages belong to the held-out test split (a hash of the site, ~30%)."""
    digest = hashlib.sha256(f"{SITE_SALT}:{site}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < HELD_OUT_SHARE


def in_split(page_id: str, split: Split, url: str | None = None) -> bool:
    """Whether a page is in ``split`` (see :data:`Split`)."""
    if split == "all":
        return True
    if split.startswith("page-"):
        return held_out(page_id) == (split == "page-test")
    return held_out_site(site_of(url, page_id)) == (split == "test")


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    url: str | None
    html: str
    gold: str


def _ground_truth_file(corpus: Path) -> Path:
    path = corpus / "ground-truth.json" if corpus.is_dir() else corpus
    if not path.is_file():
        raise UsageError(
            f"--corpus {corpus}: expected the ScrapingHub benchmark folder (ground-truth.json and "
            "html/<id>.html.gz) or its ground-truth.json; no such file"
        )
    return path


def load_benchmark(corpus: Path, split: Split = "all") -> list[BenchmarkPage]:
    """The benchmark's pages in ``split``, sorted by id."""
    truth_file = _ground_truth_file(corpus)
    try:
        truth = json.loads(truth_file.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(
            f"{truth_file}: expected JSON ground truth, could not read it ({exc}); "
            "point --corpus to the benchmark's folder"
        ) from exc
    pages = []
    for page_id in sorted(truth):
        if not in_split(page_id, split, truth[page_id].get("url")):
            continue
        html_file = truth_file.parent / "html" / f"{page_id}.html.gz"
        try:
            with gzip.open(html_file, "rt", encoding="utf-8", errors="replace") as fh:
                html = fh.read()
        except OSError as exc:
            raise DataFileError(
                f"{html_file}: expected the gzipped page of ground-truth id {page_id} ({exc}); "
                "restore the benchmark's html/ folder"
            ) from exc
        entry = truth[page_id]
        pages.append(BenchmarkPage(page_id, entry.get("url"), html, entry.get("articleBody") or ""))
    return pages


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    count = max(1, len(tokens) - n + 1)
    return Counter(tuple(tokens[i : i + n]) for i in range(count) if tokens[i : i + n])


def page_scores(true: str, pred: str) -> tuple[float, float, float]:
    """(TP, FP, FN) of 4-token shingles between gold and predicted body, normalised to sum 1."""
    gold, got = _shingles(true), _shingles(pred)
    tp = float(sum((gold & got).values()))
    fp = float(sum((got - gold).values()))
    fn = float(sum((gold - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (0.0, 0.0, 0.0)


def _ratio(tp: float, fp: float, fn: float, other: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == other == 0 else tp / (tp + other)


def aggregate(rows: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages, as the benchmark's evaluate.py computes them."""
    precisions = [_ratio(tp, fp, fn, fp) for tp, fp, fn in rows if tp + fp > 0]
    recalls = [_ratio(tp, fp, fn, fn) for tp, fp, fn in rows if tp + fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


@dataclass(frozen=True)
class PathScore:
    """The score of one extraction path over the pages evaluated."""

    path: str
    description: str
    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float
    empty: int
    seconds: float
    titles: int
    title_agreement: float | None


@dataclass(frozen=True)
class CleanEvalReport:
    corpus: str
    split: str
    split_note: str
    pages: int
    scores: tuple[PathScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)


Runner = Callable[[BenchmarkPage], CleanedText]


def _title_key(title: str | None) -> str:
    return " ".join(_TOKEN.findall((title or "").lower()))


def same_title(found: str, reference: str) -> bool:
    """Whether a detected title (normalised words) is the reference one, allowing the reference
    a site name before or after it ("Title | Outlet"): then the title must be >= half of it."""
    if not found or not reference:
        return False
    if found == reference:
        return True
    affix = reference.startswith(found + " ") or reference.endswith(" " + found)
    return affix and len(found.split()) >= 3 and len(found) >= len(reference) / 2


def _agreement(titles: dict[str, str], reference: dict[str, str] | None) -> float | None:
    if not reference:
        return None
    hits = sum(same_title(titles.get(k, ""), v) for k, v in reference.items())
    return hits / len(reference)


def score_path(
    path: str,
    description: str,
    pages: Sequence[BenchmarkPage],
    run: Runner,
    reference_titles: dict[str, str] | None = None,
) -> tuple[PathScore, dict[str, str]]:
    """Run ``run`` on every page and score its bodies; also return the titles it found.

    ``title_agreement`` is the share of pages with a reference title (trafilatura's metadata
    title, from the HTML path) whose detected title is the same words.
    """
    start = time.perf_counter()
    rows, exact, empty, titles = [], 0, 0, {}
    for page in pages:
        result = run(page)
        rows.append(page_scores(page.gold, result.text))
        exact += _TOKEN.findall(page.gold) == _TOKEN.findall(result.text)
        empty += not _TOKEN.search(result.text)
        if result.title:
            titles[page.id] = _title_key(result.title)
    p, r, f1 = aggregate(rows)
    seconds = time.perf_counter() - start
    agreement = _agreement(titles, reference_titles)
    score = PathScore(
        path,
        description,
        len(pages),
        p,
        r,
        f1,
        exact / len(pages),
        empty,
        seconds,
        len(titles),
        agreement,
    )
    return score, titles


def _runners(paths: Iterable[str], model_path: Path | None) -> list[tuple[str, str, Runner]]:
    from eventatlas.ingest.clean import clean_text, load_cleaner_model
    from eventatlas.ingest.flatten import flatten_html
    from eventatlas.ingest.html import extract_html

    model = load_cleaner_model(model_path)
    table: dict[str, tuple[str, Runner]] = {
        "html": (
            "HTML through trafilatura (extract_html)",
            lambda pg: extract_html(pg.html, pg.url),
        ),
        "plain": (
            "HTML flattened to plain text, then clean_text",
            lambda pg: clean_text(flatten_html(pg.html), model),
        ),
        "markdown": (
            "HTML flattened to markdown-flavoured text, then clean_text",
            lambda pg: clean_text(flatten_html(pg.html, markdown=True), model),
        ),
    }
    chosen = []
    for name in paths:
        if name not in table:
            raise UsageError(f"unknown clean-eval path {name!r}; choose from {', '.join(PATHS)}")
        chosen.append((name, *table[name]))
    return chosen


def _split_note(split: Split) -> str:
    if split == "test":
        return (
            "held-out sites only: the plain-text cleaner never saw a page of these sites in "
            f"training (split: sha256 of '{SITE_SALT}:<host>', {HELD_OUT_SHARE:.0%} held out)"
        )
    if split == "page-test":
        return (
            "the earlier page split's held-out pages (some of their sites are in the training "
            f"split; sha256 of '{SPLIT_SALT}:<page id>'): for comparison only"
        )
    if split in ("train", "page-train"):
        return "TRAINING pages only: plain-text figures are optimistic (the cleaner was fit here)"
    return "all pages, training ones included: plain-text figures are optimistic"


def evaluate_clean(
    corpus: Path,
    split: Split = "test",
    paths: Sequence[str] = PATHS,
    model_path: Path | None = None,
    limit: int | None = None,
) -> CleanEvalReport:
    """Score the chosen extraction paths on the benchmark pages of ``split``.

    ``limit`` keeps only the first ``limit`` pages (by id) of the split, for quick checks.
    """
    pages = load_benchmark(corpus, split)
    if limit is not None:
        pages = pages[:limit]
    if not pages:
        raise UsageError(f"--corpus {corpus}: no benchmark pages in split {split!r}")
    scores: list[PathScore] = []
    reference: dict[str, str] | None = None
    for name, description, run in _runners(paths, model_path):
        score, titles = score_path(name, description, pages, run, reference)
        if name == "html":
            reference = titles
        scores.append(score)
    return CleanEvalReport(str(corpus), split, _split_note(split), len(pages), tuple(scores))


def format_report(report: CleanEvalReport) -> str:
    """A human-readable table of the report."""
    lines = [
        f"Body extraction on {report.corpus}",
        f"pages: {report.pages} ({report.split_note})",
        "scoring: ScrapingHub article-extraction-benchmark (4-token shingles, per-page means)",
        "",
        f"{'path':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'exact':>6} {'empty':>5} "
        f"{'titles':>6} {'same':>5} {'secs':>6}  what",
    ]
    for s in report.scores:
        same = "  -  " if s.title_agreement is None else f"{s.title_agreement:5.2f}"
        lines.append(
            f"{s.path:<10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:7.3f} {s.accuracy:6.3f} "
            f"{s.empty:5d} {s.titles:6d} {same} {s.seconds:6.1f}  {s.description}"
        )
    lines += [
        "",
        "exact: share of pages whose tokens equal the gold body; empty: pages with no body;",
        "titles: pages with a title found; same: share of the HTML path's titles found the same.",
    ]
    return "\n".join(lines)


def to_dict(report: CleanEvalReport) -> dict[str, Any]:
    """The report as JSON-ready data (for ``--json``)."""
    return asdict(report)
