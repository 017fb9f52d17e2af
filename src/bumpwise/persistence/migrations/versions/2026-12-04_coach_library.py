"""a coach's library: per-attribute confirmations of imported exercises

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 21:15:00

Each imported exercise keeps, attribute by attribute, the value its coach confirmed (and who and
when), and a version that grows with every change, so a client's plan is rebuilt when the coach's
library changes. Rows confirmed before keep their values and are read as confirmed for the five
attributes the old form asked about.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("imported_exercises") as batch:
        batch.add_column(sa.Column("confirmations", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("imported_exercises") as batch:
        batch.drop_column("version")
        batch.drop_column("confirmations")
