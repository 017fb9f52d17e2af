"""Data that belongs to no member: free-workout leads and imported exercises awaiting review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class Lead(Base):
    """An e-mail left on the free workout page, with the exact consent text and when it was given."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(40))


class ImportedExercise(Base):
    """One row of the importer's output (design.md §6); a coach confirms its safety attributes."""

    __tablename__ = "imported_exercises"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_imported_exercises_source_source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]]
    review_needed: Mapped[bool]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    imported_at: Mapped[datetime]
