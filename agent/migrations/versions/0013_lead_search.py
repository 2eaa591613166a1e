"""Lead search: ``conversations.search_text`` holds each lead's email, company and contact
name, lowercased, one a line, so a search of the leads list does not read the JSON state.
Existing leads are filled in from their state.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACTS = ("email", "company_name", "contact_name")


def _text(state: Any) -> str:
    if isinstance(state, str):
        state = json.loads(state)
    profile = (state or {}).get("profile") or {}
    values = [(profile.get(name) or {}).get("value") for name in FACTS]
    return "\n".join(str(value).lower() for value in values if value is not None)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if "ix_conversations_search" not in {i["name"] for i in inspector.get_indexes("conversations")}:
        _add_column(bind, inspector)
        op.create_index("ix_conversations_search", "conversations", ["search_text", "id"])


def _add_column(bind: Any, inspector: Any) -> None:
    present = {column["name"] for column in inspector.get_columns("conversations")}
    if "search_text" in present:
        return
    op.add_column(
        "conversations",
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
    )
    table = sa.table(
        "conversations",
        sa.column("id", sa.String()),
        sa.column("state", sa.JSON()),
        sa.column("search_text", sa.Text()),
    )
    rows = bind.execute(sa.select(table.c.id, table.c.state)).all()
    update = (
        table.update()
        .where(table.c.id == sa.bindparam("b_id"))
        .values(search_text=sa.bindparam("b_text"))
    )
    for start in range(0, len(rows), 1000):
        chunk = [{"b_id": row.id, "b_text": _text(row.state)} for row in rows[start : start + 1000]]
        if chunk:
            bind.execute(update, chunk)


def downgrade() -> None:
    op.drop_index("ix_conversations_search", table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("search_text")
