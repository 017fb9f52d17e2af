"""The public free workout page: no account; the screening questions first, for pregnancy or after
the birth; a printable workout (page and PDF); an optional e-mail with double opt-in.

The general page is ``/free-workout``; a coach's own is ``/c/{handle}/free-workout``, and an
e-mail left there is that coach's lead (an unknown handle is a 404 and stores nothing). The link
in the confirmation e-mail, ``/free-workout/confirm/{token}``, shows one button; its POST needs no
session or CSRF token (the token is the credential) and sends the workout PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import StageKind
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import leads, rate_limits, reports
from bumpwise.services.errors import RateLimited
from bumpwise.services.free_workout import (
    FreeWorkoutInput,
    build_free_workout,
    confirm_free_workout,
    count_free_workout,
    free_workout,
)
from bumpwise.services.inputs import validated
from bumpwise.services.leads import CoachPageView
from bumpwise.services.principal import Principal
from bumpwise.services.views import screening_questions
from bumpwise.web.context import AppContext
from bumpwise.web.deps import Client, Ctx, MaybePageUser, Now, Today
from bumpwise.web.idempotency import FormOnce, Once
from bumpwise.web.pages.forms import Form, FormData
from bumpwise.web.rendering import page

router = APIRouter()
confirm_router = APIRouter(prefix="/free-workout/confirm/{confirm_token}", include_in_schema=False)
GENERAL = "/free-workout"
COACH_PAGE = "/c/{handle}/free-workout"
PRIVATE_FIELDS = frozenset({"email", "consent", "idempotency_key", "csrf_token"})
DEFAULT_FORM = {"minutes": "30"}


def _stage_of(value: object) -> StageKind | None:
    try:
        return StageKind(str(value))
    except ValueError:
        return None


def _form_page(
    request: Request,
    user: Principal | None,
    ctx: Ctx,
    coach: CoachPageView | None,
    *,
    form: Mapping[str, object],
    status: int = 200,
    error: Exception | None = None,
) -> Response:
    action = GENERAL if coach is None else COACH_PAGE.format(handle=coach.handle)
    stage = _stage_of(form.get("stage_kind"))
    if stage is None:
        return page(request, user, "free/choose.html", status=status, action=action, coach=coach, error=error)
    return page(
        request,
        user,
        "free/form.html",
        status=status,
        form=form,
        error=error,
        consent_text=leads.consent_text(coach),
        action=action,
        coach=coach,
        questions=screening_questions(ctx.kb, stage),
    )


@dataclass(frozen=True)
class _Answered:
    """A POST of the form, on the general page or a coach's: the same inputs either way."""

    request: Request
    user: Principal | None
    ctx: AppContext
    form: Form
    today: date
    now: datetime
    client: str
    once: Once


async def _answered(
    request: Request,
    user: MaybePageUser,
    ctx: Ctx,
    form: FormData,
    today: Today,
    now: Now,
    client: Client,
    once: FormOnce,
) -> _Answered:
    return _Answered(request, user, ctx, form, today, now, client, once)


Answered = Annotated[_Answered, Depends(_answered)]


def _workout(answered: _Answered, coach: CoachPageView | None) -> Response:
    request, user, ctx, form = answered.request, answered.user, answered.ctx, answered.form
    today, now = answered.today, answered.now

    def build(uow: UnitOfWork) -> Response:
        entry = validated(FreeWorkoutInput, form)
        result = free_workout(
            uow, ctx.kb, entry, today, now, coach, base_url=ctx.settings.base_url, deliver=ctx.deliver
        )
        unsubscribe = None
        if result.unsubscribe_path:
            unsubscribe = str(request.base_url).rstrip("/") + result.unsubscribe_path
        return page(
            request,
            user,
            "free/workout.html",
            result=result,
            today=today,
            form=_printable(form),
            unsubscribe_link=unsubscribe,
            email_ignored=bool(entry.email.strip()) and not result.lead_saved,
            coach=coach,
            reader_stage=result.stage_kind,
        )

    try:
        count_free_workout(ctx.uow(), ctx.rules, client=answered.client, now=now)
        return answered.once.page(build)
    except InputError as exc:
        return _form_page(request, user, ctx, coach, form=form, status=422, error=exc)
    except RateLimited as exc:
        answer = _form_page(request, user, ctx, coach, form=form, status=exc.status, error=exc)
        answer.headers["Retry-After"] = str(exc.retry_after)
        return answer


def _start(request: Request) -> dict[str, str | None]:
    return {**DEFAULT_FORM, "stage_kind": request.query_params.get("stage")}


@router.get(GENERAL, response_class=HTMLResponse)
def form_page(request: Request, user: MaybePageUser, ctx: Ctx) -> Response:
    return _form_page(request, user, ctx, None, form=_start(request))


@router.post(GENERAL, response_class=HTMLResponse)
def workout(answered: Answered) -> Response:
    return _workout(answered, None)


@router.get(COACH_PAGE, response_class=HTMLResponse)
def coach_form_page(request: Request, handle: str, user: MaybePageUser, ctx: Ctx) -> Response:
    return _form_page(request, user, ctx, leads.coach_page(ctx.uow(), handle), form=_start(request))


@router.post(COACH_PAGE, response_class=HTMLResponse)
def coach_workout(handle: str, answered: Answered) -> Response:
    return _workout(answered, leads.coach_page(answered.ctx.uow(), handle))


@router.post(GENERAL + "/pdf")
def workout_pdf(ctx: Ctx, form: FormData, today: Today, now: Now, client: Client) -> Response:
    """The same workout as a PDF, from the same answers (never the e-mail: no second opt-in).
    Each PDF costs about half a second of CPU, so they are counted per client address."""
    limit = ctx.rules.requests.free_pdfs_per_hour
    rate_limits.count_request(
        ctx.uow(), secret=ctx.rules.secret, action="free-pdf", who=client, limit=limit, now=now
    )
    result = build_free_workout(ctx.kb, validated(FreeWorkoutInput, _printable(form)), today)
    return Response(
        reports.free_workout_pdf(ctx.kb, result),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="bumpwise-free-workout.pdf"'},
    )


@confirm_router.get("", response_class=HTMLResponse)
def confirm_page(request: Request, confirm_token: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    lead = leads.lead_for_confirmation(ctx.uow(), confirm_token, now)
    return page(request, user, "free/confirm.html", token=confirm_token, lead=lead, done=None)


@confirm_router.post("", response_class=HTMLResponse)
def confirm(
    request: Request, confirm_token: str, user: MaybePageUser, ctx: Ctx, today: Today, now: Now
) -> Response:
    done = confirm_free_workout(ctx.uow(), confirm_token, today, now, mail_workout=ctx.jobs.mail_workout)
    unsubscribe = str(request.base_url).rstrip("/") + done.unsubscribe_path
    return page(
        request, user, "free/confirm.html", token=None, lead=None, done=done, unsubscribe_link=unsubscribe
    )


def _printable(form: Form) -> dict[str, str | list[str]]:
    return {key: value for key, value in form.items() if key not in PRIVATE_FIELDS}
