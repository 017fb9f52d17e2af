"""The coach's library pages: upload an export (free-exercise-db, a wger page or the wger
fixtures' files), list what came in, and review each exercise's safety attributes with the
importer's evidence beside each one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.services import coach_library
from bumpwise.services.coach_library import CORRECTED, REVIEWED, SOURCES, AttributeValues, WrittenExercise
from bumpwise.services.errors import Conflict
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from bumpwise.web.deps import Ctx, Now, PageUser
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import Offset, RowId
from bumpwise.web.rendering import page

router = APIRouter(prefix="/coach/library")
PAGE_SIZE = 50
SHOWN = {"all": None, "in-plans": True, "to-review": False}
MAX_FILES = 10


@router.get("", response_class=HTMLResponse)
def library_page(
    request: Request,
    user: PageUser,
    ctx: Ctx,
    offset: Offset = 0,
    show: Annotated[str, Query(pattern="^(all|in-plans|to-review)$")] = "all",
) -> Response:
    return _library(request, user, ctx, offset, show)


def _library(
    request: Request,
    user: Principal,
    ctx: Ctx,
    offset: int,
    show: str,
    *,
    status: int = 200,
    error: InputError | None = None,
) -> Response:
    entries = coach_library.library(ctx.uow(), user, reviewed=SHOWN[show], limit=PAGE_SIZE + 1, offset=offset)
    return page(
        request,
        user,
        "coach/library.html",
        status=status,
        entries=entries[:PAGE_SIZE],
        more=len(entries) > PAGE_SIZE,
        offset=offset,
        page_size=PAGE_SIZE,
        show=show,
        sources=SOURCES,
        error=error,
    )


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, user: PageUser, ctx: Ctx, now: Now) -> Response:
    """One export file, or every file of the wger fixtures at once (``multiple``)."""
    form = await request.form()
    source = form.get("source")
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    try:
        if not uploads:
            raise InputError("files", N_("choose the file (or the files) of the export"))
        if len(uploads) > MAX_FILES:
            raise InputError("files", _("choose at most %(max)s files", max=MAX_FILES))
        if not isinstance(source, str) or source not in SOURCES:
            raise InputError("source", N_("is not a library we can read"), list(SOURCES))
        files = [(f.filename or "file", await f.read()) for f in uploads]
        summary = coach_library.import_uploaded(ctx.uow(), user, files, source, now)
    except InputError as exc:
        return _library(request, user, ctx, 0, "all", status=422, error=exc)
    finally:
        for f in uploads:
            await f.close()
    if not summary.read:
        return _library(
            request, user, ctx, 0, "all", error=InputError("files", N_("held no exercises")), status=422
        )
    return RedirectResponse("/coach/library?show=to-review&notice=imported", status_code=303)


@router.post("/write", response_class=HTMLResponse)
def write(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    """A coach's own exercise: a name and one step per line; then its review page."""
    steps = [line for line in str(form.get("steps", "")).splitlines() if line.strip()]
    try:
        body = validated(WrittenExercise, {"name": form.get("name", ""), "steps": steps})
        entry = coach_library.write_exercise(ctx.uow(), user, body, now)
    except (InputError, Conflict) as exc:
        error = exc if isinstance(exc, InputError) else InputError(exc.field, exc.message)
        return _library(
            request, user, ctx, 0, "all", status=422 if isinstance(exc, InputError) else 409, error=error
        )
    return RedirectResponse(f"/coach/library/{entry.id}?notice=written", status_code=303)


@router.get("/{entry_id}", response_class=HTMLResponse)
def entry_page(request: Request, entry_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    entry = coach_library.library_entry(ctx.uow(), user, entry_id)
    return page(request, user, "coach/library_entry.html", entry=entry, error=None)


@router.post("/{entry_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, entry_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now
) -> Response:
    """The attributes ticked are confirmed with the values chosen beside them (equipment and
    muscles: every value chosen in their lists, none for no equipment)."""
    chosen = form.get("checked_attributes", [])
    values: dict[str, object] = {}
    for name in REVIEWED:
        if name not in chosen:
            continue
        raw = form.text(name)
        values[name] = {"yes": True, "no": False}.get(raw, raw)
    values.update({name: form.get(name, []) for name in CORRECTED if name in chosen})
    try:
        coach_library.confirm_attributes(ctx.uow(), user, entry_id, validated(AttributeValues, values), now)
    except InputError as exc:
        entry = coach_library.library_entry(ctx.uow(), user, entry_id)
        return page(request, user, "coach/library_entry.html", status=422, entry=entry, error=exc)
    return RedirectResponse(f"/coach/library/{entry_id}?notice=confirmed", status_code=303)
