"""view version: a per-account counter bumped with every write that can change what the account's
owner sees (issue 18)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 00:00:00

The member's hot pages (today, week) keep their rendered bodies per process, keyed by this
counter (persistence/view_versions.py bumps it in the transaction of each write). Existing
accounts start at 0 (no process has kept a page yet when this runs); new ones at random, so an id
used again after a deletion never meets the pages kept for the deleted account.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("view_version", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("view_version")
