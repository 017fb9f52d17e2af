"""one lead per e-mail on the general page

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:00:00

``uq_leads_email_coach_id`` cannot stop two rows for one e-mail on the general page, where
``coach_id`` is NULL (NULLs are never equal), so a partial unique index does. Duplicates stored
before it are folded into the oldest row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERAL_PAGE = sa.text("coach_id IS NULL")


def upgrade() -> None:
    op.execute(
        "DELETE FROM leads WHERE coach_id IS NULL AND id NOT IN "
        "(SELECT MIN(id) FROM leads WHERE coach_id IS NULL GROUP BY email)"
    )
    op.create_index(
        "uq_leads_email_general_page",
        "leads",
        ["email"],
        unique=True,
        sqlite_where=GENERAL_PAGE,
        postgresql_where=GENERAL_PAGE,
    )


def downgrade() -> None:
    op.drop_index("uq_leads_email_general_page", table_name="leads")
