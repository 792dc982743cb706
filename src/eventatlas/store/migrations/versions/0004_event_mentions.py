"""event_mentions: which event each mention belongs to (the only stored fusion state).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_mentions",
        sa.Column(
            "mention_id",
            sa.String(64),
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("event_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_event_mentions_event", "event_mentions", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_event_mentions_event", "event_mentions")
    op.drop_table("event_mentions")
