"""coach vetting, coach pages, leads owned by a page with an unsubscribe token, imports owned

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 14:50:00
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["users.id"],
            name=op.f("fk_coach_invitations_invited_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_coach_invitations_token_hash")),
    )
    with op.batch_alter_table("coach_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_invitations_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_coach_invitations_invited_by"), ["invited_by"], unique=False)

    op.create_table(
        "coach_pages",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_coach_pages_coach_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("coach_id", name=op.f("pk_coach_pages")),
        sa.UniqueConstraint("handle", name=op.f("uq_coach_pages_handle")),
    )

    _give_existing_coaches_a_page()

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coach_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("unsubscribe_hash", sa.String(length=64), nullable=True))
    _give_existing_leads_an_unknown_token()
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.alter_column("unsubscribe_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint("uq_leads_email", type_="unique")
        batch_op.create_unique_constraint("uq_leads_email_coach_id", ["email", "coach_id"])
        batch_op.create_unique_constraint(batch_op.f("uq_leads_unsubscribe_hash"), ["unsubscribe_hash"])
        batch_op.create_index(batch_op.f("ix_leads_coach_id"), ["coach_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_leads_coach_id_users"), "users", ["coach_id"], ["id"], ondelete="CASCADE"
        )

    with op.batch_alter_table("imported_exercises", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_by", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_imported_exercises_source_source_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_imported_exercises_imported_by_source_source_id", ["imported_by", "source", "source_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_imported_exercises_imported_by_users"),
            "users",
            ["imported_by"],
            ["id"],
            ondelete="CASCADE",
        )


def _give_existing_coaches_a_page() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    ids = connection.execute(sa.text("SELECT id FROM users WHERE role = 'coach'")).scalars().all()
    for coach_id in ids:
        connection.execute(
            sa.text("INSERT INTO coach_pages (coach_id, handle, created_at) VALUES (:i, :h, :t)"),
            {"i": coach_id, "h": f"coach-{coach_id}", "t": now},
        )


def _give_existing_leads_an_unknown_token() -> None:
    """Leads stored before unsubscribe links get a digest of a token nobody knows; the person asks
    for a fresh link on /unsubscribe."""
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM leads")).scalars().all()
    for lead_id in ids:
        token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
        connection.execute(
            sa.text("UPDATE leads SET unsubscribe_hash = :h WHERE id = :i"), {"h": token_hash, "i": lead_id}
        )


def downgrade() -> None:
    # Rows that only the new keys allow (the same source row imported by two coaches, the same
    # e-mail on two pages) would break the old unique constraints: keep the first of each.
    op.execute(
        "DELETE FROM imported_exercises WHERE id NOT IN "
        "(SELECT MIN(id) FROM imported_exercises GROUP BY source, source_id)"
    )
    op.execute("DELETE FROM leads WHERE id NOT IN (SELECT MIN(id) FROM leads GROUP BY email)")
    with op.batch_alter_table("imported_exercises", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_imported_exercises_imported_by_users"), type_="foreignkey")
        batch_op.drop_constraint("uq_imported_exercises_imported_by_source_source_id", type_="unique")
        batch_op.create_unique_constraint("uq_imported_exercises_source_source_id", ["source", "source_id"])
        batch_op.drop_column("imported_by")

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_leads_coach_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_leads_coach_id"))
        batch_op.drop_constraint(batch_op.f("uq_leads_unsubscribe_hash"), type_="unique")
        batch_op.drop_constraint("uq_leads_email_coach_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_leads_email"), ["email"])
        batch_op.drop_column("unsubscribe_hash")
        batch_op.drop_column("coach_id")

    op.drop_table("coach_pages")
    with op.batch_alter_table("coach_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_invitations_invited_by"))
        batch_op.drop_index(batch_op.f("ix_coach_invitations_email"))
    op.drop_table("coach_invitations")
