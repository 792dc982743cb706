"""Fit the toponym resolver's weights (``src/eventatlas/data/geo_weights.json``) on a dev split.

Usage::

    .venv/bin/python scripts/fit_geo_weights.py --corpus GWN.xml --corpus lgl.xml \
        --out src/eventatlas/data/geo_weights.json [--cache /tmp/geo-docs]

Only the ``dev`` split of each corpus is read (the first half of its articles; see
``eventatlas.eval.geo.select_articles``); the ``test`` halves stay unseen for reporting. The model
is a conditional logit over each name's candidates, L2-regularised, fitted with L-BFGS. It
maximises the probability mass of the right candidates: those within 161 km of the gold point and
no farther than 25 km or twice the closest candidate's distance (so a town is preferred to a
same-named province whose point lies 40 km off). First the context-free ``prior`` weights, then
the ``context`` weights on features computed from the previous pass (repeated so training sees
the same rounds as inference). The abstention threshold is the score below which at most
``--abstain-loss`` of the dev toponyms would be lost that were resolved correctly while the text
pointed to another country (the resolver only abstains then).
Needs scipy (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from eventatlas.eval.geo import ACCURACY_KM, km, select_articles
from eventatlas.eval.geo_corpus import GoldArticle, load_geo_corpus
from eventatlas.geo.features import (
    ALL_FEATURES,
    PRIOR_FEATURES,
    Matrix,
    Unit,
    build_units,
    context_matrix,
    softmax,
)
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.recognise import mentions_at, recognise
from eventatlas.geo.rules import GeoRules, Weights, geo_rules
from eventatlas.nlp.load import load_nlp
from eventatlas.settings import load_settings

log = logging.getLogger("fit_geo_weights")
NEAR_KM = 25.0  # candidates this close to the gold point (or within twice the closest) are "right"


@dataclass
class Example:
    """One text: its units, demonym countries, and per unit the indices of correct candidates."""

    units: list[Unit]
    countries: tuple[str, ...]
    correct: list[list[int] | None]  # None: no gold toponym in this unit


def examples_for(
    article: GoldArticle, doc: Any, gazetteer: GazetteerLike, rules: GeoRules
) -> Example:
    recognition = recognise(doc, gazetteer, rules)
    gold = sorted({(t.start, t.end) for t in article.toponyms})
    extra = [
        (m.start, m.end)
        for m in recognition.mentions
        if not any(m.start < e and s < m.end for s, e in gold)
    ]
    mentions = mentions_at(doc, gold + extra, gazetteer, rules)
    units = build_units(mentions, gazetteer, rules)
    points = {(t.start, t.end): (t.lat, t.lon) for t in article.toponyms}
    correct: list[list[int] | None] = []
    for unit in units:
        golds = [points[(mentions[i].start, mentions[i].end)] for i in unit.mentions
                 if (mentions[i].start, mentions[i].end) in points]  # fmt: skip
        if not golds:
            correct.append(None)
            continue
        lat, lon = golds[0]
        dist = [km(e.lat, e.lon, lat, lon) for e in unit.entries]
        near = max(NEAR_KM, 2 * min(dist, default=0.0))
        correct.append([j for j, d in enumerate(dist) if d < ACCURACY_KM and d <= near])
    return Example(units, recognition.countries, correct)


def _loss(w: Matrix, data: list[tuple[Matrix, list[int]]], l2: float) -> tuple[float, Matrix]:
    total, grad = l2 * float(w @ w), 2 * l2 * w
    for x, good in data:
        p = softmax(x @ w)
        mass = float(p[good].sum())
        total -= math.log(max(mass, 1e-12))
        q = np.zeros_like(p)
        q[good] = p[good] / max(mass, 1e-12)
        grad = grad - (q - p) @ x
    return total / len(data), grad / len(data)


def fit(data: list[tuple[Matrix, list[int]]], start: Matrix, l2: float) -> Matrix:
    result = minimize(_loss, start, args=(data, l2), jac=True, method="L-BFGS-B")
    out: Matrix = result.x
    return out


def _trainable(matrices: Sequence[Matrix], ex: Example) -> list[tuple[Matrix, list[int]]]:
    return [
        (m, good)
        for m, good in zip(matrices, ex.correct, strict=True)
        if good and len(good) < len(m)  # a choice to learn from
    ]


def _probs(
    ex: Example, w_prior: Matrix, w_ctx: Matrix, rounds: int, rules: GeoRules
) -> list[Matrix]:
    """Features of the last round, as the resolver computes them."""
    probs = [softmax(u.prior @ w_prior) for u in ex.units]
    matrices: list[Matrix] = []
    for r in range(rounds):
        matrices = context_matrix(ex.units, probs, ex.countries, rules)
        if r + 1 < rounds:
            probs = [softmax(m @ w_ctx) for m in matrices]
    return matrices


def train(
    examples: list[Example], rules: GeoRules, rounds: int, l2: float
) -> tuple[Matrix, Matrix]:
    prior_data = [pair for ex in examples for pair in _trainable([u.prior for u in ex.units], ex)]
    w_prior = fit(prior_data, np.zeros(len(PRIOR_FEATURES)), l2)
    w_ctx = np.concatenate([w_prior, np.zeros(len(ALL_FEATURES) - len(PRIOR_FEATURES))])
    for iteration in range(max(1, rounds)):
        data = [
            pair
            for ex in examples
            for pair in _trainable(
                _probs(ex, w_prior, w_ctx, min(iteration + 1, rounds), rules), ex
            )
        ]
        w_ctx = fit(data, w_ctx, l2)
        log.info("context fit %d on %d names", iteration + 1, len(data))
    return w_prior, w_ctx


def abstain_threshold(
    examples: list[Example],
    w_prior: Matrix,
    w_ctx: Matrix,
    rounds: int,
    rules: GeoRules,
    loss: float,
) -> float:
    right: list[float] = []
    wrong: list[float] = []
    focus = ALL_FEATURES.index("country_focus")
    total = 0
    for ex in examples:
        context = sum(bool(u.entries) for u in ex.units) > 1
        for m, good in zip(_probs(ex, w_prior, w_ctx, rounds, rules), ex.correct, strict=True):
            if good is None or len(m) == 0:
                continue
            total += 1
            scores = m @ w_ctx
            best = int(np.argmax(scores))
            if context and m[best, focus] < rules.weights.setting("abstain_focus", 0.1):
                (right if best in good else wrong).append(float(scores[best]))
    right.sort()
    cut = right[int(loss * total)] if right and int(loss * total) < len(right) else -1e9
    dropped = sum(s < cut for s in wrong)
    log.info(
        "abstain below %.3f: loses %d right, drops %d of %d wrong",
        cut,
        sum(s < cut for s in right),
        dropped,
        len(wrong),
    )
    return cut


def _docs(nlp: Any, articles: list[GoldArticle], cache: Path | None, name: str) -> list[Any]:
    from spacy.tokens import DocBin

    path = cache / f"{name}-fit.spacy" if cache else None
    if path is not None and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    docs = list(nlp.pipe([a.text for a in articles], batch_size=16))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        bin_ = DocBin()
        for d in docs:
            bin_.add(d)
        bin_.to_disk(path)
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None, help="folder for parsed dev docs")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--abstain-loss", type=float, default=0.003)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from eventatlas.geo.gazetteer import open_gazetteer

    gazetteer = open_gazetteer(load_settings())
    base = geo_rules()
    rules = replace(
        base,
        weights=replace(
            base.weights, settings={**base.weights.settings, "rounds": float(args.rounds)}
        ),
    )
    nlp = load_nlp()
    examples: list[Example] = []
    for path in args.corpus:
        corpus = load_geo_corpus(path)
        own = any(a.split is not None for a in corpus.articles)  # the places gold: its train
        articles = select_articles(corpus.articles, "train" if own else "dev", None)
        docs = _docs(nlp, articles, args.cache, corpus.name)
        examples += [
            examples_for(a, d, gazetteer, rules) for a, d in zip(articles, docs, strict=True)
        ]
        log.info("%s: %d dev articles", corpus.name, len(articles))
    w_prior, w_ctx = train(examples, rules, args.rounds, args.l2)
    cut = abstain_threshold(examples, w_prior, w_ctx, args.rounds, rules, args.abstain_loss)
    weights = Weights(
        dict(zip(PRIOR_FEATURES, map(float, w_prior), strict=True)),
        dict(zip(ALL_FEATURES, map(float, w_ctx), strict=True)),
        cut,
        {**base.weights.settings, "rounds": float(args.rounds)},
    )
    args.out.write_text(_to_json(weights, [p.name for p in args.corpus], args) + "\n", "utf-8")
    log.info("wrote %s", args.out)
    return 0


def _to_json(weights: Weights, corpora: list[str], args: argparse.Namespace) -> str:
    rnd = lambda d: {k: round(v, 4) for k, v in d.items()}  # noqa: E731
    return json.dumps(
        {
            "provenance": (
                f"fitted by scripts/fit_geo_weights.py on the dev halves (first half of the "
                f"articles) of the XML corpora and the train split of a places gold, of "
                f"{', '.join(corpora)}; l2={args.l2}, rounds={args.rounds}, "
                f"abstain_loss={args.abstain_loss}"
            ),
            "prior": rnd(weights.prior),
            "context": rnd(weights.context),
            "abstain_below": round(weights.abstain_below, 4),
            "settings": weights.settings,
        },
        indent=2,
    )


if __name__ == "__main__":
    sys.exit(main())
