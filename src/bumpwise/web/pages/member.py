"""The member's days: today's session and its log, this week, and the symptom check-in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bumpwise.domain.catalog import gettext
from bumpwise.domain.errors import InputError
from bumpwise.domain.locale import current_language
from bumpwise.domain.vocab import Clearance
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import coach_articles, sessions, symptoms
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from bumpwise.services.rendered import PAGES, Caller, Rendered, page_key, session_caller
from bumpwise.web import csrf
from bumpwise.web.context import AppContext
from bumpwise.web.deps import (
    Ctx,
    Now,
    PageUser,
    Today,
    optional_page_principal,
    page_principal,
    read_caller,
    session_token,
    with_language,
)
from bumpwise.web.hot import drawn_keys, keep_html, kept_html
from bumpwise.web.idempotency import FormOnce
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import RowId
from bumpwise.web.rendering import page, render_error

router = APIRouter()


def needs_onboarding(exc: NotFound) -> Response | None:
    """A member page before onboarding is finished leads there instead of answering 404."""
    return RedirectResponse("/onboarding", status_code=303) if exc.field == "profile" else None


@router.get("/today", response_class=HTMLResponse)
async def today(request: Request, ctx: Ctx, day: Today, now: Now) -> Response:
    """From the page kept rendered when the member's view version still matches (web/hot.py);
    else the page in one thread-pool hop (with the full session check only when the one read could
    not settle it), kept for the next time."""
    caller = await _page_caller(request, ctx, now)
    key = ""
    if caller is not None:
        with_language(caller.principal)
        key = page_key("html/today", caller, day, current_language(), str(request.url))
        kept = PAGES.get(caller, key)
        if kept is not None:
            return _kept_page(request, ctx, kept)

    def blocking() -> Response:
        user = (
            caller.principal
            if caller is not None
            else page_principal(optional_page_principal(request, ctx, now))
        )
        with drawn_keys() as drawn:
            response = _today_or_onboarding(request, user, ctx, day, now)
        if caller is not None and response.status_code == 200:
            kept = keep_html(bytes(response.body), csrf.csrf_token(request, ctx), drawn)
            PAGES.put(caller, key, kept, rendered_for=user)
        return response

    return await run_in_threadpool(blocking)


def _today_or_onboarding(request: Request, user: Principal, ctx: Ctx, day: date, now: datetime) -> Response:
    try:
        return _today_page(request, user, ctx, day, now)
    except NotFound as exc:
        return needs_onboarding(exc) or render_error(request, 404, exc.message)


async def _page_caller(request: Request, ctx: AppContext, now: datetime) -> Caller | None:
    token = session_token(request, ctx)
    if PAGES.size <= 0 or not token:
        return None
    return await read_caller(ctx, lambda: session_caller(ctx.callers, token, now, idle=ctx.rules.idle))


def _kept_page(request: Request, ctx: AppContext, kept: Rendered) -> Response:
    response = kept_html(kept, csrf.csrf_token(request, ctx))
    csrf.attach_cookie(request, response, ctx)
    return response


def _today_page(
    request: Request,
    user: Principal,
    ctx: Ctx,
    day: Today,
    now: Now,
    *,
    status: int = 200,
    error: Exception | None = None,
    duplicate: sessions.DuplicateLog | None = None,
    form: Mapping[str, object] | None = None,
) -> Response:
    """Today's session with its log form: after an error the form keeps every answer and tick."""
    view = sessions.today(ctx.uow(), ctx.kb, user, day, now)
    return page(
        request,
        user,
        "member/today.html",
        status=status,
        view=view,
        error=error,
        duplicate=duplicate,
        form=form or {},
        log_days=[(day, gettext("Today")), (day - timedelta(days=1), gettext("Yesterday"))],
        shared=coach_articles.shared_with_me(ctx.uow(), user),
        reader_stage=view.header.stage_kind,
        reader_birth=view.header.delivery,
        notice_inline=request.query_params.get("notice") == "logged",
    )


RECORD_FIELDS = {"sets": "sets", "reps": "reps", "kg": "weight_kg"}
"""Per-exercise figures in the log form are named ``sets:<exercise id>``, ``reps:…``, ``kg:…``."""


