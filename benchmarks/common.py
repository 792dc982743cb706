"""What the benchmarks share: news texts sampled from the shared geoparsing corpora."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing"
DEFAULT_CORPORA = (SHARED / "GWN.xml", SHARED / "lgl.xml")


def sample_texts(corpora: list[Path] | None, count: int) -> tuple[list[str], list[Path]]:
    """``count`` article texts spread evenly over ``corpora`` (default: both shared corpora),
    and the corpora used; no corpora found gives no texts."""
    from eventatlas.eval.geo_corpus import load_geo_corpus

    paths = corpora or [p for p in DEFAULT_CORPORA if p.is_file()]
    if not paths:
        return [], []
    per_corpus = max(1, count // len(paths))
    texts: list[str] = []
    for path in paths:
        articles = load_geo_corpus(path).articles
        step = max(1, len(articles) // per_corpus)
        texts += [a.text for a in articles[::step][:per_corpus]]
    return texts, paths
