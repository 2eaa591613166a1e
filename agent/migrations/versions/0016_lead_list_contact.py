"""The leads list's indexes also hold ``contact_id``: telling whether a conversation stands
for its lead (it has no contact, or it is its contact's current one) then reads the index
alone, never the row with its JSON state, as before leads were de-duplicated.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = {
    "ix_conversations_list_updated": ["updated_at", "id"],
    "ix_conversations_list_created": ["created_at", "id"],
    "ix_conversations_list_score": ["score", "id"],
    "ix_conversations_list_segment_updated": ["segment", "updated_at", "id"],
    "ix_conversations_list_segment_score": ["segment", "score", "id"],
    "ix_conversations_search": ["search_text", "id"],
}


def _recreate(columns_of: dict[str, list[str]]) -> None:
    inspector = sa.inspect(op.get_bind())
    present = {
        index["name"]: index["column_names"] for index in inspector.get_indexes("conversations")
    }
    for name, columns in columns_of.items():
        if present.get(name) == columns:
            continue
        if name in present:
            op.drop_index(name, table_name="conversations")
        op.create_index(name, "conversations", columns, unique=False)


def upgrade() -> None:
    _recreate({name: [*columns, "contact_id"] for name, columns in BEFORE.items()})


def downgrade() -> None:
    _recreate(BEFORE)
