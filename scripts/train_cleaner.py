#!/usr/bin/env python3
"""Train the plain-text cleaner's weights (src/eventatlas/data/clean_model.json).

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_cleaner.py --corpus /work/shared/data/extraction/scrapinghub

Data: the ScrapingHub article-extraction benchmark, TRAINING split only (pages of the sites for
which ``eventatlas.eval.clean.held_out_site`` is False: no page of a held-out site is seen). Each
page is flattened twice (plain text and markdown-flavoured,
:func:`eventatlas.ingest.flatten.flatten_html`) and cut into segments as the cleaner cuts them
(:func:`eventatlas.ingest.segment.split_segments`). A segment's label is 1 when at least half of
its tokens align with the gold ``articleBody`` (difflib alignment of the page's token stream with
the gold one, matching runs of 3+ tokens), so captions repeated from the body, menus and comments
are 0. The document scorer (bare body or page?) is fitted afterwards into the same file by
scripts/train_document_kind.py.

Model: stage 1, gradient-boosted trees on the line features; stage 2, trees on those features plus
the stage-1 probabilities of neighbouring lines, fitted on out-of-fold stage-1 probabilities
(folds by page) so it learns how stage 1 behaves on unseen pages. The threshold is chosen on the
out-of-fold stage-2 probabilities. The title scorer is a logistic regression whose silver labels
are the lines matching trafilatura's metadata title (or it without a site name). Everything is
seeded: same data, same file (bar the date in the provenance). The boilerplate line patterns
(data/cleaner_rules.json) are hand-written, not trained; the vocabulary file is copied in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import trafilatura
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from eventatlas.eval.clean import (
    BenchmarkPage,
    aggregate,
    load_benchmark,
    page_scores,
    same_title,
    site_of,
)
from eventatlas.ingest import clean as cleaner
from eventatlas.ingest.clean import BodyRule
from eventatlas.ingest.clean_features import (
    TITLE_FEATURES,
    Line,
    Vocabulary,
    feature_names,
    line_features,
    own_matrix,
    stage2_features,
    stage2_names,
    title_features,
)
from eventatlas.ingest.flatten import flatten_html

log = logging.getLogger("train_cleaner")
SEED = 20240611
ROOT = Path(__file__).resolve().parents[1]
VOCAB_FILE = ROOT / "src/eventatlas/data/cleaner_vocab.json"
OUT_FILE = ROOT / "src/eventatlas/data/clean_model.json"
GBM = {
    "max_iter": 500,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
}
FOLDS = 5
ABBREVIATIONS = cleaner.load_cleaner_rules().abbreviations
_TOKEN = re.compile(r"\w+")


@dataclass
class PageData:
    page: BenchmarkPage
    markdown: bool
    lines: list[Line]
    gaps: list[int]
    x1: np.ndarray
    y: np.ndarray
    weight: np.ndarray


def label_lines(lines: list[Line], gold: str, min_run: int = 3) -> np.ndarray:
    """1 for lines whose tokens mostly align with the gold body, else 0."""
    owner: list[int] = []
    tokens: list[str] = []
    for i, line in enumerate(lines):
        words = [w.lower() for w in _TOKEN.findall(line.text)]
        tokens += words
        owner += [i] * len(words)
    gold_tokens = [w.lower() for w in _TOKEN.findall(gold)]
    matched = np.zeros(len(tokens), dtype=bool)
    sm = difflib.SequenceMatcher(None, tokens, gold_tokens, autojunk=False)
    for block in sm.get_matching_blocks():
        if block.size >= min_run:
            matched[block.a : block.a + block.size] = True
    hits = np.zeros(len(lines))
    sizes = np.zeros(len(lines))
    np.add.at(hits, owner, matched.astype(float))
    np.add.at(sizes, owner, 1.0)
    return ((sizes > 0) & (hits >= 0.5 * sizes)).astype(float)


def page_data(page: BenchmarkPage, markdown: bool, vocab: Vocabulary) -> PageData:
    lines, gaps = cleaner.split_lines(flatten_html(page.html, markdown=markdown), ABBREVIATIONS)
    x1 = line_features(lines, vocab)
    y = label_lines(lines, page.gold)
    words = np.array([len(_TOKEN.findall(line.text)) for line in lines], dtype=float)
    weight = np.sqrt(1.0 + words)
    weight = weight * len(lines) / max(weight.sum(), 1e-9)  # every page weighs its line count
    return PageData(page, markdown, lines, gaps, x1, y, weight)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> HistGradientBoostingClassifier:
    model = HistGradientBoostingClassifier(random_state=SEED, **GBM)
    model.fit(x, y, sample_weight=w)
    return model


def export(model: HistGradientBoostingClassifier) -> dict[str, Any]:
    """Trees as arrays; leaf values are log-odds with the learning rate already applied.

    Reads sklearn's fitted predictors (``_predictors``, ``_baseline_prediction``): the features
    have no missing values, so a node sends a row left when ``x <= threshold``.
    """
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": [int(f) for f in nodes["feature_idx"]],
                "threshold": [float(v) for v in nodes["num_threshold"]],
                "left": [-1 if lf else int(v) for v, lf in zip(nodes["left"], leaf, strict=True)],
                "right": [-1 if lf else int(v) for v, lf in zip(nodes["right"], leaf, strict=True)],
                "value": [
                    round(float(v), 7) if lf else 0.0
                    for v, lf in zip(nodes["value"], leaf, strict=True)
                ],
            }
        )
    depth = max(int(p.nodes["depth"].max()) for (p,) in model._predictors)
    return {
        "init": float(np.ravel(model._baseline_prediction)[0]),
        "learning_rate": 1.0,
        "depth": depth,
        "trees": trees,
    }


def stack(pages: list[PageData], attr: str) -> np.ndarray:
    return np.concatenate([getattr(p, attr) for p in pages])


def out_of_fold_stage1(pages: list[PageData]) -> list[np.ndarray]:
    """Stage-1 probabilities of each page from a model that did not see that page."""
    groups = np.array([hash_group(p.page) for p in pages])
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold, (tr, te) in enumerate(GroupKFold(n_splits=FOLDS).split(pages, groups=groups)):
        train = [pages[i] for i in tr]
        model = fit(stack(train, "x1"), stack(train, "y"), stack(train, "weight"))
        for i in te:
            probs[i] = (
                model.predict_proba(pages[i].x1)[:, 1] if len(pages[i].lines) else np.zeros(0)
            )
        log.info("stage-1 fold %d done", fold + 1)
    return probs


def hash_group(page: BenchmarkPage) -> int:
    """Folds by site: no page of a validation fold's sites is in its training folds."""
    site = site_of(page.url, page.id)
    return int(__import__("hashlib").sha256(site.encode()).hexdigest()[:8], 16)


