"""Leads de-duplicated by email: ``contacts`` holds one row per normalised email (trimmed,
lowercased) and ``conversations.contact_id`` links a conversation to it. A contact's id is
the id of the conversation that first gave the email, so a lead keeps the id it had;
``contacts.current_id`` is the conversation that stands for the lead in lists (the one the
prospect wrote in last).

Existing conversations that share an email are linked here: the earliest conversation's
lead survives (its id is the contact's) and the newest one stands for the lead.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def email_key(state: Any) -> str | None:
    """The normalised email in a stored conversation state, or None."""
    if isinstance(state, str):
        state = json.loads(state)
    fact = ((state or {}).get("profile") or {}).get("email") or {}
    value = fact.get("value")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def _with_lead(state: Any, lead_id: str) -> dict[str, Any]:
    """The stored state with the lead it belongs to (``lead_id``, as the store writes it)."""
    if isinstance(state, str):
        state = json.loads(state)
    return {**state, "lead_id": lead_id}


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if not inspector.has_table("contacts"):
        op.create_table(
            "contacts",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("email", sa.String(320), nullable=False),
            sa.Column("current_id", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("email", name="uq_contacts_email"),
        )
        op.create_index("ix_contacts_current", "contacts", ["current_id"])
    present = {column["name"] for column in inspector.get_columns("conversations")}
    if "contact_id" not in present:
        with op.batch_alter_table("conversations") as batch:
            batch.add_column(sa.Column("contact_id", sa.String(64), nullable=True))
        op.create_index("ix_conversations_contact", "conversations", ["contact_id", "created_at"])
        _link_existing(bind)


def _link_existing(bind: Any) -> None:
    """One contact per email among existing conversations, oldest conversation first."""
    table = sa.table(
        "conversations",
        sa.column("id", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("state", sa.JSON()),
        sa.column("contact_id", sa.String()),
    )
    contacts = sa.table(
        "contacts",
        sa.column("id", sa.String()),
        sa.column("email", sa.String()),
        sa.column("current_id", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(table.c.id, table.c.created_at, table.c.state).order_by(
            table.c.created_at, table.c.id
        )
    ).all()
    groups: dict[str, list[Any]] = {}
    for row in rows:
        key = email_key(row.state)
        if key is not None:
            groups.setdefault(key, []).append(row)
    if not groups:
        return
    bind.execute(
        sa.insert(contacts),
        [
            {
                "id": members[0].id,
                "email": key,
                "current_id": members[-1].id,
                "created_at": members[0].created_at,
            }
            for key, members in groups.items()
        ],
    )
    link = (
        table.update()
        .where(table.c.id == sa.bindparam("b_id"))
        .values(contact_id=sa.bindparam("b_contact"), state=sa.bindparam("b_state"))
    )
    pairs = [
        {
            "b_id": row.id,
            "b_contact": members[0].id,
            "b_state": _with_lead(row.state, members[0].id),
        }
        for members in groups.values()
        for row in members
    ]
    for start in range(0, len(pairs), 1000):
        bind.execute(link, pairs[start : start + 1000])


def downgrade() -> None:
    op.drop_index("ix_conversations_contact", table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("contact_id")
    op.drop_index("ix_contacts_current", table_name="contacts")
    op.drop_table("contacts")
