"""articles.cleaning: how an article's text was cleaned ("page", "body" or "kept").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("cleaning", sa.String(8), nullable=False, server_default="page"))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("cleaning")
