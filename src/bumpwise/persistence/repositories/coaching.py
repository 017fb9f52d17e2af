"""Coach grants, invites, swaps and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import AuditEntry, CoachBranding, CoachGrant, CoachInvite, CoachSwap, User

SWAPS_OF = select(CoachSwap).where(CoachSwap.member_id == bindparam("member_id")).order_by(CoachSwap.id)


class CoachingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: CoachGrant | CoachInvite | CoachSwap | AuditEntry | CoachBranding) -> None:
        self.session.add(row)
        self.session.flush()

    def record_reads(
        self,
        member_ids: Sequence[int],
        *,
        actor_id: int,
        actor_name: str,
        action: str,
        event: dict[str, Any],
        at: datetime,
    ) -> None:
        """One audit entry per member whose data ``actor`` saw or changed, in one executemany
        (the ORM sends one INSERT per row to fetch each id). ``event``: the line as a kind and its
        values; ``action``: its English sentence."""
        if not member_ids:
            return
        values = [
            {
                "member_id": m,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "event": event,
                "at": at,
            }
            for m in member_ids
        ]
        self.session.execute(insert(AuditEntry), values)

    def grant(self, member_id: int, coach_id: int) -> CoachGrant | None:
        query = select(CoachGrant).where(CoachGrant.member_id == member_id, CoachGrant.coach_id == coach_id)
        return self.session.scalars(query).first()

    def branding(self, coach_id: int) -> CoachBranding | None:
        return self.session.get(CoachBranding, coach_id)

    def coaches_of(self, member_id: int) -> Sequence[tuple[CoachGrant, User]]:
        query = (
            select(CoachGrant, User)
            .join(User, User.id == CoachGrant.coach_id)
            .where(CoachGrant.member_id == member_id)
            .order_by(CoachGrant.granted_at)
        )
        return [(row[0], row[1]) for row in self.session.execute(query)]

    def clients_of(self, coach_id: int, *, limit: int, offset: int) -> Sequence[User]:
        query = (
            select(User)
            .join(CoachGrant, CoachGrant.member_id == User.id)
            .where(CoachGrant.coach_id == coach_id)
            .order_by(User.display_name, User.id)
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(query).all()

    def client_count(self, coach_id: int) -> int:
        query = select(func.count()).select_from(CoachGrant).where(CoachGrant.coach_id == coach_id)
        return int(self.session.scalar(query) or 0)

    def delete_grant(self, grant: CoachGrant) -> None:
        self.session.delete(grant)
        self.session.flush()

    def invite_by_code(self, code: str) -> CoachInvite | None:
        return self.session.scalars(select(CoachInvite).where(CoachInvite.code == code)).first()

    def invites_of(self, coach_id: int, now: datetime) -> Sequence[CoachInvite]:
        query = (
            select(CoachInvite)
            .where(CoachInvite.coach_id == coach_id, CoachInvite.expires_at > now)
            .order_by(CoachInvite.created_at.desc())
        )
        return self.session.scalars(query).all()

    def swaps_of(self, member_id: int) -> Sequence[CoachSwap]:
        return self.session.scalars(SWAPS_OF, {"member_id": member_id}).all()

    def swaps_of_many(self, member_ids: Sequence[int]) -> dict[int, list[CoachSwap]]:
        found: dict[int, list[CoachSwap]] = {member_id: [] for member_id in member_ids}
        query = select(CoachSwap).where(CoachSwap.member_id.in_(member_ids)).order_by(CoachSwap.id)
        for swap in self.session.scalars(query):
            found[swap.member_id].append(swap)
        return found

    def swap(self, swap_id: int) -> CoachSwap | None:
        return self.session.get(CoachSwap, swap_id)

    def delete_swap(self, swap: CoachSwap) -> None:
        self.session.delete(swap)
        self.session.flush()

    def audit_of(self, member_id: int, limit: int = 200) -> Sequence[AuditEntry]:
        query = (
            select(AuditEntry)
            .where(AuditEntry.member_id == member_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def delete_all_of_member(self, member_id: int) -> None:
        for model in (CoachSwap, AuditEntry, CoachGrant):
            self.session.execute(delete(model).where(model.member_id == member_id))
