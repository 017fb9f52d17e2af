"""auth hardening: session idle time, token expiry, keyed sign-in failures, rate limits

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 14:43:49

Failed sign-ins were keyed by a bare hash of the e-mail; they only matter for 15 minutes, so the
old rows are dropped with the table rather than converted. Tokens made before this revision get
the default lifetime (30 days) from the upgrade; sessions count as last seen when they started.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_TOKEN_DAYS = 30


def upgrade() -> None:
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("hit_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hits")),
    )
    op.create_index("ix_rate_limit_hits_key_hit_at", "rate_limit_hits", ["key", "hit_at"])
    _recreate_login_attempts()
    _add_token_expiry()
    _add_session_activity()


def _recreate_login_attempts() -> None:
    op.drop_index("ix_login_attempts_key_attempted_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_attempts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(
        "ix_login_attempts_email_key_attempted_at", "login_attempts", ["email_key", "attempted_at"]
    )
    op.create_index(
        "ix_login_attempts_client_key_attempted_at", "login_attempts", ["client_key", "attempted_at"]
    )
    op.create_index(op.f("ix_login_attempts_user_id"), "login_attempts", ["user_id"])


def _add_token_expiry() -> None:
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    expiry = (datetime.now(UTC) + timedelta(days=EXISTING_TOKEN_DAYS)).replace(tzinfo=None)
    op.execute(sa.text("UPDATE api_tokens SET expires_at = :expiry").bindparams(expiry=expiry))
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)


def _add_session_activity() -> None:
    with op.batch_alter_table("web_sessions") as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=120), nullable=True))
    op.execute("UPDATE web_sessions SET last_seen_at = created_at, user_agent = ''")
    with op.batch_alter_table("web_sessions") as batch_op:
        batch_op.alter_column("last_seen_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("user_agent", existing_type=sa.String(length=120), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch_op:
        batch_op.drop_column("user_agent")
        batch_op.drop_column("last_seen_at")
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("expires_at")
    op.drop_index(op.f("ix_login_attempts_user_id"), table_name="login_attempts")
    op.drop_index("ix_login_attempts_client_key_attempted_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_email_key_attempted_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index("ix_login_attempts_key_attempted_at", "login_attempts", ["key", "attempted_at"])
    op.drop_index("ix_rate_limit_hits_key_hit_at", table_name="rate_limit_hits")
    op.drop_table("rate_limit_hits")
