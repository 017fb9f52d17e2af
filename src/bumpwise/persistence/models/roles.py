"""How a person becomes a coach: an admin's invitation, and the coach's public page handle.

A ``CoachInvitation`` (admin to future coach) is not a ``CoachInvite`` (coach to client): the
first grants a role, the second lets a member share their data with a coach.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class CoachInvitation(Base):
    """Single use, expiring, for one e-mail address; only the token's digest is stored."""

    __tablename__ = "coach_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class CoachPage(Base):
    """A coach's stable public handle: their free-workout link is ``/c/{handle}/free-workout``."""

    __tablename__ = "coach_pages"

    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime]
