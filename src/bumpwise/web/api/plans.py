"""Today's session and this week's plan: the member's hot path.

Each route is async and does its blocking part (the token check and the reads) in one hop to the
thread pool instead of one per dependency, and answers with an ETag (304 when unchanged).
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from bumpwise.services import sessions
from bumpwise.services.views import TodayView, WeekView
from bumpwise.web.conditional import NOT_MODIFIED, IfNoneMatch, conditional_json
from bumpwise.web.deps import BearerCredentials, Ctx, Now, Today, authenticate

router = APIRouter(prefix="/me", tags=["plan"])


@router.get("/today", response_model=TodayView, responses=NOT_MODIFIED)
async def today(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    def answer() -> Response:
        user = authenticate(ctx, credentials, now)
        return conditional_json(sessions.today(ctx.uow(), ctx.kb, user, today, now), if_none_match)

    return await run_in_threadpool(answer)


@router.get("/week", response_model=WeekView, responses=NOT_MODIFIED)
async def week(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    def answer() -> Response:
        user = authenticate(ctx, credentials, now)
        return conditional_json(sessions.this_week(ctx.uow(), ctx.kb, user, today, now), if_none_match)

    return await run_in_threadpool(answer)
