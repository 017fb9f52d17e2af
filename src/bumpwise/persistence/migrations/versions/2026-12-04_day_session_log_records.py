"""what was lifted: sets, reps and weight per exercise in a session log

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 18:15:00

A log keeps, per exercise done, the sets, reps and weight the member recorded (all optional);
logs stored before have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.add_column(sa.Column("records", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_column("records")
