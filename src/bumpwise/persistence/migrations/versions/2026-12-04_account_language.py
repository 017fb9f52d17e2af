"""account language: the language an account's owner chose to read bumpwise in (issue 19)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:00:00

NULL means no choice: pages follow the browser's Accept-Language, then English. Existing accounts
start without a choice. (Rechained after 0013 when merged beside the branch that adds it.)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
