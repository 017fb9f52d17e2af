"""Today's session and this week's plan: the member's hot path.

A repeat read is answered from the page kept rendered (services.rendered): one read checks the
token and gets the member's view version, and the kept JSON goes out with its ETag (304 when
unchanged). Otherwise the route renders in one hop to the thread pool (with the full token check
only when the one read could not settle it), and keeps the body under the version read first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from fastapi import APIRouter, Response
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import sessions
from bumpwise.services.principal import Principal
from bumpwise.services.rendered import Rendered
from bumpwise.services.views import TodayView, WeekView
from bumpwise.web.api.contract import raises
from bumpwise.web.conditional import NOT_MODIFIED, IfNoneMatch, conditional, etag_of
from bumpwise.web.context import AppContext
from bumpwise.web.deps import BearerCredentials, Ctx, Now, Today
from bumpwise.web.hot import KeptJson

router = APIRouter(prefix="/me", tags=["plan"])


MemberView = Callable[[UnitOfWork, KnowledgeBase, Principal, date, datetime], bytes]
"""A member's view as JSON."""


@router.get("/today", response_model=TodayView, responses={**NOT_MODIFIED, **raises(403)})
async def today(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    return await _answer("api/today", sessions.today_json, credentials, ctx, today, now, if_none_match)


@router.get("/week", response_model=WeekView, responses={**NOT_MODIFIED, **raises(403)})
async def week(
    credentials: BearerCredentials, ctx: Ctx, today: Today, now: Now, if_none_match: IfNoneMatch = None
) -> Response:
    return await _answer("api/week", sessions.this_week_json, credentials, ctx, today, now, if_none_match)


async def _answer(
    page: str,
    view: MemberView,
    credentials: HTTPAuthorizationCredentials | None,
    ctx: AppContext,
    day: date,
    now: datetime,
    if_none_match: str | None,
) -> Response:
    """The kept body when the caller's view version still matches; else the token check and the
    view, kept for the next time. On SQLite the caller is read and a kept body answered on the
    event loop; on a server database, whose reads wait on the network, the whole answer takes
    one thread-pool hop (two cost a page not kept about 0.2 ms more, issue 18)."""

    def kept_body(found: Rendered) -> Response:
        return conditional(found.parts[0], if_none_match, etag=found.etag, kept=found)

    def rendered(kept: KeptJson) -> Response:
        user = kept.principal(ctx, credentials, now)
        body = view(ctx.uow(), ctx.kb, user, day, now)
        return kept_body(kept.keep(body, etag_of(body), user))

    def answered(kept: KeptJson) -> Response:
        found = kept.get()
        return kept_body(found) if found is not None else rendered(kept)

    if ctx.callers.blocks_long:
        return await run_in_threadpool(lambda: answered(KeptJson.read(ctx, credentials, now, page, day)))
    kept = KeptJson.read(ctx, credentials, now, page, day)
    found = kept.get()
    return kept_body(found) if found is not None else await run_in_threadpool(rendered, kept)
