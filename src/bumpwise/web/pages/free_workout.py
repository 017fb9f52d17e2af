"""The public free workout page: no account, a printable workout, an optional e-mail opt-in.

The general page is ``/free-workout``; a coach's own is ``/c/{handle}/free-workout``, and an
e-mail left there is that coach's lead (an unknown handle is a 404 and stores nothing).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import StageKind
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import leads, rate_limits, reports
from bumpwise.services.free_workout import FreeWorkoutInput, free_workout
from bumpwise.services.inputs import validated
from bumpwise.services.leads import CoachPageView
from bumpwise.services.principal import Principal
from bumpwise.services.symptoms import stage_choices
from bumpwise.web.deps import Client, Ctx, MaybePageUser, Now, Today
from bumpwise.web.idempotency import FormOnce, Once
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter()
GENERAL = "/free-workout"
COACH_PAGE = "/c/{handle}/free-workout"
PRIVATE_FIELDS = frozenset({"email", "consent"})


def _form_page(
    request: Request,
    user: Principal | None,
    kb: KnowledgeBase,
    coach: CoachPageView | None,
    *,
    form: dict[str, Any],
    status: int = 200,
    error: Exception | None = None,
) -> Response:
    action = GENERAL if coach is None else COACH_PAGE.format(handle=coach.handle)
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
        choices=stage_choices(kb, StageKind.PREGNANT),  # the free workout is for pregnancy
    )


def _workout(
    request: Request,
    user: Principal | None,
    ctx: Ctx,
    coach: CoachPageView | None,
    form: dict[str, Any],
    today: Today,
    now: Now,
    once: Once,
) -> Response:
    def build(uow: UnitOfWork) -> Response:
        result = free_workout(uow, ctx.kb, validated(FreeWorkoutInput, form), today, now, coach)
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
            coach=coach,
        )

    try:
        return once.page(build)
    except InputError as exc:
        return _form_page(request, user, ctx.kb, coach, form=form, status=422, error=exc)


@router.get(GENERAL, response_class=HTMLResponse)
def form_page(request: Request, user: MaybePageUser, ctx: Ctx) -> Response:
    return _form_page(request, user, ctx.kb, None, form={"minutes": "30"})


@router.post(GENERAL, response_class=HTMLResponse)
def workout(
    request: Request, user: MaybePageUser, ctx: Ctx, form: FormData, today: Today, now: Now, once: FormOnce
) -> Response:
    return _workout(request, user, ctx, None, form, today, now, once)


@router.get(COACH_PAGE, response_class=HTMLResponse)
def coach_form_page(request: Request, handle: str, user: MaybePageUser, ctx: Ctx) -> Response:
    return _form_page(request, user, ctx.kb, leads.coach_page(ctx.uow(), handle), form={"minutes": "30"})


@router.post(COACH_PAGE, response_class=HTMLResponse)
def coach_workout(
    request: Request,
    handle: str,
    user: MaybePageUser,
    ctx: Ctx,
    form: FormData,
    today: Today,
    now: Now,
    once: FormOnce,
) -> Response:
    return _workout(request, user, ctx, leads.coach_page(ctx.uow(), handle), form, today, now, once)


@router.post(GENERAL + "/pdf")
def workout_pdf(ctx: Ctx, form: FormData, today: Today, now: Now, client: Client) -> Response:
    """The same workout as a PDF, from the same answers (never the e-mail: no second opt-in).
    Each PDF costs about half a second of CPU, so they are counted per client address."""
    limit = ctx.rules.requests.free_pdfs_per_hour
    rate_limits.count_request(
        ctx.uow(), secret=ctx.rules.secret, action="free-pdf", who=client, limit=limit, now=now
    )
    entry = validated(FreeWorkoutInput, _printable(form))
    result = free_workout(ctx.uow(), ctx.kb, entry, today, now)
    return Response(
        reports.free_workout_pdf(ctx.kb, result.model_dump(mode="json")),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="bumpwise-free-workout.pdf"'},
    )


def _printable(form: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in form.items() if key not in PRIVATE_FIELDS}
