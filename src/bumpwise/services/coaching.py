"""The member's side of coaching: invites, granting and revoking a coach, and the audit log.

A coach sees a member's health data only while the member's grant exists; the grant is made
by the member (with the coach's invite code or link) and revoked by the member at any time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from bumpwise.adapters.security import short_code
from bumpwise.domain import audit_events
from bumpwise.domain.audit_events import AuditEvent
from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.persistence.models import CoachGrant, CoachInvite
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import NotFound
from bumpwise.services.ports import PlanUnitOfWork
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import view_of

INVITE_DAYS = 30


class InviteView(BaseModel):
    code: str
    link: str
    created_at: datetime
    expires_at: datetime


class CoachView(BaseModel):
    id: int
    display_name: str
    granted_at: datetime | None


class AuditView(BaseModel):
    at: datetime
    actor: str
    action: str


def invite_view(invite: CoachInvite) -> InviteView:
    return view_of(InviteView, invite, link=f"/invite/{invite.code}")


@unique_race_retried
def create_invite(uow: UnitOfWork, principal: Principal, now: datetime) -> InviteView:
    require_role(principal, Role.COACH)
    invite = CoachInvite(
        coach_id=principal.user_id,
        code=short_code(),
        created_at=now,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    with uow:
        uow.coaching.add(invite)
        uow.commit()
        return invite_view(invite)


def list_invites(uow: UnitOfWork, principal: Principal, now: datetime) -> list[InviteView]:
    require_role(principal, Role.COACH)
    with uow:
        return [invite_view(i) for i in uow.coaching.invites_of(principal.user_id, now)]


def _valid_invite(uow: UnitOfWork, code: str, now: datetime) -> CoachInvite:
    invite = uow.coaching.invite_by_code(code.strip().upper())
    if invite is None or invite.expires_at <= now:
        raise InputError(
            "code", N_("this invite code is unknown or has expired: ask your coach for a new one")
        )
    return invite


def invite_coach(uow: UnitOfWork, code: str, now: datetime) -> CoachView:
    """Who an invite is from, so the member can see whom they would grant access to."""
    with uow:
        invite = _valid_invite(uow, code, now)
        coach = uow.accounts.user(invite.coach_id)
        assert coach is not None
        return CoachView(id=coach.id, display_name=coach.display_name, granted_at=None)


@unique_race_retried
def accept_invite(uow: UnitOfWork, principal: Principal, code: str, now: datetime) -> CoachView:
    """The member grants the inviting coach access to their health data."""
    require_role(principal, Role.MEMBER)
    with uow:
        invite = _valid_invite(uow, code, now)
        coach = uow.accounts.user(invite.coach_id)
        assert coach is not None
        grant = uow.coaching.grant(principal.user_id, coach.id)
        if grant is None:
            grant = CoachGrant(member_id=principal.user_id, coach_id=coach.id, granted_at=now)
            uow.coaching.add(grant)
            uow.commit()
        return CoachView(id=coach.id, display_name=coach.display_name, granted_at=grant.granted_at)


def my_coaches(uow: UnitOfWork, principal: Principal) -> list[CoachView]:
    require_role(principal, Role.MEMBER)
    with uow:
        return [
            CoachView(id=coach.id, display_name=coach.display_name, granted_at=grant.granted_at)
            for grant, coach in uow.coaching.coaches_of(principal.user_id)
        ]


def revoke_coach(uow: UnitOfWork, principal: Principal, coach_id: int) -> None:
    require_role(principal, Role.MEMBER)
    with uow:
        grant = uow.coaching.grant(principal.user_id, coach_id)
        if grant is None:
            raise NotFound(N_("this coach has no access to revoke"), "coach_id")
        uow.coaching.delete_grant(grant)
        uow.commit()


def record_reads(
    uow: PlanUnitOfWork, actor: Principal, member_ids: list[int], event: AuditEvent, now: datetime
) -> None:
    """Inside an open unit of work: one audit entry per member whose data the coach saw (the
    event kept, and its English sentence)."""
    uow.coaching.record_reads(
        member_ids,
        actor_id=actor.user_id,
        actor_name=actor.display_name,
        action=event.english()[:200],
        event=event.stored(),
        at=now,
    )


def audit_text(action: str, event: dict[str, Any] | None, kb: KnowledgeBase | None) -> str:
    """A line in the language in force; a row from before events were kept shows its English."""
    found = audit_events.from_stored(event)
    return action if found is None else found.worded(kb)


def my_audit(uow: PlanUnitOfWork, principal: Principal) -> list[AuditView]:
    """The member's log, each line in the language in force (exercise names from its knowledge)."""
    require_role(principal, Role.MEMBER)
    kb = default_knowledge()
    with uow:
        return [
            AuditView(at=e.at, actor=e.actor_name, action=audit_text(e.action, e.event, kb))
            for e in uow.coaching.audit_of(principal.user_id)
        ]
