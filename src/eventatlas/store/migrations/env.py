"""Alembic environment: runs migrations on the connection eventatlas hands over."""

from __future__ import annotations

from alembic import context

from eventatlas.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "eventatlas migrations run only through eventatlas.store (no connection given)"
    )
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
