"""Symptom check-ins: a warning sign stops the session and holds the plan until resolved."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from bumpwise.services import symptoms
from bumpwise.services.symptoms import CheckInInput, CheckInResult
from bumpwise.services.views import ReportView
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.idempotency import ApiOnce
from bumpwise.web.params import RowId

router = APIRouter(prefix="/me/symptoms", tags=["symptoms"])


@router.get("")
def list_reports(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[ReportView]:
    """The member's check-ins, newest first."""
    limit, offset = paging.window()
    return paging.of_fetched(symptoms.list_reports(ctx.uow(), ctx.kb, user, limit=limit, offset=offset))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CheckInResult)
def check_in(body: CheckInInput, user: ApiUser, ctx: Ctx, now: Now, once: ApiOnce) -> Response:
    return once.json(lambda uow: symptoms.check_in(uow, ctx.kb, user, body, now))


@router.post("/{report_id}/resolve")
def resolve(report_id: RowId, user: ApiUser, ctx: Ctx, now: Now) -> ReportView:
    """The warning sign has been checked by a professional and resolved: the plan resumes."""
    return symptoms.resolve_warning(ctx.uow(), ctx.kb, user, report_id, now)
