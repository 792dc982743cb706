"""The store: the only module that speaks SQL (through SQLAlchemy Core).

SQLite by default (one file, WAL, foreign keys on); a ``postgresql://`` URL selects PostgreSQL.
The schema is brought to the newest Alembic revision when a store is opened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from eventatlas.errors import StoreError
from eventatlas.records import AcledType, Actor, Article, EventDate, EventMention, Place
from eventatlas.registry import register
from eventatlas.store.schema import articles, event_mentions, mentions, places

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredSignature:
    """A stored article's MinHash signature, for rebuilding the near-duplicate index."""

    article_id: str
    signature: bytes


def database_url(db: str) -> str:
    """A SQLAlchemy URL for ``db``: a ``postgresql://`` URL as given, else a SQLite file path."""
    if db.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return db.replace("postgres://", "postgresql://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if db.startswith("sqlite:"):
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _make_engine(db: str) -> Engine:
    url = database_url(db)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        parent = Path(url[len("sqlite:///") :]).parent
        if not parent.is_dir():
            raise StoreError(
                f"database {db}: folder {parent} does not exist; create it or choose another --db"
            )
    try:
        engine = sa.create_engine(url)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"database {db}: cannot open ({exc}); check the --db value") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, the newest by default (idempotent)."""
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("eventatlas.store").joinpath("migrations"))
    )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _article_row(article: Article, minhash: bytes | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "published_source": article.published_source,
        "language": article.language,
        "text": article.text,
        "cleaning": article.cleaning,
        "content_hash": article.content_hash,
        "duplicate_of": article.duplicate_of,
        "minhash": minhash,
        "ingested_at": dt.datetime.now(dt.UTC),
    }


def _row_article(row: Any) -> Article:
    return Article(
        id=row.id,
        source=row.source,
        url=row.url,
        outlet=row.outlet,
        title=row.title,
        published=row.published,
        published_source=row.published_source,
        language=row.language,
        text=row.text,
        content_hash=row.content_hash,
        duplicate_of=row.duplicate_of,
        cleaning=row.cleaning,
    )


class SqlStore:
    """Articles (and, as later stages land, everything derived from them) in one database."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.engine = _make_engine(db)
        try:
            migrate(self.engine)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(
                f"database {db}: cannot create or migrate the schema ({exc}); "
                "is it an eventatlas database you can write to?"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_article(self, article_id: str) -> bool:
        query = sa.select(articles.c.id).where(articles.c.id == article_id)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def add_article(self, article: Article, minhash: bytes | None = None) -> bool:
        """Store one article in its own transaction; False when its id is already stored."""
        try:
            with self.engine.begin() as conn:
                conn.execute(articles.insert().values(**_article_row(article, minhash)))
        except IntegrityError:
            if self.has_article(article.id):
                return False
            raise
        except OperationalError as exc:
            raise StoreError(
                f"database {self.db}: cannot write article {article.id} ({exc})"
            ) from exc
        return True

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

    def iter_articles(
        self, *, unprocessed: bool = False, ids: Sequence[str] | None = None
    ) -> Iterator[Article]:
        """Stored articles with their places, oldest publication first (undated last), then by id.

        ``unprocessed``: only those the processing stages have not yet seen; ``ids``: only these.
        """
        order = (articles.c.published.is_(None), articles.c.published, articles.c.id)
        query = sa.select(articles).order_by(*order)
        if unprocessed:
            query = query.where(articles.c.processed_at.is_(None))
        if ids is not None:
            query = query.where(articles.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                found = self._places(conn, row.id)
                yield replace(_row_article(row), places=found)

    @staticmethod
    def _places(conn: sa.Connection, article_id: str) -> tuple[Place, ...]:
        query = sa.select(places).where(places.c.article_id == article_id).order_by(places.c.seq)
        return tuple(
            Place(
                name=r.name, start=r.start, end=r.end, geonameid=r.geonameid, lat=r.lat,
                lon=r.lon, country=r.country, feature=r.feature, role=r.role,
            )
            for r in conn.execute(query)
        )  # fmt: skip

    def save_processed(
        self, article_id: str, found: Sequence[Place], events: Sequence[EventMention] = ()
    ) -> None:
        """Replace an article's places and event mentions and mark it processed, in one
        transaction."""
        rows = [
            {"article_id": article_id, "seq": i, **dataclasses.asdict(p)}
            for i, p in enumerate(found)
        ]
        event_rows = [_mention_row(m, i) for i, m in enumerate(events)]
        try:
            with self.engine.begin() as conn:
                conn.execute(places.delete().where(places.c.article_id == article_id))
                conn.execute(mentions.delete().where(mentions.c.article_id == article_id))
                if rows:
                    conn.execute(places.insert(), rows)
                if event_rows:
                    conn.execute(mentions.insert(), event_rows)
                conn.execute(
                    articles.update()
                    .where(articles.c.id == article_id)
                    .values(processed_at=dt.datetime.now(dt.UTC))
                )
        except OperationalError as exc:
            raise StoreError(
                f"database {self.db}: cannot write places of {article_id} ({exc})"
            ) from exc

    def iter_mentions(self) -> Iterator[EventMention]:
        """Every stored event mention, by article ingest order and position in the article."""
        query = (
            sa.select(mentions, articles.c.outlet, articles.c.published)
            .join(articles, articles.c.id == mentions.c.article_id)
            .order_by(articles.c.ingested_at, articles.c.id, mentions.c.seq)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _row_mention(row)

    def assignments(self) -> dict[str, str]:
        """Mention id -> event id, for every fused mention."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(event_mentions.c.mention_id, event_mentions.c.event_id))
            return {r.mention_id: r.event_id for r in rows}

    def save_assignments(self, pairs: dict[str, str]) -> None:
        """Record the event of each newly fused mention (one transaction)."""
        if not pairs:
            return
        rows = [{"mention_id": m, "event_id": e} for m, e in pairs.items()]
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    event_mentions.delete().where(event_mentions.c.mention_id.in_(list(pairs)))
                )
                conn.execute(event_mentions.insert(), rows)
        except OperationalError as exc:
            raise StoreError(f"database {self.db}: cannot write event assignments ({exc})") from exc

    def set_inferred_published(self, dates: dict[str, dt.date]) -> None:
        """Give undated articles the publication date inferred for them (``inferred``)."""
        with self.engine.begin() as conn:
            for article_id, day in dates.items():
                conn.execute(
                    articles.update()
                    .where(articles.c.id == article_id, articles.c.published.is_(None))
                    .values(published=day, published_source="inferred")
                )

    def roots(self) -> dict[str, tuple[str, str | None]]:
        """Article id -> (the original it is a syndicated copy of, or itself; that one's outlet)."""
        query = sa.select(articles.c.id, articles.c.duplicate_of, articles.c.outlet)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        outlet = {r.id: r.outlet for r in rows}
        return {
            r.id: (r.duplicate_of or r.id, outlet.get(r.duplicate_of or r.id, r.outlet))
            for r in rows
        }

    def count_unprocessed(self) -> int:
        query = sa.select(sa.func.count()).where(articles.c.processed_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def signatures(self) -> Iterator[StoredSignature]:
        """MinHash signatures of stored articles that are not themselves copies, in ingest order."""
        query = (
            sa.select(articles.c.id, articles.c.minhash)
            .where(articles.c.minhash.is_not(None), articles.c.duplicate_of.is_(None))
            .order_by(articles.c.ingested_at, articles.c.id)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield StoredSignature(row.id, bytes(row.minhash))


def _mention_row(m: EventMention, seq: int) -> dict[str, Any]:
    return {
        "id": m.id, "article_id": m.article_id, "seq": seq, "type": m.type, "mode": m.mode,
        "acled_event_type": m.acled.event_type if m.acled else None,
        "acled_sub_event_type": m.acled.sub_event_type if m.acled else None,
        "date_start": m.date.start, "date_end": m.date.end, "date_precision": m.date.precision,
        "actors": json.dumps([dataclasses.asdict(a) for a in m.actors]),
        "recipients": json.dumps([dataclasses.asdict(a) for a in m.recipients]),
        "location": json.dumps(dataclasses.asdict(m.location)) if m.location else None,
        "geo_precision": m.geo_precision, "status": m.status, "attributed_to": m.attributed_to,
        "stance": m.stance, "quote": m.quote, "start": m.start, "end": m.end,
        "trigger": m.trigger, "confidence": m.confidence,
    }  # fmt: skip


def _row_mention(r: Any) -> EventMention:
    acled = AcledType(r.acled_event_type, r.acled_sub_event_type) if r.acled_event_type else None
    return EventMention(
        id=r.id, article_id=r.article_id, type=r.type, mode=r.mode, acled=acled,
        date=EventDate(r.date_start, r.date_end, r.date_precision),
        actors=tuple(Actor(**a) for a in json.loads(r.actors)),
        recipients=tuple(Actor(**a) for a in json.loads(r.recipients)),
        location=Place(**json.loads(r.location)) if r.location else None,
        geo_precision=r.geo_precision, status=r.status, attributed_to=r.attributed_to,
        stance=r.stance, quote=r.quote, start=r.start, end=r.end, trigger=r.trigger,
        confidence=r.confidence, outlet=r.outlet, published=r.published,
    )  # fmt: skip


@register("stores", "sqlite")
def open_sqlite(db: str) -> SqlStore:
    return SqlStore(db)


@register("stores", "postgresql")
def open_postgresql(db: str) -> SqlStore:
    return SqlStore(db)


def open_store(db: str, implementation: str | None = None) -> SqlStore:
    """Open the store named by ``db`` (a PostgreSQL URL or a SQLite file path).

    ``implementation`` picks a registered store by name; by default the URL decides.
    """
    from eventatlas import registry

    name = implementation or (
        "postgresql" if db.startswith(("postgresql", "postgres://")) else "sqlite"
    )
    store: SqlStore = registry.get("stores", name)(db)
    return store
