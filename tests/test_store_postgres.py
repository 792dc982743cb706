"""The same store on a real PostgreSQL server (started for the test session)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from eventatlas.store.sql import open_store
from tests.test_store import _article


def _fresh_db(url: str) -> str:
    name = "ea_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return url.replace("/postgres?", f"/{name}?")


def test_postgres_round_trip(postgres_url: str) -> None:
    db = _fresh_db(postgres_url)
    with open_store(db) as store:
        assert store.add_article(_article(1), b"\x01" * 16)
        assert not store.add_article(_article(1))
        assert store.add_article(_article(2, duplicate_of="id1", published=None))
        got = list(store.iter_articles())
        assert [a.id for a in got] == ["id1", "id2"]
        assert got[0] == _article(1)
        assert [s.signature for s in store.signatures()] == [b"\x01" * 16]
    with open_store(db) as store:  # reopening migrates nothing twice
        assert store.count_articles() == 2


def test_postgres_mentions_fusion_and_events(postgres_url: str) -> None:
    from eventatlas.pipeline import fuse_stored, stored_events
    from tests.test_fuse import FAR_TOWN, mention

    db = _fresh_db(postgres_url)
    with open_store(db) as store:
        for i in (1, 2, 3):
            store.add_article(_article(i))
        store.save_processed("id1", [], [mention(1, article="id1")])
        store.save_processed("id2", [], [mention(2, article="id2", stance="denies")])
        store.save_processed("id3", [], [mention(3, article="id3", place=FAR_TOWN)])
        assert fuse_stored(store) == 3
        assert fuse_stored(store) == 0
        events = stored_events(store)
        assert sorted(len(e.mentions) for e in events) == [1, 2]
        assert {e.status for e in events} == {"disputed", "reported"}
        store.save_processed("id3", [], [])  # a reprocessed article drops its links too
        assert sum(len(e.mentions) for e in stored_events(store)) == 2
