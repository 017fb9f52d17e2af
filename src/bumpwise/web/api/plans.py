"""Today's session and this week's plan."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwise.services import sessions
from bumpwise.services.views import TodayView, WeekView
from bumpwise.web.deps import ApiUser, Ctx, Now, Today

router = APIRouter(prefix="/me", tags=["plan"])


@router.get("/today")
def today(user: ApiUser, ctx: Ctx, today: Today, now: Now) -> TodayView:
    return sessions.today(ctx.uow(), ctx.kb, user, today, now)


@router.get("/week")
def week(user: ApiUser, ctx: Ctx, today: Today, now: Now) -> WeekView:
    return sessions.this_week(ctx.uow(), ctx.kb, user, today, now)
