"""Remembered answers to writes sent with an ``Idempotency-Key`` (``services.idempotency``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class IdempotentRequest(Base):
    """One key of one caller, written in the same transaction as the write it guards.

    The key itself is not stored, only its keyed digest; the answer is sealed with a key derived
    from the raw key, so the table alone reveals neither (an answer may carry a new token)."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (
        UniqueConstraint("scope", "key_digest", name="uq_idempotent_requests_scope_key_digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(120))
    key_digest: Mapped[str] = mapped_column(String(64))
    request_digest: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[int]
    answer: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
