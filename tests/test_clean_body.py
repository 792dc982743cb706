"""Bodies of any shape: a given body loses only boilerplate; no text holding prose is rejected.

Texts here are synthetic, written for these tests (edge cases; the quality evidence is the shape
gate on real corpora in tests/test_shape_gate.py).
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
from pathlib import Path

import pytest

from eventatlas.cli.main import main
from eventatlas.ingest.clean import BodyRule, CleanerModel, clean_text, load_cleaner_model
from eventatlas.store.sql import open_store
from tests.test_clean import BODY

PARAGRAPHS = BODY[:4]


@pytest.fixture(scope="module")
def model() -> CleanerModel:
    return load_cleaner_model()


def test_one_line_body_is_kept_whole(model: CleanerModel) -> None:
    result = clean_text(" ".join(BODY), model, body=True)
    assert result.cleaning == "body"
    assert result.text == " ".join(BODY)
    assert result.title is None


def test_boilerplate_segments_of_a_body_go_and_its_prose_stays(model: CleanerModel) -> None:
    text = "\n".join(
        [*PARAGRAPHS, "Follow us on Twitter", "Share this article", "© 2020 Karvel Post"]
    )
    result = clean_text(text, model, body=True)
    for p in PARAGRAPHS:
        assert p in result.text
    for cruft in ("Follow us", "Share this", "©"):
        assert cruft not in result.text


def test_body_layout_is_kept(model: CleanerModel) -> None:
    text = "\n\n".join(textwrap.fill(p, 70) for p in PARAGRAPHS)
    result = clean_text(text, model, body=True)
    assert result.text == "\n\n".join(PARAGRAPHS)  # unwrapped, paragraphs kept apart


def test_page_whose_cleaning_would_remove_everything_is_kept_and_marked(
    model: CleanerModel,
) -> None:
    nothing_passes = dataclasses.replace(model, rule=BodyRule(2.0, 0, 1.0))
    result = clean_text("\n\n".join(PARAGRAPHS), nothing_passes, body=False)
    assert result.cleaning == "kept"
    assert result.text == "\n\n".join(PARAGRAPHS)


def test_body_the_classifier_rejects_keeps_its_prose(model: CleanerModel) -> None:
    nothing_passes = dataclasses.replace(model, rule=BodyRule(2.0, 0, 1.0))
    result = clean_text("\n".join([*PARAGRAPHS, "Home | News"]), nothing_passes, body=True)
    assert result.cleaning == "body"
    assert result.text == "\n".join(PARAGRAPHS)


def test_a_text_of_an_article_alone_is_cleaned_as_a_body(model: CleanerModel) -> None:
    text = "\n\n".join(textwrap.fill(p, 70) for p in PARAGRAPHS)
    result = clean_text(text, model)  # not marked: the document scorer decides
    assert result.cleaning == "body"
    assert result.text == "\n\n".join(PARAGRAPHS)


def test_a_page_with_menus_around_an_article_is_cleaned_as_a_page(model: CleanerModel) -> None:
    menus = ["Home", "World", "Politics", "Business", "Sport", "Subscribe", "Log in"]
    footer = ["Privacy Policy", "Terms of Use", "Follow us on Twitter", "Share on Facebook"]
    result = clean_text("\n".join([*menus, *PARAGRAPHS, *footer]), model)
    assert result.cleaning == "page"
    assert result.text == "\n".join(PARAGRAPHS)


def test_page_of_menus_only_is_cleaned_not_kept(model: CleanerModel) -> None:
    result = clean_text("Home\nWorld\nPolitics\nSubscribe\nLog in", model)
    assert result.cleaning == "page"


def _ingest(tmp_path: Path, *inputs: Path) -> tuple[int, list[dict[str, object]]]:
    db = tmp_path / "s.db"
    code = main(["ingest", *map(str, inputs), "--db", str(db), "-q"])
    with open_store(str(db)) as store:
        rows = [
            {"id": a.id, "text": a.text, "cleaning": a.cleaning, "source": a.source}
            for a in store.iter_articles()
        ]
    return code, rows


def test_jsonl_one_line_bodies_are_stored_whole(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": f"a{i}", "text": " ".join(PARAGRAPHS[i:] + PARAGRAPHS[:i])})
        for i in range(4)
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, rows = _ingest(tmp_path, path)
    assert code == 0
    assert len(rows) == 4
    assert all(r["cleaning"] == "body" for r in rows)
    by_id = {r["id"]: r["text"] for r in rows}
    assert by_id["a0"] == " ".join(PARAGRAPHS)


def test_text_files_report_their_cleaning_and_export_carries_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = tmp_path / "alone.txt"
    alone.write_text("\n\n".join(PARAGRAPHS) + "\n", "utf-8")
    scrape = tmp_path / "scrape.txt"
    menus = ["Home", "World", "Politics", "Business", "Sport", "Subscribe", "Log in"]
    scrape.write_text("\n".join([*menus, *BODY, "Privacy Policy", "Terms of Use"]), "utf-8")
    code, rows = _ingest(tmp_path, alone, scrape)
    assert code == 0
    cleaning = {Path(str(r["source"])).name: r["cleaning"] for r in rows}
    assert cleaning == {"alone.txt": "body", "scrape.txt": "page"}
    capsys.readouterr()
    main(["export", "--what", "articles", "--format", "jsonl", "--db", str(tmp_path / "s.db")])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["cleaning"] for r in records) == ["body", "page"]


def test_input_without_words_is_rejected_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "x", "text": "--- *** ---"}) + "\n"
        + json.dumps({"id": "y", "text": PARAGRAPHS[0]}) + "\n",
        "utf-8",
    )  # fmt: skip
    code, rows = _ingest(tmp_path, path)
    assert code == 1
    assert [r["id"] for r in rows] == ["y"]
    err = capsys.readouterr().err
    assert "in.jsonl:1" in err
    assert "no text found" in err
