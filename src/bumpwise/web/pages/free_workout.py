"""The public free workout page: no account, a printable workout, an optional e-mail opt-in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import StageKind
from bumpwise.services import reports
from bumpwise.services.free_workout import FreeWorkoutInput, free_workout
from bumpwise.services.inputs import validated
from bumpwise.services.leads import CONSENT_TEXT
from bumpwise.services.symptoms import stage_choices
from bumpwise.web.deps import Ctx, MaybePageUser, Now, Today
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter(prefix="/free-workout")
PRIVATE_FIELDS = frozenset({"email", "consent"})


@router.get("", response_class=HTMLResponse)
def form_page(request: Request, user: MaybePageUser, ctx: Ctx) -> Response:
    return page(
        request,
        user,
        "free/form.html",
        form={"minutes": "30"},
        error=None,
        consent_text=CONSENT_TEXT,
        choices=stage_choices(ctx.kb, StageKind.PREGNANT),  # the free workout is for pregnancy
    )


@router.post("", response_class=HTMLResponse)
def workout(
    request: Request, user: MaybePageUser, ctx: Ctx, form: FormData, today: Today, now: Now
) -> Response:
    try:
        result = free_workout(ctx.uow(), ctx.kb, validated(FreeWorkoutInput, form), today, now)
    except InputError as exc:
        return page(
            request,
            user,
            "free/form.html",
            status=422,
            form=form,
            error=exc,
            consent_text=CONSENT_TEXT,
            choices=stage_choices(ctx.kb, StageKind.PREGNANT),  # the free workout is for pregnancy
        )
    return page(request, user, "free/workout.html", result=result, today=today, form=_printable(form))


@router.post("/pdf")
def workout_pdf(ctx: Ctx, form: FormData, today: Today, now: Now) -> Response:
    """The same workout as a PDF, from the same answers (never the e-mail: no second opt-in)."""
    entry = validated(FreeWorkoutInput, _printable(form))
    result = free_workout(ctx.uow(), ctx.kb, entry, today, now)
    return Response(
        reports.free_workout_pdf(ctx.kb, result.model_dump(mode="json")),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="bumpwise-free-workout.pdf"'},
    )


def _printable(form: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in form.items() if key not in PRIVATE_FIELDS}
