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
