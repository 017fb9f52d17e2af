"""Admin: accounts, roles and coach invitations. No health data is reachable from here."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import Field

from bumpwise.services import admin, vetting
from bumpwise.services.accounts import UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Role
from bumpwise.services.vetting import InvitationView, NewInvitation
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.params import RowId

router = APIRouter(prefix="/admin", tags=["admin"])


class RoleChange(StrictInput):
    role: Role


class CoachInvitationInput(StrictInput):
    email: str = Field(max_length=254)


@router.get("/users")
def list_users(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[UserView]:
    limit, offset = paging.window()
    return paging.of_fetched(admin.list_users(ctx.uow(), user, limit=limit, offset=offset))


@router.patch("/users/{user_id}")
def set_role(user_id: RowId, body: RoleChange, user: ApiUser, ctx: Ctx, now: Now) -> UserView:
    return admin.set_role(ctx.uow(), user, user_id, body.role.value, now)


@router.get("/coach-invitations")
def open_invitations(user: ApiUser, ctx: Ctx, now: Now, paging: Pages) -> Page[InvitationView]:
    return paging.of_all(vetting.open_invitations(ctx.uow(), user, now))


@router.post("/coach-invitations", status_code=status.HTTP_201_CREATED)
def invite_coach(body: CoachInvitationInput, user: ApiUser, ctx: Ctx, now: Now) -> NewInvitation:
    """Invite this e-mail to become a coach: the link is mailed, and shown here once."""
    return vetting.invite_coach(
        ctx.uow(), user, email=body.email, base_url=ctx.settings.base_url, deliver=ctx.deliver, now=now
    )


@router.delete("/coach-invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_invitation(invitation_id: RowId, user: ApiUser, ctx: Ctx) -> None:
    vetting.withdraw_invitation(ctx.uow(), user, invitation_id)