def out_of_fold_stage2(pages: list[PageData], p1: list[np.ndarray]) -> list[np.ndarray]:
    """Stage-2 out-of-fold probabilities (to choose the threshold and train the title scorer)."""
    x2 = [stage2_features(p.x1, q) for p, q in zip(pages, p1, strict=True)]
    groups = np.array([hash_group(p.page) for p in pages])
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for tr, te in GroupKFold(n_splits=FOLDS).split(pages, groups=groups):
        model = fit(
            np.concatenate([x2[i] for i in tr]),
            stack([pages[i] for i in tr], "y"),
            stack([pages[i] for i in tr], "weight"),
        )
        for i in te:
            probs[i] = model.predict_proba(x2[i])[:, 1] if len(pages[i].lines) else np.zeros(0)
    return probs


def body_of(page: PageData, probs: np.ndarray, rule: BodyRule) -> str:
    return cleaner.assemble_body(page.lines, page.gaps, cleaner.body_lines(page.lines, probs, rule))


def choose_decision(pages: list[PageData], probs: list[np.ndarray]) -> tuple[BodyRule, float]:
    """The threshold and small-body fallback with the best out-of-fold benchmark F1.

    Every candidate rule has a fallback: a page with text should not come out empty because
    its article scores low everywhere (e.g. a language the stopword list does not cover).
    """
    best = (BodyRule(0.5, 0, 1.0), -1.0)
    for threshold in np.arange(0.05, 0.61, 0.05):
        for min_words, fraction in ((40, 0.3), (80, 0.3), (80, 0.5), (150, 0.3)):
            rule = BodyRule(round(float(threshold), 2), min_words, fraction)
            rows = [
                page_scores(p.page.gold, body_of(p, q, rule))
                for p, q in zip(pages, probs, strict=True)
            ]
            f1 = aggregate(rows)[2]
            log.info("%s: out-of-fold F1 %.4f", rule, f1)
            if f1 > best[1] + 1e-9:
                best = (rule, f1)
    return best


def _norm(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def metadata_title(page: BenchmarkPage) -> str:
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, fast=True)
    return _norm(getattr(doc, "title", None) or "") if doc is not None else ""


