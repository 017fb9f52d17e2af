"""Reminder settings and the markers of mail already sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bumpwise.persistence.models import MailSent, ReminderSettings


class ReminderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def settings(self, user_id: int) -> ReminderSettings | None:
        return self.session.get(ReminderSettings, user_id)

    def add(self, row: ReminderSettings | MailSent) -> None:
        self.session.add(row)
        self.session.flush()

    def claim_mail(self, user_id: int, kind: str, period: date, at: datetime) -> bool:
        """Mark this mail as sent unless a marker exists already; True when this call made it
        (one INSERT ... ON CONFLICT DO NOTHING, so two runs at once never both send)."""
        postgres = self.session.get_bind().dialect.name == "postgresql"
        insert = postgresql.insert if postgres else sqlite.insert
        statement = insert(MailSent).values(user_id=user_id, kind=kind, period=period, sent_at=at)
        result = self.session.execute(statement.on_conflict_do_nothing())
        return bool(getattr(result, "rowcount", 0))

    def mail_wanted(self) -> Sequence[ReminderSettings]:
        """Every member who asked for a reminder or a summary by e-mail."""
        query = select(ReminderSettings).where(
            ReminderSettings.email_reminders.is_(True) | ReminderSettings.weekly_summary.is_(True)
        )
        return self.session.scalars(query.order_by(ReminderSettings.user_id)).all()

    def sent_to(self, user_id: int) -> Sequence[MailSent]:
        query = select(MailSent).where(MailSent.user_id == user_id).order_by(MailSent.id)
        return self.session.scalars(query).all()

    def sent(self, user_id: int, kind: str, period: date) -> bool:
        query = select(MailSent.id).where(
            MailSent.user_id == user_id, MailSent.kind == kind, MailSent.period == period
        )
        return self.session.scalar(query) is not None

    def forget(self, user_id: int, kind: str, period: date) -> None:
        """Remove a sent-marker (the message could not be sent after all)."""
        self.session.execute(
            delete(MailSent).where(
                MailSent.user_id == user_id, MailSent.kind == kind, MailSent.period == period
            )
        )
