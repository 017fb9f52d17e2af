"""How a person becomes a coach: only through an admin.

An admin invites an e-mail address; the link (single use, expiring, stored only as a digest) is
sent by e-mail and shown once to the admin. The person accepts it by signing up with that address
or, with an account already, by signing in as it. Every coach gets a stable public handle for
their own free-workout page. ``admin.set_role`` remains the admin's direct way to change a role.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from pydantic import BaseModel

from bumpwise.adapters.mail import Deliver
from bumpwise.adapters.security import digest, new_token, short_code
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.persistence.models import CoachInvitation, CoachPage, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import (
    AccountRules,
    UserView,
    add_new_user,
    clean_email,
    new_user,
    principal_of,
    user_view,
)
from bumpwise.services.errors import NotFound
from bumpwise.services.principal import Principal, Role, require_role

INVITATION_DAYS = 7
INVITATION_PATH = "/coach-invitation/{token}"
HANDLE_LENGTH = 30
NOT_A_HANDLE = re.compile(r"[^a-z0-9]+")


class InvitationView(BaseModel):
    id: int
    email: str
    created_at: datetime
    expires_at: datetime


class NewInvitation(BaseModel):
    """The link is shown once, here; only its digest is stored."""

    link: str
    mailed: bool
    details: InvitationView


def invitation_view(row: CoachInvitation) -> InvitationView:
    return InvitationView(id=row.id, email=row.email, created_at=row.created_at, expires_at=row.expires_at)


def invite_coach(
    uow: UnitOfWork, principal: Principal, *, email: str, base_url: str, deliver: Deliver, now: datetime
) -> NewInvitation:
    require_role(principal, Role.ADMIN)
    address = clean_email(email)
    token = new_token()
    with uow:
        _check_can_become_coach(uow.accounts.user_by_email(address))
        row = CoachInvitation(
            email=address,
            token_hash=digest(token),
            invited_by=principal.user_id,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
            used_at=None,
        )
        uow.roles.add(row)
        uow.commit()
        details = invitation_view(row)
    link = base_url.rstrip("/") + INVITATION_PATH.format(token=token)
    return NewInvitation(link=link, mailed=_mail_invitation(deliver, address, link), details=details)


def _mail_invitation(deliver: Deliver, address: str, link: str) -> bool:
    """False when the mail server refused it: the admin still has the link to pass on."""
    body = _(
        "You are invited to coach on bumpwise.\n\nOpen this link within %(days)s days to "
        "accept, by signing up or signing in with this e-mail address:\n%(link)s\n\n"
        "It works once. If you did not expect it, ignore this message.",
        days=INVITATION_DAYS,
        link=link,
    )
    try:
        deliver(address, _("You are invited to coach on bumpwise"), body)
    except OSError:
        return False
    return True


def open_invitations(uow: UnitOfWork, principal: Principal, now: datetime) -> list[InvitationView]:
    require_role(principal, Role.ADMIN)
    with uow:
        return [invitation_view(row) for row in uow.roles.open_invitations(now)]


def withdraw_invitation(uow: UnitOfWork, principal: Principal, invitation_id: int) -> None:
    require_role(principal, Role.ADMIN)
    with uow:
        row = uow.roles.invitation(invitation_id)
        if row is None:
            raise NotFound(N_("no such coach invitation"), "invitation_id")
        uow.roles.delete_invitation(row)
        uow.commit()


def invited_email(uow: UnitOfWork, token: str, now: datetime) -> str:
    """The address an open invitation is for (the accept page shows it); NotFound otherwise."""
    with uow:
        return _open_invitation(uow, token, now).email


def sign_up_as_coach(
    uow: UnitOfWork,
    rules: AccountRules,
    *,
    invitation: str,
    email: str,
    password: str,
    display_name: str,
    now: datetime,
) -> Principal:
    """A new coach account, from an open invitation for this same e-mail address."""
    user = new_user(
        rules, email=email, password=password, display_name=display_name, role=Role.COACH, now=now
    )
    with uow:
        row = _open_invitation(uow, invitation, now)
        _check_same_address(row, user.email)
        add_new_user(uow, user)
        _use(uow, row, user, now)
        uow.commit()
        return principal_of(user)


def accept_invitation(uow: UnitOfWork, principal: Principal, invitation: str, now: datetime) -> UserView:
    """The signed-in account (with the invited e-mail) becomes a coach."""
    with uow:
        row = _open_invitation(uow, invitation, now)
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound(N_("the account no longer exists"))
        _check_same_address(row, user.email)
        _check_can_become_coach(user)
        _use(uow, row, user, now)
        uow.commit()
        return user_view(user)


def make_coach(uow: UnitOfWork, user: User, now: datetime) -> None:
    """Give the account the coach role and, the first time, its public handle (inside an open uow)."""
    user.role = Role.COACH.value
    if uow.roles.page_of(user.id) is None:
        uow.roles.add(
            CoachPage(coach_id=user.id, handle=_free_handle(uow, user.display_name), created_at=now)
        )


def _use(uow: UnitOfWork, row: CoachInvitation, user: User, now: datetime) -> None:
    make_coach(uow, user, now)
    row.used_at = now


def _open_invitation(uow: UnitOfWork, token: str, now: datetime) -> CoachInvitation:
    row = uow.roles.invitation_by_hash(digest(token))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise NotFound(
            N_("this coach invitation is unknown, used or expired: ask an admin for a new one"), "invitation"
        )
    return row


def _check_same_address(row: CoachInvitation, email: str) -> None:
    if email != row.email:
        raise InputError("email", N_("this invitation is for another e-mail address: use the invited one"))


def _check_can_become_coach(user: User | None) -> None:
    if user is not None and user.role != Role.MEMBER.value:
        raise InputError("email", _("this account already has the %(role)s role", role=user.role))


def _free_handle(uow: UnitOfWork, display_name: str) -> str:
    """A readable handle from the name; a short random tail when that one is taken."""
    base = NOT_A_HANDLE.sub("-", display_name.lower()).strip("-")[:HANDLE_LENGTH].strip("-") or "coach"
    handle = base
    while uow.roles.page_by_handle(handle) is not None:
        handle = f"{base}-{short_code(4).lower()}"
    return handle
