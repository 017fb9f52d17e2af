"""player and reminders: sets done and last edit on session logs, reminder settings, mail sent

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:00:00

Logs written before this revision have no set count and were never edited (both NULL).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.add_column(sa.Column("sets_done", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.create_table(
        "reminder_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("session_time", sa.Time(), nullable=False),
        sa.Column("alarm_minutes_before", sa.Integer(), nullable=True),
        sa.Column("email_reminders", sa.Boolean(), nullable=False),
        sa.Column("weekly_summary", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_settings")),
    )
    op.create_table(
        "mail_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_sent_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_sent")),
        sa.UniqueConstraint("user_id", "kind", "period", name="uq_mail_sent_user_id_kind_period"),
    )


def downgrade() -> None:
    op.drop_table("mail_sent")
    op.drop_table("reminder_settings")
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("sets_done")
