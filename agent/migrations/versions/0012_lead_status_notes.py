"""Lead status (new, contacted, meeting, won, lost, with a reason), owner and when and by
whom the status last changed, on the conversation row; internal notes in ``lead_notes``,
deleted with their conversation.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = {column["name"] for column in inspector.get_columns("conversations")}
    columns: list[sa.Column[Any]] = [
        sa.Column("lead_status", sa.String(16), nullable=False, server_default="new"),
        sa.Column("status_reason", sa.String(500), nullable=True),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_changed_by", sa.String(64), nullable=True),
    ]
    missing = [column for column in columns if column.name not in present]
    if missing:  # made by metadata.create_all before migrations: adopted
        with op.batch_alter_table("conversations") as batch:
            for column in missing:
                batch.add_column(column)
    if not inspector.has_table("lead_notes"):
        op.create_table(
            "lead_notes",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column(
                "conversation_id",
                sa.String(64),
                sa.ForeignKey("conversations.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("author", sa.String(64), nullable=False),
            sa.Column("text", sa.String(5000), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index(
            "ix_lead_notes_conversation", "lead_notes", ["conversation_id", "created_at"]
        )


def downgrade() -> None:
    op.drop_index("ix_lead_notes_conversation", table_name="lead_notes")
    op.drop_table("lead_notes")
    with op.batch_alter_table("conversations") as batch:
        for column in (
            "status_changed_by",
            "status_changed_at",
            "owner",
            "status_reason",
            "lead_status",
        ):
            batch.drop_column(column)
