"""Accounts: users, browser sessions, personal access tokens, calendar feeds, password resets,
login attempts.

Secrets (session ids, API tokens, calendar tokens, reset tokens) are stored only as SHA-256 digests.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base

ROLES = ("member", "coach", "admin")


def first_view_version() -> int:
    return secrets.randbits(52)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the owner last proved they read this address's mail; None until then."""
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    """The language the owner chose to read bumpwise in; None: the browser's (issue 19)."""
    view_version: Mapped[int] = mapped_column(BigInteger, default=first_view_version, server_default="0")
    """Bumped in the transaction of every write that can change what the owner sees
    (persistence/view_versions.py): the key of the rendered pages kept per process. Starts at
    random, so an id used again after an account was deleted never meets its pages."""


class WebSession(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    user_agent: Mapped[str] = mapped_column(String(120), default="")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]


class CalendarFeed(Base):
    """A member's private calendar subscription: one secret token per member, stored as a digest."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class PasswordReset(Base):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """A failed sign-in, kept for the limit window; shared by every app process.

    The e-mail and the client address are stored only as HMACs under the server secret; a row
    for an existing account names it, so the row goes when the account does.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_key_attempted_at", "email_key", "attempted_at"),
        Index("ix_login_attempts_client_key_attempted_at", "client_key", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime]


class RateLimitHit(Base):
    """One counted request (a sign-up, a reset request, a free-workout PDF) for a rate limit;
    the key is an action and an HMAC of who asked, never the address or e-mail itself."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_key_hit_at", "key", "hit_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    hit_at: Mapped[datetime]
