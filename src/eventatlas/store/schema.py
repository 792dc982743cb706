"""Table definitions (SQLAlchemy Core). Migrations in ``migrations/versions`` create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("published_source", sa.String(16)),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("cleaning", sa.String(8), nullable=False, server_default="page"),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("duplicate_of", sa.String(64), sa.ForeignKey("articles.id"), index=True),
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("processed_at", sa.DateTime(timezone=True)),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2)),
    sa.Column("feature", sa.String(16)),
    sa.Column("role", sa.String(12), nullable=False, server_default="location"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("mode", sa.String(32)),
    sa.Column("acled_event_type", sa.String(64)),
    sa.Column("acled_sub_event_type", sa.String(64)),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("date_precision", sa.String(8), nullable=False),
    sa.Column("actors", sa.Text, nullable=False),  # JSON array of actor records
    sa.Column("recipients", sa.Text, nullable=False),
    sa.Column("location", sa.Text),  # JSON place record
    sa.Column("geo_precision", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attributed_to", sa.Text),
    sa.Column("stance", sa.String(8), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("trigger", sa.Text, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
)

event_mentions = sa.Table(
    "event_mentions",
    metadata,
    sa.Column(
        "mention_id",
        sa.String(64),
        sa.ForeignKey("mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("event_id", sa.String(64), nullable=False),
)
