"""Session logs: what was done, how hard it felt, how long it took."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from bumpwise.services import sessions
from bumpwise.services.sessions import LogInput
from bumpwise.services.views import LogView
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.idempotency import ApiOnce

router = APIRouter(prefix="/me/logs", tags=["logs"])


@router.get("")
def list_logs(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[LogView]:
    """The member's session logs, newest first."""
    limit, offset = paging.window()
    return paging.of_fetched(sessions.list_logs(ctx.uow(), user, limit=limit, offset=offset))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LogView)
def log_session(body: LogInput, user: ApiUser, ctx: Ctx, today: Today, now: Now, once: ApiOnce) -> Response:
    return once.json(lambda uow: sessions.log_session(uow, ctx.kb, user, body, today, now))
