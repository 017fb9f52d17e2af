"""what the coach's roster reads of a stored plan

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 00:10:00

The roster showed each client's adherence and alerts by parsing their whole stored plan (tens of
kB) for two things: the clearance (already a column) and this week's training days. Those days
are now stored beside the plan, with the fingerprint they were taken from. Rows stored before
this revision have none: the roster parses their plan once and fills it in, and
``bumpwise db refresh-plans`` (run after each upgrade) fills in every one, so no backfill runs
here (it would unpack and parse every stored plan inside the migration).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stored_plans") as batch:
        batch.add_column(sa.Column("roster_summary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stored_plans") as batch:
        batch.drop_column("roster_summary")
