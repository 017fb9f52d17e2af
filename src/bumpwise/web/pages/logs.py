"""The member's session logs: a list, and correcting or deleting one (the audit trail keeps
what changed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import sessions
from bumpwise.services.inputs import validated
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import RowId
from bumpwise.web.rendering import page

router = APIRouter(prefix="/logs")
EDITABLE = ("session_date", "rpe", "minutes", "sets_done", "notes")


@router.get("", response_class=HTMLResponse)
def my_logs(request: Request, user: PageUser, ctx: Ctx) -> Response:
    return page(request, user, "member/logs.html", logs=sessions.list_logs(ctx.uow(), user))


@router.get("/{log_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, log_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    log = sessions.get_log(ctx.uow(), user, log_id)
    return page(request, user, "member/log_edit.html", log=log, form=log.model_dump(), error=None)


@router.post("/{log_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request, log_id: RowId, user: PageUser, ctx: Ctx, form: FormData, day: Today, now: Now
) -> Response:
    """Every field of the form is sent; an emptied number clears it, an emptied note empties it."""
    change = {name: form.get(name) for name in EDITABLE}
    change["notes"] = change["notes"] or ""
    try:
        sessions.edit_log(ctx.uow(), ctx.kb, user, log_id, validated(sessions.LogChange, change), day, now)
    except InputError as exc:
        log = sessions.get_log(ctx.uow(), user, log_id)
        return page(request, user, "member/log_edit.html", status=422, log=log, form=form, error=exc)
    return RedirectResponse("/logs?notice=log-edited", status_code=303)


@router.post("/{log_id}/delete")
def delete(log_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/logs/{log_id}/edit", status_code=303)
    sessions.delete_log(ctx.uow(), user, log_id, now)
    return RedirectResponse("/logs?notice=log-deleted", status_code=303)
