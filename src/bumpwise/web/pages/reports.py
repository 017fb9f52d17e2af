"""The weekly summary and the downloads (PDF, .ics, CSV, JSON), for the member and for a coach's
client. Who may see what is decided by ``services.reports`` (through ``clients.client_access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypedDict

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bumpwise.exports.summary import Summary, SummaryJson
from bumpwise.services import reports
from bumpwise.services.errors import NotFound
from bumpwise.services.reports import Export
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.downloads import attachment, printed_link
from bumpwise.web.pages.member import needs_onboarding
from bumpwise.web.params import RowId
from bumpwise.web.rendering import page

if TYPE_CHECKING:  # the charts (and pygal) are imported when a summary is drawn
    from bumpwise.exports.charts import ChartView

router = APIRouter()
Weeks = Annotated[int, Query(ge=reports.MIN_WEEKS, le=reports.MAX_WEEKS)]
Index = Annotated[int, Query(alias="session", ge=0, le=9)]
WEEK_CHOICES = tuple(range(reports.MIN_WEEKS, reports.MAX_WEEKS + 1))


class SummaryContext(TypedDict):
    summary: SummaryJson
    charts: list[ChartView]
    weeks: int
    week_choices: tuple[int, ...]


def summary_context(summary: Summary, weeks: int) -> SummaryContext:
    """The summary as the page shows it: its JSON, and each chart as an <img> data URI and a table."""
    from bumpwise.exports.charts import summary_charts
    from bumpwise.exports.pdf import chart_view

    return {
        "summary": summary.as_dict(),
        "charts": [chart_view(c) for c in summary_charts(summary)],
        "weeks": weeks,
        "week_choices": WEEK_CHOICES,
    }


# --- the member -----------------------------------------------------------------------------


@router.get("/summary", response_class=HTMLResponse)
def member_summary(
    request: Request, user: PageUser, ctx: Ctx, day: Today, now: Now, weeks: Weeks = reports.MIN_WEEKS
) -> Response:
    try:
        summary = reports.summary(ctx.uow(), ctx.kb, user, day, now, weeks=weeks)
    except NotFound as exc:
        if (onboarding := needs_onboarding(exc)) is not None:
            return onboarding
        raise
    return page(
        request, user, "reports/summary.html", base="", member_id=None, **summary_context(summary, weeks)
    )


def _member_download(
    user: PageUser, ctx: Ctx, day: Today, now: Now, export: Export, weeks: int = 4, index: int = 0
) -> Response:
    download = reports.download(
        ctx.uow(), ctx.kb, user, export, day, now, weeks=weeks, index=index, link=printed_link(ctx)
    )
    return attachment(download)


@router.get("/summary.pdf")
def member_summary_pdf(user: PageUser, ctx: Ctx, day: Today, now: Now, weeks: Weeks = 4) -> Response:
    return _member_download(user, ctx, day, now, Export.SUMMARY_PDF, weeks=weeks)


@router.get("/today.pdf")
def today_pdf(user: PageUser, ctx: Ctx, day: Today, now: Now, index: Index = 0) -> Response:
    return _member_download(user, ctx, day, now, Export.TODAY_PDF, index=index)


@router.get("/week.pdf")
def week_pdf(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _member_download(user, ctx, day, now, Export.WEEK_PDF)


@router.get("/week.ics")
def week_ics(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _member_download(user, ctx, day, now, Export.PLAN_ICS)


@router.get("/logs.csv")
def logs_csv(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _member_download(user, ctx, day, now, Export.SESSIONS_CSV)


@router.get("/symptoms.csv")
def symptoms_csv(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _member_download(user, ctx, day, now, Export.SYMPTOMS_CSV)


@router.get("/logs.json")
def logs_json(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _member_download(user, ctx, day, now, Export.LOGS_JSON)


# --- a coach's client -----------------------------------------------------------------------


@router.get("/coach/clients/{member_id}/summary", response_class=HTMLResponse)
def client_summary(
    request: Request, member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now, weeks: Weeks = 4
) -> Response:
    summary = reports.summary(ctx.uow(), ctx.kb, user, day, now, weeks=weeks, member_id=member_id)
    base = f"/coach/clients/{member_id}"
    return page(
        request,
        user,
        "reports/summary.html",
        base=base,
        member_id=member_id,
        **summary_context(summary, weeks),
    )


def _client_download(
    member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now, export: Export, weeks: int = 4
) -> Response:
    download = reports.download(
        ctx.uow(), ctx.kb, user, export, day, now, member_id=member_id, weeks=weeks, link=printed_link(ctx)
    )
    return attachment(download)


@router.get("/coach/clients/{member_id}/summary.pdf")
def client_summary_pdf(
    member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now, weeks: Weeks = 4
) -> Response:
    return _client_download(member_id, user, ctx, day, now, Export.SUMMARY_PDF, weeks=weeks)


@router.get("/coach/clients/{member_id}/week.pdf")
def client_week_pdf(member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _client_download(member_id, user, ctx, day, now, Export.WEEK_PDF)


@router.get("/coach/clients/{member_id}/logs.csv")
def client_logs_csv(member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _client_download(member_id, user, ctx, day, now, Export.SESSIONS_CSV)


@router.get("/coach/clients/{member_id}/symptoms.csv")
def client_symptoms_csv(member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _client_download(member_id, user, ctx, day, now, Export.SYMPTOMS_CSV)


@router.get("/coach/clients/{member_id}/logs.json")
def client_logs_json(member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    return _client_download(member_id, user, ctx, day, now, Export.LOGS_JSON)
