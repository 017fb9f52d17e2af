"""Session logs: what was done, how hard it felt, how long it took."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from bumpwise.services import sessions
from bumpwise.services.sessions import LogInput
from bumpwise.services.views import LogView
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.idempotency import ApiOnce

router = APIRouter(prefix="/me/logs", tags=["logs"])


@router.get("")
def list_logs(user: ApiUser, ctx: Ctx) -> list[LogView]:
    return sessions.list_logs(ctx.uow(), user)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LogView)
def log_session(body: LogInput, user: ApiUser, ctx: Ctx, today: Today, now: Now, once: ApiOnce) -> Response:
    return once.json(lambda uow: sessions.log_session(uow, ctx.kb, user, body, today, now))
