"""Coach invitations (from an admin) and coach page handles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import CoachInvitation, CoachPage


class RoleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: CoachInvitation | CoachPage) -> None:
        self.session.add(row)
        self.session.flush()

    def invitation_by_hash(self, token_hash: str) -> CoachInvitation | None:
        query = select(CoachInvitation).where(CoachInvitation.token_hash == token_hash)
        return self.session.scalars(query).first()

    def open_invitations(self, now: datetime, limit: int = 200) -> Sequence[CoachInvitation]:
        query = (
            select(CoachInvitation)
            .where(CoachInvitation.used_at.is_(None), CoachInvitation.expires_at > now)
            .order_by(CoachInvitation.created_at.desc(), CoachInvitation.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def invitation(self, invitation_id: int) -> CoachInvitation | None:
        return self.session.get(CoachInvitation, invitation_id)

    def delete_invitation(self, invitation: CoachInvitation) -> None:
        self.session.delete(invitation)
        self.session.flush()

    def page_of(self, coach_id: int) -> CoachPage | None:
        return self.session.get(CoachPage, coach_id)

    def page_by_handle(self, handle: str) -> CoachPage | None:
        return self.session.scalars(select(CoachPage).where(CoachPage.handle == handle)).first()
