"""places: toponyms found in each article's text, resolved against the gazetteer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
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
    )
    op.create_index("ix_places_geonameid", "places", ["geonameid"])


def downgrade() -> None:
    op.drop_index("ix_places_geonameid", "places")
    op.drop_table("places")
