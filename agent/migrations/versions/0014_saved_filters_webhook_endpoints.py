"""Saved filters (named views of the leads list, shared by the team) and webhook endpoints
added from the dashboard (beside the ones from settings).

``saved_filters.name_key`` is the name in lower case: names are unique ignoring case.
``webhook_endpoints.name`` is the destination name its deliveries carry.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("saved_filters"):  # made by metadata.create_all: adopted
        op.create_table(
            "saved_filters",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("name", sa.String(60), nullable=False),
            sa.Column("name_key", sa.String(60), nullable=False, unique=True),
            sa.Column("query", sa.String(2000), nullable=False),
            sa.Column("created_by", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
    if not inspector.has_table("webhook_endpoints"):
        op.create_table(
            "webhook_endpoints",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("name", sa.String(64), nullable=False, unique=True),
            sa.Column("url", sa.String(2000), nullable=False, unique=True),
            sa.Column("secret", sa.String(128), nullable=False),
            sa.Column("events", sa.JSON(), nullable=False),
            sa.Column("description", sa.String(200), nullable=True),
            sa.Column("created_by", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("webhook_endpoints")
    op.drop_table("saved_filters")
