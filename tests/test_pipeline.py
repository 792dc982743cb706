"""Ingest mechanics: ids, idempotence, near-duplicate links, rejections in a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventatlas.pipeline import article_id, content_hash, ingest
from eventatlas.settings import Settings
from eventatlas.store.sql import open_store
from tests.conftest import synthetic_article


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "t.db"), quiet=True)


def test_content_hash_ignores_whitespace_layout() -> None:
    assert content_hash("a  b\n\nc ") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


def test_article_id_given_wins_and_origin_matters() -> None:
    assert article_id("mine", "http://x", None, "h") == "mine"
    assert article_id(None, "http://x/1", None, "h") != article_id(None, "http://y/1", None, "h")
    assert article_id(None, None, "Reuters", "h") == article_id(None, None, "Reuters", "h")


def test_rerun_adds_nothing(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(synthetic_article(i))
    with open_store(settings.db) as store:
        first = ingest([str(folder)], settings, store)
        second = ingest([str(folder)], settings, store)
        assert len(first.stored) == 4
        assert second.stored == []
        assert second.already_stored == 4
        assert store.count_articles() == 4


def test_syndicated_copies_stored_and_linked(tmp_path: Path, settings: Settings) -> None:
    body = synthetic_article(7)
    rows = [
        {"id": "wire", "outlet": "Reuters", "url": "https://wire.example/a", "text": body},
        {"id": "copy1", "outlet": "Outlet One", "url": "https://one.example/a", "text": body},
        {
            "id": "copy2",
            "outlet": "Outlet Two",
            "url": "https://two.example/b",
            "text": body + "\nThis story was republished from a wire service.",
        },
        {"id": "other", "outlet": "Outlet Two", "text": synthetic_article(8)},
    ]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with open_store(settings.db) as store:
        report = ingest([str(src)], settings, store)
        stored = {a.id: a for a in store.iter_articles()}
    assert set(stored) == {"wire", "copy1", "copy2", "other"}
    assert stored["wire"].duplicate_of is None
    assert stored["copy1"].duplicate_of == "wire"
    assert stored["copy2"].duplicate_of == "wire"
    assert stored["other"].duplicate_of is None
    assert report.linked_copies == 2


def test_bad_inputs_rejected_rest_stored(tmp_path: Path, settings: Settings) -> None:
    good = tmp_path / "good.txt"
    good.write_text(synthetic_article(1))
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with open_store(settings.db) as store:
        report = ingest(
            [str(good), str(empty), str(binary), str(tmp_path / "missing.txt")], settings, store
        )
        assert store.count_articles() == 1
    rejected = {r.source for r in report.rejections}
    assert {str(empty), str(binary), str(tmp_path / "missing.txt")} <= rejected
    assert all(r.reason for r in report.rejections)


def test_given_fields_win(tmp_path: Path, settings: Settings) -> None:
    row = {
        "id": "x1",
        "title": "Given title",
        "published": "2019-03-04",
        "outlet": "Given Outlet",
        "language": "en",
        "text": "Updated Date: Sep 21, 2017\n\n" + synthetic_article(3),
    }
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(row) + "\n")
    with open_store(settings.db) as store:
        ingest([str(src)], settings, store)
        (a,) = list(store.iter_articles())
    assert (a.title, a.published and a.published.isoformat(), a.outlet) == (
        "Given title",
        "2019-03-04",
        "Given Outlet",
    )