def title_data(
    pages: list[PageData], probs: list[np.ndarray], threshold: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per page flattening: title-candidate features and silver labels (trafilatura's title)."""
    titles = {p.page.id: metadata_title(p.page) for p in pages if not p.markdown}
    out = []
    for page, q in zip(pages, probs, strict=True):
        gold = titles.get(page.page.id, "")
        if not page.lines:
            continue
        own = own_matrix(page.lines, vocabulary())
        cands, feats = title_features(page.lines, q, own, threshold)
        labels = [same_title(_norm(page.lines[i].text), gold) for i in cands]
        out.append((feats, np.array(labels, dtype=float)))
    return out


def title_accuracy(data: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray, cut: float) -> float:
    """Share of pages where the best candidate is a silver title, or none is found for none."""
    right = 0
    for feats, labels in data:
        scores = 1 / (1 + np.exp(-(feats @ w))) if len(labels) else np.zeros(0)
        best = int(np.argmax(scores)) if len(scores) else -1
        found = best >= 0 and scores[best] >= cut
        right += bool(labels[best]) if found else not labels.any()
    return right / max(len(data), 1)


def fit_title(
    pages: list[PageData], probs: list[np.ndarray], threshold: float
) -> tuple[dict[str, float], float]:
    """Logistic regression on title candidates, and the score a title must reach."""
    data = title_data(pages, probs, threshold)
    x = np.concatenate([f for f, _l in data])
    y = np.concatenate([lab for _f, lab in data])
    log.info("title scorer: %d candidates, %d silver titles", len(y), int(y.sum()))
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000, random_state=SEED)
    model.fit(x, y)
    w = model.coef_[0]
    cut = max(np.arange(0.02, 0.9, 0.02), key=lambda c: title_accuracy(data, w, float(c)))
    log.info("title cut %.2f: accuracy %.3f on training pages", cut, title_accuracy(data, w, cut))
    weights = {n: round(float(v), 6) for n, v in zip(TITLE_FEATURES, w, strict=True)}
    return weights, round(float(cut), 2)


def vocabulary_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VOCAB_FILE.read_text("utf-8"))
    return data


def vocabulary() -> Vocabulary:
    return Vocabulary.from_mapping(vocabulary_data())


def provenance(
    corpus: Path, pages: list[PageData], rule: BodyRule, oof_f1: float
) -> dict[str, Any]:
    ids = sorted({p.page.id for p in pages})
    return {
        "trained_on": f"ScrapingHub article-extraction benchmark ({corpus.name}), training sites "
        f"only: {len(ids)} pages, each flattened to plain and to markdown text",
        "split": "eventatlas.eval.clean.held_out_site(host) is False (sha256 of salted host); "
        "cross-validation folds by site",
        "labels": "body line: >= half its tokens align (runs of 3+) with the gold articleBody",
        "script": "scripts/train_cleaner.py",
        "seed": SEED,
        "trained": dt.date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "gbm": GBM,
        "decision": {
            "threshold": rule.threshold,
            "min_body_words": rule.min_body_words,
            "fallback_fraction": rule.fallback_fraction,
        },
        "out_of_fold_f1_train_split": round(oof_f1, 4),
        "train_page_ids_sha256": __import__("hashlib").sha256("\n".join(ids).encode()).hexdigest(),
        "vocabulary": "src/eventatlas/data/cleaner_vocab.json (copied below)",
    }


def train(corpus: Path) -> dict[str, Any]:
    vocab = vocabulary()
    benchmark = load_benchmark(corpus, "train")
    pages = [page_data(pg, md, vocab) for pg in benchmark for md in (False, True)]
    pages = [p for p in pages if p.lines]
    log.info("%d page flattenings, %d lines", len(pages), sum(len(p.lines) for p in pages))
    p1 = out_of_fold_stage1(pages)
    p2 = out_of_fold_stage2(pages, p1)
    rule, oof_f1 = choose_decision(pages, p2)
    title_weights, title_cut = fit_title(pages, p2, rule.threshold)
    stage1 = fit(stack(pages, "x1"), stack(pages, "y"), stack(pages, "weight"))
    x2 = np.concatenate([stage2_features(p.x1, q) for p, q in zip(pages, p1, strict=True)])
    stage2 = fit(x2, stack(pages, "y"), stack(pages, "weight"))
    return {
        "provenance": provenance(corpus, pages, rule, oof_f1),
        "vocabulary": vocabulary_data(),
        "feature_names": feature_names(vocab),
        "stage2_feature_names": stage2_names(vocab),
        "threshold": rule.threshold,
        "min_body_words": rule.min_body_words,
        "fallback_fraction": rule.fallback_fraction,
        "title_weights": title_weights,
        "title_threshold": title_cut,
        "stage1": export(stage1),
        "stage2": export(stage2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="ScrapingHub benchmark folder")
    parser.add_argument("--out", type=Path, default=OUT_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    model = train(args.corpus)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", "utf-8")
    log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)
    from train_document_kind import add_document_scorer

    from eventatlas.eval.clean import evaluate_clean, format_report

    add_document_scorer(args.corpus, args.out)
    report = evaluate_clean(args.corpus, "test", model_path=args.out)
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
