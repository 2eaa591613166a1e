"""Claims, live takeover and rep feedback on handoffs; Slack event ids seen (dedupe).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = ("takeover", "feedback", "feedback_by", "feedback_at")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = {column["name"] for column in inspector.get_columns("handoffs")}
    if "takeover" not in existing:
        with op.batch_alter_table("handoffs") as batch:
            batch.add_column(
                sa.Column("takeover", sa.Boolean(), nullable=False, server_default=sa.false())
            )
            batch.add_column(sa.Column("feedback", sa.Text(), nullable=True))
            batch.add_column(sa.Column("feedback_by", sa.String(64), nullable=True))
            batch.add_column(sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True))
    if not inspector.has_table("slack_events"):
        op.create_table(
            "slack_events",
            sa.Column("event_id", sa.String(64), primary_key=True),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("slack_events")
    with op.batch_alter_table("handoffs") as batch:
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
