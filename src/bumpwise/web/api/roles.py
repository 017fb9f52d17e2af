"""Becoming a coach with an admin's invitation, and the coach's own public page."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bumpwise.services import leads, vetting
from bumpwise.services.accounts import UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.web.api.contract import raises
from bumpwise.web.deps import ApiUser, Ctx, Now

router = APIRouter(tags=["roles"])
FREE_WORKOUT_PATH = "/c/{handle}/free-workout"


class InvitationAccept(StrictInput):
    invitation: str = Field(max_length=200)


class CoachPage(BaseModel):
    handle: str
    display_name: str
    free_workout_link: str


@router.post("/me/coach-invitation", responses=raises(404))
def accept_invitation(body: InvitationAccept, user: ApiUser, ctx: Ctx, now: Now) -> UserView:
    """The calling account (with the invited e-mail) becomes a coach."""
    return vetting.accept_invitation(ctx.uow(), user, body.invitation, now)


@router.get("/coach/page")
def own_page(user: ApiUser, ctx: Ctx, now: Now) -> CoachPage:
    """The coach's public handle and free-workout link: its leads are this coach's only."""
    found = leads.own_page(ctx.uow(), user, now)
    link = ctx.settings.base_url.rstrip("/") + FREE_WORKOUT_PATH.format(handle=found.handle)
    return CoachPage(handle=found.handle, display_name=found.display_name, free_workout_link=link)
