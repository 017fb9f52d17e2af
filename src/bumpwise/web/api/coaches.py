"""The member's coaches: grant access with an invite code, revoke it, read the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import Field

from bumpwise.services import coaching
from bumpwise.services.coaching import AuditView, CoachView
from bumpwise.services.inputs import StrictInput
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.idempotency import ApiOnce
from bumpwise.web.params import RowId

router = APIRouter(prefix="/me", tags=["coaching"])


class Grant(StrictInput):
    code: str = Field(min_length=4, max_length=16)


@router.get("/coaches")
def list_coaches(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[CoachView]:
    return paging.of_all(coaching.my_coaches(ctx.uow(), user))


@router.post("/coaches", status_code=status.HTTP_201_CREATED, response_model=CoachView)
def grant_coach(body: Grant, user: ApiUser, ctx: Ctx, now: Now, once: ApiOnce) -> Response:
    """Give the coach behind this invite code access to your plan, logs and symptoms."""
    return once.json(lambda uow: coaching.accept_invite(uow, user, body.code, now))


@router.delete("/coaches/{coach_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_coach(coach_id: RowId, user: ApiUser, ctx: Ctx) -> None:
    coaching.revoke_coach(ctx.uow(), user, coach_id)


@router.get("/audit")
def audit_log(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[AuditView]:
    """Every time a coach read (or changed) your health data."""
    return paging.of_all(coaching.my_audit(ctx.uow(), user))
