"""Coaching: grants (the member's consent), invites, swaps and the audit log of coach reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class CoachGrant(Base):
    __tablename__ = "coach_grants"
    __table_args__ = (UniqueConstraint("member_id", "coach_id", name="uq_coach_grants_member_id_coach_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[datetime]


class CoachBranding(Base):
    """What a coach's clients see on their printed documents: an accent colour and a logo."""

    __tablename__ = "coach_branding"

    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    accent: Mapped[str] = mapped_column(String(7))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime]


class CoachInvite(Base):
    """A code (or the link that carries it) a member uses to grant this coach access."""

    __tablename__ = "coach_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class CoachSwap(Base):
    """A coach's swap of one exercise for another in a client's plan; checked by the rules."""

    __tablename__ = "coach_swaps"
    __table_args__ = (
        UniqueConstraint("member_id", "from_exercise", name="uq_coach_swaps_member_id_from_exercise"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    from_exercise: Mapped[str] = mapped_column(String(80))
    to_exercise: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """One coach read of (or change to) a client's health data; the client can see every entry."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_member_id_at", "member_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(200))
    """The English sentence: the fallback, and all a row written before ``event`` has."""
    event: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The line as a kind and its values (``domain.audit_events``), worded when read."""
    at: Mapped[datetime]
