"""Body-extraction evaluation: the benchmark's scoring, the report, and the accuracy gates."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from eventatlas.errors import UsageError
from eventatlas.eval.clean import (
    aggregate,
    evaluate_clean,
    format_report,
    held_out,
    in_split,
    load_benchmark,
    page_scores,
    site_of,
    to_dict,
)

# --- scoring as the benchmark's evaluate.py does it ------------------------------------------


def test_identical_texts_score_one() -> None:
    assert page_scores("a b c d e f", "a b c d e f") == (1.0, 0.0, 0.0)
    assert aggregate([(1.0, 0.0, 0.0)]) == (1.0, 1.0, 1.0)


def test_shingles_of_four_tokens_normalised_per_page() -> None:
    # gold shingles: (a b c d), (b c d e); predicted: (a b c d) -> tp 1, fp 0, fn 1
    assert page_scores("a b c d e", "a b c d") == (0.5, 0.0, 0.5)
    # punctuation is not a token; case matters
    assert page_scores("A, b; c. d!", "A b c d") == (1.0, 0.0, 0.0)
    assert page_scores("A b c d", "a b c d") == (0.0, 0.5, 0.5)


def test_short_texts_make_one_short_shingle() -> None:
    assert page_scores("war", "war") == (1.0, 0.0, 0.0)
    assert page_scores("war now", "war") == (0.0, 0.5, 0.5)


def test_empty_prediction_left_out_of_precision_and_scores_zero_recall() -> None:
    empty = page_scores("a b c d e", "")
    assert empty == (0.0, 0.0, 1.0)
    perfect = page_scores("a b c d", "a b c d")
    p, r, f1 = aggregate([empty, perfect])
    assert p == 1.0  # the empty page is not in the precision mean
    assert r == 0.5
    assert f1 == pytest.approx(2 * 0.5 / 1.5)


def test_both_empty_page_counts_nowhere() -> None:
    assert page_scores("", "") == (0.0, 0.0, 0.0)
    assert aggregate([(0.0, 0.0, 0.0), (0.5, 0.0, 0.5)]) == (1.0, 0.5, pytest.approx(2 / 3))


def test_split_is_deterministic_and_about_thirty_percent() -> None:
    ids = [f"{i:064x}" for i in range(2000)]
    share = sum(held_out(i) for i in ids) / len(ids)
    assert 0.27 < share < 0.33
    assert [held_out(i) for i in ids[:50]] == [held_out(i) for i in ids[:50]]


def test_site_split_keeps_each_site_on_one_side() -> None:
    urls = [
        f"https://{w}news{i}.example/a/{j}"
        for i in range(300)
        for j in range(3)
        for w in ("", "www.")
    ]
    sides: dict[str, set[bool]] = {}
    for n, url in enumerate(urls):
        sides.setdefault(site_of(url, str(n)), set()).add(in_split(str(n), "test", url))
    assert all(len(s) == 1 for s in sides.values())  # www. or not, every page of a site together
    share = sum(True in s for s in sides.values()) / len(sides)
    assert 0.25 < share < 0.35
    assert site_of(None, "page-id") == "page-id"


# --- the whole evaluation on a small synthetic corpus --------------------------------------

BODY = (
    "Rescue teams reached the flooded villages on Sunday after the river burst its banks, "
    "and local officials said hundreds of families had been moved to schools on higher ground."
)


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    truth = {}
    for n in range(4):
        page_id = f"{n:02d}" + "ab" * 31
        html = (
            "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
            f"<article><h1>Floods number {n}</h1><p>{BODY}</p><p>{BODY.upper()}</p></article>"
            "<footer>All rights reserved</footer></body></html>"
        )
        with gzip.open(tmp_path / "html" / f"{page_id}.html.gz", "wt", encoding="utf-8") as fh:
            fh.write(html)
        truth[page_id] = {"articleBody": f"{BODY}\n\n{BODY.upper()}", "url": None}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    return tmp_path


def test_evaluate_clean_on_synthetic_corpus(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    report = evaluate_clean(corpus, split="all")
    assert report.pages == 4
    assert [s.path for s in report.scores] == ["html", "plain", "markdown"]
    for score in report.scores:
        assert 0.0 <= score.precision <= 1.0
        assert 0.0 <= score.recall <= 1.0
        assert score.pages == 4
    assert report.scores[0].f1 > 0.9
    table = format_report(report)
    assert "held-out" not in table
    assert "optimistic" in table
    assert json.loads(json.dumps(to_dict(report)))["scores"][1]["path"] == "plain"


def test_bad_corpus_and_path_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"ground-truth\.json"):
        load_benchmark(tmp_path / "missing")
    with pytest.raises(UsageError, match="unknown clean-eval path"):
        evaluate_clean(_corpus(tmp_path), split="all", paths=("pdf",))


# --- accuracy gates on the real benchmark ----------------------------------------------------
# Floors sit just below the figures measured when the packaged model was trained (see the
# report in the commit); the plain-text figures are on held-out SITES: no page of theirs was
# seen in training (the earlier split by page scored 0.864 / 0.888 with the previous model).

HTML_F1_ALL = 0.959  # measured 0.964
PLAIN_F1_HELD_OUT = 0.917  # measured 0.922 (held-out sites; 0.864 before, on a page split)
MARKDOWN_F1_HELD_OUT = 0.921  # measured 0.928 (held-out sites; 0.888 before, on a page split)


@pytest.fixture(scope="module")
def benchmark(shared_data_dir: Path) -> Path:
    path = shared_data_dir / "extraction" / "scrapinghub"
    if not (path / "ground-truth.json").is_file():
        pytest.skip("ScrapingHub benchmark not in the shared data")
    return path


def test_gate_html_all_pages(benchmark: Path) -> None:
    report = evaluate_clean(benchmark, split="all", paths=("html",))
    assert report.pages == 181
    assert report.scores[0].f1 >= HTML_F1_ALL


def test_gate_plain_text_held_out(benchmark: Path) -> None:
    report = evaluate_clean(benchmark, split="test", paths=("plain", "markdown"))
    assert "held-out sites" in format_report(report)
    assert report.pages == 54
    plain, markdown = report.scores
    assert plain.f1 >= PLAIN_F1_HELD_OUT
    assert markdown.f1 >= MARKDOWN_F1_HELD_OUT
