"""The Slack card kept current: what it last showed, and the prospect's presence.

``handoffs.revision`` counts changes to the handoff itself (claim, release, not a fit,
reassignment); ``card_version`` and ``card_revision`` are the conversation version and
handoff revision the card last showed, ``relayed_pk`` the last prospect message posted to
its thread, ``card_synced_at`` when (updates are spaced by at least a few seconds) and
``card_lease_until`` keeps two workers from updating one card at once.
``conversations.last_seen_at`` is the widget's last heartbeat.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = ("revision", "card_version", "card_revision", "relayed_pk")
TIMES = ("card_synced_at", "card_lease_until")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = {column["name"] for column in inspector.get_columns("handoffs")}
    with op.batch_alter_table("handoffs") as batch:
        for name in COUNTERS:
            if name not in present:
                batch.add_column(
                    sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
                )
        for name in TIMES:
            if name not in present:
                batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    seen = {column["name"] for column in inspector.get_columns("conversations")}
    if "last_seen_at" not in seen:
        with op.batch_alter_table("conversations") as batch:
            batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("handoffs") as batch:
        for name in (*COUNTERS, *TIMES):
            batch.drop_column(name)
