"""Session logs: what was done, how hard it felt, how long it took. The member who logged a
session may correct or delete it (the audit trail keeps what changed); nobody else may."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from bumpwise.services import sessions
from bumpwise.services.sessions import LogChange, LogInput
from bumpwise.services.views import LogView
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.idempotency import Create
from bumpwise.web.params import RowId

router = APIRouter(prefix="/me/logs", tags=["logs"])


@router.get("")
def list_logs(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[LogView]:
    """The member's session logs, newest first."""
    limit, offset = paging.window()
    return paging.of_fetched(sessions.list_logs(ctx.uow(), user, limit=limit, offset=offset))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LogView)
async def log_session(body: LogInput, create: Create) -> Response:
    """Store a session log. Logs sent at the same moment are committed together, each durable
    before its answer."""
    kb, user, today, now = create.ctx.kb, create.user, create.today, create.now
    return await create.once.json_together(lambda uow: sessions.log_session(uow, kb, user, body, today, now))


@router.get("/{log_id}")
def get_log(log_id: RowId, user: ApiUser, ctx: Ctx) -> LogView:
    return sessions.get_log(ctx.uow(), user, log_id)


@router.patch("/{log_id}")
def edit_log(log_id: RowId, body: LogChange, user: ApiUser, ctx: Ctx, today: Today, now: Now) -> LogView:
    """Change the fields sent; the others stay. The change is written to the audit trail."""
    return sessions.edit_log(ctx.uow(), ctx.kb, user, log_id, body, today, now)


@router.delete("/{log_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_log(log_id: RowId, user: ApiUser, ctx: Ctx, now: Now) -> Response:
    """Delete the log; the audit trail keeps a line saying what it was."""
    sessions.delete_log(ctx.uow(), user, log_id, now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
