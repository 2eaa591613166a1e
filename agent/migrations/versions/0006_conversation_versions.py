"""One writer per conversation across processes: a version for compare-and-set writes and
the turn lease (who is answering the prospect now, and until when); and the row
``/readyz`` writes to show the database takes writes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("readiness"):
        op.create_table(
            "readiness",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        )
    existing = {c["name"] for c in inspector.get_columns("conversations")}
    if "version" in existing:
        return  # made by metadata.create_all before migrations: adopted as it is
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("turn_owner", sa.String(64), nullable=True))
        batch.add_column(sa.Column("turn_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_table("readiness")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("turn_until")
        batch.drop_column("turn_owner")
        batch.drop_column("version")
