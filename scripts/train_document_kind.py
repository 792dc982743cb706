#!/usr/bin/env python3
"""Fit the cleaner's document scorer (bare article body or page?) into a cleaner model file.

    .venv/bin/python scripts/train_document_kind.py --corpus ../shared/data/extraction/scrapinghub

Data: the ScrapingHub benchmark's TRAINING sites only (``held_out_site`` False). Negatives: each
page flattened to plain and to markdown text (a page: boilerplate around an article). Positives:
each page's gold ``articleBody`` laid out as a user hands a bare article in a text file
(:func:`eventatlas.eval.shapes.render`: paragraphs, hard-wrapped at 70, a sentence a paragraph).
Features: :func:`eventatlas.ingest.doc_kind.document_features` (document-level shape, no words of
their own). Model: logistic regression. The cut favours bodies, since a body cleaned as a page
loses article text while a page cleaned as a body only keeps some boilerplate: it is the highest
cut at which at least BODY_RECALL of the bodies are still called bodies, on out-of-fold
probabilities (5 folds by site). Written into the ``document`` key of the model file
with its provenance; the rest of the file is untouched. Seeded and deterministic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from eventatlas.eval.clean import load_benchmark, site_of
from eventatlas.eval.shapes import Body, render
from eventatlas.ingest import clean as cleaner
from eventatlas.ingest.clean_features import own_matrix
from eventatlas.ingest.doc_kind import DOCUMENT_FEATURES
from eventatlas.ingest.flatten import flatten_html

log = logging.getLogger("train_document_kind")
ROOT = Path(__file__).resolve().parents[1]
OUT_FILE = ROOT / "src/eventatlas/data/clean_model.json"
SHAPES = ("paragraphs", "wrapped", "sentences")
SEED = 20240611
BODY_RECALL = 0.95


def features(text: str, model: cleaner.CleanerModel) -> np.ndarray:
    lines, _breaks = cleaner.split_lines(text, model.rules.abbreviations)
    return cleaner.document_row(lines, own_matrix(lines, model.vocabulary), model)


def dataset(corpus: Path, model: cleaner.CleanerModel) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows, labels, sites = [], [], []
    for page in load_benchmark(corpus, "train"):
        site = site_of(page.url, page.id)
        for markdown in (False, True):
            rows.append(features(flatten_html(page.html, markdown=markdown), model))
            labels.append(0)
            sites.append(site)
        if page.gold.strip():
            for shape in SHAPES:
                rows.append(features(render(Body(page.id, page.gold), shape)[1], model))
                labels.append(1)
                sites.append(site)
    return np.array(rows), np.array(labels), sites


def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=1.0, fit_intercept=False, max_iter=5000, random_state=SEED).fit(
        x, y
    )


def balanced_accuracy(p: np.ndarray, y: np.ndarray, cut: float) -> float:
    body = p >= cut
    return float(
        ((body & (y == 1)).sum() / (y == 1).sum() + (~body & (y == 0)).sum() / (y == 0).sum()) / 2
    )


def add_document_scorer(corpus: Path, model_file: Path) -> dict[str, Any]:
    """Fit the scorer on the training sites and write it into ``model_file``; returns it."""
    model = cleaner.load_cleaner_model(model_file)
    x, y, sites = dataset(corpus, model)
    groups = np.unique(sites, return_inverse=True)[1]
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
        oof[te] = fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    cuts = [float(c) for c in np.arange(0.05, 0.96, 0.05)]
    cut = max([c for c in cuts if (oof[y == 1] >= c).mean() >= BODY_RECALL], default=cuts[0])
    final = fit(x, y)
    scorer = {
        "weights": {
            n: round(float(w), 6) for n, w in zip(DOCUMENT_FEATURES, final.coef_[0], strict=True)
        },
        "threshold": round(float(cut), 2),
        "provenance": {
            "script": "scripts/train_document_kind.py",
            "trained_on": f"ScrapingHub benchmark ({corpus.name}) training sites: "
            f"{int((y == 0).sum())} flattened pages (page) and {int((y == 1).sum())} gold bodies "
            "laid out as text (body)",
            "out_of_fold_balanced_accuracy": round(balanced_accuracy(oof, y, float(cut)), 4),
            "out_of_fold_body_recall": round(float((oof[y == 1] >= cut).mean()), 4),
            "out_of_fold_pages_called_bodies": round(float((oof[y == 0] >= cut).mean()), 4),
            "cut_rule": f"highest cut with out-of-fold body recall >= {BODY_RECALL}",
            "trained": dt.date.today().isoformat(),
            "seed": SEED,
        },
    }
    data = json.loads(model_file.read_text("utf-8"))
    data["document"] = scorer
    model_file.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    log.info("document scorer: cut %.2f, %s", cut, scorer["provenance"])
    return scorer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="ScrapingHub benchmark folder")
    parser.add_argument("--model", type=Path, default=OUT_FILE, help="cleaner model file to update")
    parser.add_argument(
        "--bare-prose-cut", action="store_true", help="only print the bare_prose_cut table"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.bare_prose_cut:
        bare_prose_cut_table(args.corpus)
        return 0
    print(json.dumps(add_document_scorer(args.corpus, args.model), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def bare_prose_cut_table(
    corpus: Path, cuts: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1)
) -> None:
    """Print, per candidate ``bare_prose_cut`` (data/cleaner_rules.json), the training sites'
    mean word F1 of gold bodies laid out as text and the benchmark F1 of flattened pages, both
    cleaned as a text file is (the document scorer deciding): the cut with the best sum is set
    in the rules file by hand, with this table cited in its provenance."""
    import dataclasses

    from eventatlas.eval.clean import aggregate, page_scores
    from eventatlas.eval.shapes import word_f1

    model = cleaner.load_cleaner_model()
    pages = load_benchmark(corpus, "train")
    for cut in cuts:
        prose = dataclasses.replace(model.rules.prose, bare_prose_cut=cut)
        m = dataclasses.replace(model, rules=dataclasses.replace(model.rules, prose=prose))
        bodies = [
            word_f1(p.gold, cleaner.clean_text(render(Body(p.id, p.gold), s)[1], m).text)
            for p in pages
            if p.gold.strip()
            for s in SHAPES
        ]
        rows = [
            page_scores(p.gold, cleaner.clean_text(flatten_html(p.html, markdown=md), m).text)
            for p in pages
            for md in (False, True)
        ]
        print(f"{cut:.2f} bodies {np.mean(bodies):.4f} pages {aggregate(rows)[2]:.4f}")
