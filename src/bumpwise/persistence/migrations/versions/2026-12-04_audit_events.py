"""audit-log lines kept as events, worded in the reader's language

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 22:30:00

``audit_entries.event`` holds a line's kind and values (``domain.audit_events``); the page and
the API word it through the catalog when read. ``action`` keeps the English sentence: the
fallback, and all that rows written before this revision have (they keep showing it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("event", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("event")
