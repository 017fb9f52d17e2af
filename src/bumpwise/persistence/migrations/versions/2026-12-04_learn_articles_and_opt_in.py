"""learn: double opt-in for leads, coach articles, articles shared with clients

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Leads stored before double opt-in were kept under the old single opt-in: they count as
    # confirmed at the time they consented, so no coach loses a lead they already had.
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirm_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("pending_answers", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_leads_confirm_hash"), ["confirm_hash"])
    op.execute("UPDATE leads SET confirmed_at = consented_at")
    op.create_table(
        "coach_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("tags", sa.String(length=300), nullable=False),
        sa.Column("stages", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_coach_articles_coach_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_articles")),
        sa.UniqueConstraint("coach_id", "slug", name="uq_coach_articles_coach_id_slug"),
    )
    with op.batch_alter_table("coach_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_articles_coach_id"), ["coach_id"], unique=False)
    op.create_table(
        "article_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_article_shares_coach_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_article_shares_member_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_shares")),
        sa.UniqueConstraint(
            "coach_id", "member_id", "path", name="uq_article_shares_coach_id_member_id_path"
        ),
    )
    with op.batch_alter_table("article_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_shares_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_shares_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_shares_member_id"))
        batch_op.drop_index(batch_op.f("ix_article_shares_coach_id"))
    op.drop_table("article_shares")
    with op.batch_alter_table("coach_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_articles_coach_id"))
    op.drop_table("coach_articles")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_leads_confirm_hash"), type_="unique")
        batch_op.drop_column("pending_answers")
        batch_op.drop_column("confirm_hash")
        batch_op.drop_column("confirmed_at")
