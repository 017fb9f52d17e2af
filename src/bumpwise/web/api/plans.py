"""Today's session and this week's plan: the member's hot path.

Each route is async and does its blocking part (the token check and the reads) in one hop to the
thread pool instead of one per dependency, and answers with an ETag (304 when unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from bumpwise.services import sessions
from bumpwise.services.principal import Principal
from bumpwise.services.views import TodayView, WeekView
from bumpwise.web.api.contract import raises
from bumpwise.web.conditional import NOT_MODIFIED, IfNoneMatch, conditional_json
from bumpwise.web.context import AppContext
from bumpwise.web.deps import BearerCredentials, Ctx, Now, Today, authenticate

router = APIRouter(prefix="/me", tags=["plan"])


@router.get("/today", response_model=TodayView, responses={**NOT_MODIFIED, **raises(403)})
async def today(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    return await _answer(
        credentials, ctx, now, if_none_match, lambda user: sessions.today(ctx.uow(), ctx.kb, user, today, now)
    )


@router.get("/week", response_model=WeekView, responses={**NOT_MODIFIED, **raises(403)})
async def week(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    return await _answer(
        credentials,
        ctx,
        now,
        if_none_match,
        lambda user: sessions.this_week(ctx.uow(), ctx.kb, user, today, now),
    )


async def _answer(
    credentials: HTTPAuthorizationCredentials | None,
    ctx: AppContext,
    now: datetime,
    if_none_match: str | None,
    view: Callable[[Principal], BaseModel],
) -> Response:
    """The token check and the view in one thread-pool hop, answered with an ETag."""

    def blocking() -> Response:
        return conditional_json(view(authenticate(ctx, credentials, now)), if_none_match)

    return await run_in_threadpool(blocking)
