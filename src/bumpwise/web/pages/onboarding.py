"""Onboarding: dates, activity, equipment and time; then the screening questions; then the result."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import Delivery, StageKind
from bumpwise.services import profiles
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import ScreeningQuestions, equipment_choices, screening_questions
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter(prefix="/onboarding")
DEFAULT_DETAILS: dict[str, object] = {
    "stage_kind": "pregnant",
    "activity_level": "active",
    "days_per_week": 4,
    "minutes_per_session": 30,
    "equipment": [],
}


def _current(ctx: Ctx, user: Principal, today: Today) -> profiles.ProfileView | None:
    try:
        return profiles.profile_view(ctx.uow(), user, today)
    except NotFound:
        return None


def _questions(ctx: Ctx, current: profiles.ProfileView | None) -> ScreeningQuestions:
    """The screening of the member's stage, in its words (of pregnancy before the dates are known)."""
    if current is None:
        return screening_questions(ctx.kb, StageKind.PREGNANT)
    delivery = Delivery(current.delivery) if current.delivery else None
    return screening_questions(ctx.kb, StageKind(current.stage_kind), delivery)


@router.get("", response_class=HTMLResponse)
def details_form(request: Request, user: PageUser, ctx: Ctx, today: Today) -> Response:
    require_role(user, Role.MEMBER)
    current = _current(ctx, user, today)
    form = current.model_dump(mode="json") if current else DEFAULT_DETAILS
    return _details_page(request, user, ctx, form)


@router.post("", response_class=HTMLResponse)
def save_details(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    try:
        profiles.save_details(ctx.uow(), ctx.kb, user, validated(profiles.DetailsInput, form), now)
    except InputError as exc:
        return _details_page(request, user, ctx, form, status=422, error=exc)
    return RedirectResponse("/onboarding/screening", status_code=303)


def _details_page(
    request: Request,
    user: Principal,
    ctx: Ctx,
    form: Mapping[str, object],
    status: int = 200,
    error: InputError | None = None,
) -> Response:
    equipment = equipment_choices(ctx.kb)
    return page(request, user, "onboarding/details.html", status, form=form, error=error, equipment=equipment)


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request, user: PageUser, ctx: Ctx, today: Today) -> Response:
    current = _current(ctx, user, today)
    if current is None:
        return RedirectResponse("/onboarding", status_code=303)
    form = {
        "conditions": current.conditions,
        "provider_cleared": current.provider_cleared,
        "passed_tests": [t for t, ok in current.return_to_running_tests.items() if ok],
    }
    return page(
        request,
        user,
        "onboarding/screening.html",
        form=form,
        error=None,
        questions=_questions(ctx, current),
    )


@router.post("/screening", response_class=HTMLResponse)
def save_screening(
    request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now, today: Today
) -> Response:
    answers: dict[str, object] = {k: v for k, v in form.items() if k != "passed_tests"}
    if form.get("running_tests_answered"):
        answers.pop("running_tests_answered")
        passed = set(form.get("passed_tests", []))
        answers["return_to_running_tests"] = {t: t in passed for t in ctx.kb.running_tests}
    try:
        profiles.save_screening(ctx.uow(), ctx.kb, user, validated(profiles.ScreeningInput, answers), now)
    except InputError as exc:
        current = _current(ctx, user, today)
        return page(
            request,
            user,
            "onboarding/screening.html",
            status=422,
            form=form,
            error=exc,
            questions=_questions(ctx, current),
        )
    return RedirectResponse("/onboarding/result", status_code=303)


@router.get("/result", response_class=HTMLResponse)
def result(request: Request, user: PageUser, ctx: Ctx, today: Today) -> Response:
    try:
        screening = profiles.screening_result(ctx.uow(), ctx.kb, user, today)
    except NotFound:
        return RedirectResponse("/onboarding", status_code=303)
    return page(request, user, "onboarding/result.html", result=screening)