def log_fields(form: Mapping[str, str | list[str]], day: date) -> dict[str, object]:
    """The log form as ``LogInput`` fields: today unless another day was chosen, and the
    per-exercise figures gathered into ``records``."""
    fields: dict[str, object] = {"session_date": day.isoformat()}
    records: dict[str, dict[str, str | list[str]]] = {}
    for key, value in form.items():
        prefix, _, exercise = key.partition(":")
        if exercise and prefix in RECORD_FIELDS:
            records.setdefault(exercise, {"exercise": exercise})[RECORD_FIELDS[prefix]] = value
        else:
            fields[key] = value
    if records:
        fields["records"] = list(records.values())
    return fields


@router.post("/today/log", response_class=HTMLResponse)
def log_session(
    request: Request, user: PageUser, ctx: Ctx, form: FormData, day: Today, now: Now, once: FormOnce
) -> Response:
    def log(uow: UnitOfWork) -> Response:
        fields = log_fields(form, day)
        twice = fields.pop("again", "") == "true"  # "Yes, I did it twice" after the question
        entry = validated(sessions.LogInput, fields)
        sessions.log_session(uow, ctx.kb, user, entry, day, now, ask_first=not twice)
        return RedirectResponse("/today?notice=logged#log-done", status_code=303)

    try:
        return once.page(log)
    except InputError as exc:
        return _today_page(request, user, ctx, day, now, status=422, error=exc, form=form)
    except sessions.DuplicateLog as exc:
        return _today_page(request, user, ctx, day, now, status=409, duplicate=exc, form=form)


@router.get("/week", response_class=HTMLResponse)
def week(request: Request, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    try:
        view = sessions.this_week(ctx.uow(), ctx.kb, user, day, now)
    except NotFound as exc:
        return needs_onboarding(exc) or render_error(request, 404, exc.message)
    return page(
        request,
        user,
        "member/week.html",
        view=view,
        today=day,
        reader_stage=view.header.stage_kind,
        reader_birth=view.header.delivery,
    )


@router.get("/check-in", response_class=HTMLResponse)
def check_in_form(request: Request, user: PageUser, ctx: Ctx, today: Today) -> Response:
    choices = symptoms.check_in_choices(ctx.uow(), ctx.kb, user, today)
    return _check_in_page(request, user, ctx, choices, None, {})


@router.post("/check-in", response_class=HTMLResponse)
def check_in(
    request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now, once: FormOnce
) -> Response:
    def check(uow: UnitOfWork) -> Response:
        result = symptoms.check_in(uow, ctx.kb, user, validated(symptoms.CheckInInput, form), now)
        if result.stop:
            return RedirectResponse(f"/check-in/{result.report.id}", status_code=303)
        notice = "adapted" if result.adapted else "checked-in"
        return RedirectResponse(f"/today?notice={notice}", status_code=303)

    try:
        return once.page(check)
    except InputError as exc:
        choices = symptoms.check_in_choices(ctx.uow(), ctx.kb, user, now.date())
        return _check_in_page(request, user, ctx, choices, exc, form)
    except NotFound as exc:
        return needs_onboarding(exc) or render_error(request, 404, exc.message)


def _check_in_page(
    request: Request,
    user: Principal,
    ctx: AppContext,
    choices: symptoms.CheckInChoices,
    error: InputError | None,
    form: Mapping[str, object],
) -> Response:
    """The check-in form; it carries the stop message too, shown at once when a warning sign is
    ticked without a connection (the check-in waits on the phone; what to do must not)."""
    stop = ctx.kb.messages.clearances[Clearance.SEEK_CARE_NOW]
    status = 200 if error is None else 422
    context = {"choices": choices, "error": error, "form": form, "stop": stop}
    return page(request, user, "member/check_in.html", status=status, **context)


@router.get("/check-in/{report_id}", response_class=HTMLResponse)
def stop_page(request: Request, report_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    """What to do now, after a warning sign; the plan stays on hold until this is resolved."""
    result = symptoms.report_of(ctx.uow(), ctx.kb, user, report_id)
    return page(request, user, "member/stop.html", result=result)


@router.post("/check-in/{report_id}/resolve")
def resolve(report_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/check-in/{report_id}", status_code=303)
    symptoms.resolve_warning(ctx.uow(), ctx.kb, user, report_id, now)
    return RedirectResponse("/today?notice=resolved", status_code=303)
