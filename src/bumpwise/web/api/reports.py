"""The weekly summary as JSON, and the downloads (PDF, .ics, CSV, JSON files): the member's own,
and a client's for a coach holding the grant (every such read audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Query, Response

from bumpwise.services import reports
from bumpwise.services.reports import Export
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.downloads import attachment, printed_link
from bumpwise.web.params import RowId

router = APIRouter(tags=["summary"])
Weeks = Annotated[
    int, Query(ge=reports.MIN_WEEKS, le=reports.MAX_WEEKS, description="this week and the ones before it")
]
Index = Annotated[int, Query(alias="session", ge=0, le=9, description="which of the day's sessions")]


@router.get("/me/summary")
def my_summary(
    user: ApiUser, ctx: Ctx, today: Today, now: Now, weeks: Weeks = reports.MIN_WEEKS
) -> Mapping[str, object]:
    """Moderate minutes, strength sessions, pelvic floor days, thigh balance, effort, adherence and
    symptoms, week by week."""
    return reports.summary(ctx.uow(), ctx.kb, user, today, now, weeks=weeks).as_dict()


@router.get("/coach/clients/{member_id}/summary")
def client_summary(
    member_id: RowId, user: ApiUser, ctx: Ctx, today: Today, now: Now, weeks: Weeks = reports.MIN_WEEKS
) -> Mapping[str, object]:
    """A client's weekly summary; the read is written to the client's audit log."""
    return reports.summary(ctx.uow(), ctx.kb, user, today, now, weeks=weeks, member_id=member_id).as_dict()


@router.get("/me/exports/{export}", response_class=Response)
def my_export(
    export: Export, user: ApiUser, ctx: Ctx, today: Today, now: Now, weeks: Weeks = 4, index: Index = 0
) -> Response:
    """A file of your own: today's session or this week as PDF, the summary PDF (``weeks``), the
    plan as iCalendar, session logs and symptoms as CSV, or both as JSON."""
    download = reports.download(
        ctx.uow(), ctx.kb, user, export, today, now, weeks=weeks, index=index, link=printed_link(ctx)
    )
    return attachment(download)


@router.get("/coach/clients/{member_id}/exports/{export}", response_class=Response)
def client_export(
    member_id: RowId,
    export: Export,
    user: ApiUser,
    ctx: Ctx,
    today: Today,
    now: Now,
    weeks: Weeks = 4,
    index: Index = 0,
) -> Response:
    """The same files for a client; each download is written to the client's audit log."""
    download = reports.download(
        ctx.uow(),
        ctx.kb,
        user,
        export,
        today,
        now,
        member_id=member_id,
        weeks=weeks,
        index=index,
        link=printed_link(ctx),
    )
    return attachment(download)
