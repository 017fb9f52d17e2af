"""Reminders: when and where a member wants to be reminded, and which mail has gone out.

A ``MailSent`` row is written in the same transaction that decides to send, keyed by member,
kind and period (a day for a reminder, the Monday of a week for a summary): a second run of the
mail command on the same day finds the marker and sends nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base


class ReminderSettings(Base):
    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    session_time: Mapped[time]
    alarm_minutes_before: Mapped[int | None]
    """How long before each session the calendar alarm rings; None: no alarm."""
    email_reminders: Mapped[bool]
    weekly_summary: Mapped[bool]
    updated_at: Mapped[datetime]


class MailSent(Base):
    __tablename__ = "mail_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "period", name="uq_mail_sent_user_id_kind_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[date]
    sent_at: Mapped[datetime]
