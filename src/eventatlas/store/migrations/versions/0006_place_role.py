"""places.role: whether a toponym names the place itself, a government's or organisation's seat,
or where an entity is based ("location", "seat", "descriptor").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("places") as batch:
        batch.add_column(
            sa.Column("role", sa.String(12), nullable=False, server_default="location")
        )


def downgrade() -> None:
    with op.batch_alter_table("places") as batch:
        batch.drop_column("role")
