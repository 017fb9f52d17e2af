"""The weekly summary as JSON: the member's own, and a client's for a coach holding the grant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from bumpwise.services import reports
from bumpwise.web.deps import ApiUser, Ctx, Now, Today

router = APIRouter(tags=["summary"])
Weeks = Annotated[
    int, Query(ge=reports.MIN_WEEKS, le=reports.MAX_WEEKS, description="this week and the ones before it")
]


@router.get("/me/summary")
def my_summary(
    user: ApiUser, ctx: Ctx, today: Today, now: Now, weeks: Weeks = reports.MIN_WEEKS
) -> dict[str, Any]:
    """Moderate minutes, strength sessions, pelvic floor days, thigh balance, effort, adherence and
    symptoms, week by week."""
    return reports.summary(ctx.uow(), ctx.kb, user, today, now, weeks=weeks).as_dict()


@router.get("/coach/clients/{member_id}/summary")
def client_summary(
    member_id: int, user: ApiUser, ctx: Ctx, today: Today, now: Now, weeks: Weeks = reports.MIN_WEEKS
) -> dict[str, Any]:
    """A client's weekly summary; the read is written to the client's audit log."""
    return reports.summary(ctx.uow(), ctx.kb, user, today, now, weeks=weeks, member_id=member_id).as_dict()
