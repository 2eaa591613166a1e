"""Indexes for the leads list with many leads: each sort and segment filter reads an index
that holds the conversation id, so telling a started chat (one with a prospect message)
never reads the row with its JSON state.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_conversations_list_updated": ("conversations", ["updated_at", "id"]),
    "ix_conversations_list_created": ("conversations", ["created_at", "id"]),
    "ix_conversations_list_score": ("conversations", ["score", "id"]),
    "ix_conversations_list_segment_updated": ("conversations", ["segment", "updated_at", "id"]),
    "ix_conversations_list_segment_score": ("conversations", ["segment", "score", "id"]),
    "ix_messages_conversation_role": ("messages", ["conversation_id", "role"]),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, (table, columns) in INDEXES.items():
        present = {index["name"] for index in inspector.get_indexes(table)}
        if name not in present:  # made by metadata.create_all before migrations: adopted
            op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
