"""Data that belongs to no member: free-workout leads and imported exercises awaiting review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class Lead(Base):
    """An e-mail left on a free workout page, with the exact consent text and when it was given.

    ``coach_id`` is the coach whose page it came through (None: the general page, the operator's);
    only the digest of the lead's unsubscribe token is stored.
    """

    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("email", "coach_id", name="uq_leads_email_coach_id"),
        # NULLs are never equal, so the general page (no coach) needs an index of its own.
        Index(
            "uq_leads_email_general_page",
            "email",
            unique=True,
            sqlite_where=text("coach_id IS NULL"),
            postgresql_where=text("coach_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unsubscribe_hash: Mapped[str] = mapped_column(String(64), unique=True)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(40))
    # Double opt-in: a lead is unconfirmed (and shown to no one) until the link in the
    # confirmation e-mail is used; the answers wait here only to print the workout it asked for.
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirm_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    pending_answers: Mapped[str | None] = mapped_column(Text, default=None)


class CoachArticle(Base):
    """An article a coach wrote (Markdown, rendered through the same safe renderer), shown on
    their public page once published. Deleted with the coach."""

    __tablename__ = "coach_articles"
    __table_args__ = (UniqueConstraint("coach_id", "slug", name="uq_coach_articles_coach_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    tags: Mapped[str] = mapped_column(String(300))
    stages: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None] = mapped_column(default=None)


class ImportedExercise(Base):
    """One row of the importer's output (design.md §6), owned by the account that imported it
    (None: stored before imports had owners; only an admin's listing shows those)."""

    __tablename__ = "imported_exercises"
    __table_args__ = (
        UniqueConstraint(
            "imported_by", "source", "source_id", name="uq_imported_exercises_imported_by_source_source_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]]
    review_needed: Mapped[bool]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    imported_at: Mapped[datetime]
    confirmations: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    """attribute → {"value", "by", "at"}: what the coach confirmed, attribute by attribute."""
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    """Grows with every change the coach makes; a client's plan fingerprint includes it."""


class ArticleShare(Base):
    """An article a coach shared with a client (a bumpwise article or one of the coach's own),
    shown on the client's Today page while the coach holds the client's grant."""

    __tablename__ = "article_shares"
    __table_args__ = (
        UniqueConstraint("coach_id", "member_id", "path", name="uq_article_shares_coach_id_member_id_path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(120))
    shared_at: Mapped[datetime]
