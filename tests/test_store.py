from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from eventatlas.errors import StoreError
from eventatlas.records import Article
from eventatlas.store.sql import database_url, open_store


def _article(i: int, **kw: object) -> Article:
    base: dict[str, object] = dict(
        id=f"id{i}",
        source=f"file{i}.txt",
        url=None,
        outlet="Reuters",
        title=f"T{i}",
        published=dt.date(2020, 6, i + 1),
        published_source="text",
        language="en",
        text=f"text {i}",
        content_hash=f"h{i}",
    )
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_round_trip_and_idempotent_insert(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with open_store(str(db)) as store:
        assert store.add_article(_article(1), b"\x00" * 8)
        assert not store.add_article(_article(1))
        assert store.add_article(_article(2, duplicate_of="id1", published=None))
        got = list(store.iter_articles())
    assert [a.id for a in got] == ["id1", "id2"]
    assert got[0] == _article(1)
    assert got[1].duplicate_of == "id1"


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with open_store(str(db)) as store:
        store.add_article(_article(1))
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_key_enforced(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    with open_store(str(tmp_path / "a.db")) as store, pytest.raises(IntegrityError):
        store.add_article(_article(1, duplicate_of="missing"))


def test_reopen_keeps_data_and_schema_version(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    with open_store(db) as store:
        store.add_article(_article(1))
    with open_store(db) as store:
        assert store.count_articles() == 1
    version = sqlite3.connect(db).execute("select version_num from alembic_version").fetchall()
    assert version == [("0006",)]


def test_signatures_exclude_copies(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_article(_article(1), b"a" * 8)
        store.add_article(_article(2, duplicate_of="id1"), b"b" * 8)
        assert [s.article_id for s in store.signatures()] == ["id1"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "a.db"))


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot create or migrate"):
        open_store(str(bad))


def test_database_url() -> None:
    assert database_url("x.db") == "sqlite:///x.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_places_saved_and_processed_flag(tmp_path: Path) -> None:
    from eventatlas.records import Place

    with open_store(str(tmp_path / "a.db")) as store:
        store.add_article(_article(1))
        store.add_article(_article(2))
        assert store.count_unprocessed() == 2
        found = [
            Place("Aleppo", 0, 6, 170063, 36.2, 37.16, "SY", "city"),
            Place("Nowhere", 10, 17),
        ]
        store.save_processed("id1", found)
        store.save_processed("id1", found)  # a rerun replaces, never doubles
        assert store.count_unprocessed() == 1
        got = {a.id: a for a in store.iter_articles()}
        assert got["id1"].places == tuple(found)
        assert [a.id for a in store.iter_articles(unprocessed=True)] == ["id2"]


def test_upgrade_from_first_revision_keeps_articles(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from eventatlas.store.sql import migrate

    db = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into articles (id, source, language, text, content_hash, ingested_at) "
            "values ('old', 'x.txt', 'en', 'kept', 'h', '2020-01-01 00:00:00')"
        )
    engine.dispose()
    with open_store(str(db)) as store:
        (a,) = list(store.iter_articles())
        assert (a.id, a.text, a.places) == ("old", "kept", ())


def _mention(article_id: str, seq: int) -> object:
    from eventatlas.records import AcledType, Actor, EventDate, EventMention, Place

    return EventMention(
        id=f"m{article_id}{seq}", article_id=article_id, type="ASSAULT", mode="aerial",
        acled=AcledType("Explosions/Remote violence", "Air/drone strike"),
        date=EventDate(dt.date(2020, 6, 1), dt.date(2020, 6, 1), "day"),
        actors=(Actor("Russian military", "RUS", "MIL"),),
        recipients=(Actor("civilians", None, "CVL"),),
        location=Place("Idlib", 20, 25, 169388, 35.93, 36.63, "SY", "city"), geo_precision=1,
        status="claimed", attributed_to="SOHR", stance="asserts",
        quote="Jets struck <b>Idlib</b>; 'quotes' too.", start=0, end=38, trigger="struck",
        confidence=0.9,
    )  # fmt: skip


def test_event_mentions_round_trip_and_rerun_replaces(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_article(_article(1))
        events = [_mention("id1", 0), _mention("id1", 1)]
        store.save_processed("id1", [], events)  # type: ignore[list-item]
        store.save_processed("id1", [], events)  # type: ignore[list-item]
        got = list(store.iter_mentions())
        assert len(got) == 2
        first = got[0]
        assert first.quote == "Jets struck <b>Idlib</b>; 'quotes' too."  # stored as given
        assert first.actors[0].country == "RUS"
        assert first.location is not None
        assert first.location.name == "Idlib"
        assert (first.outlet, first.published) == ("Reuters", dt.date(2020, 6, 2))
        assert first.date.precision == "day"
        store.save_processed("id1", [], [])
        assert list(store.iter_mentions()) == []
