"""The weekly summary and the downloads (PDF, .ics, CSV, JSON), for the member and for a coach's
client. Who may see what is decided by ``services.reports`` (through ``clients.client_access``)."""

from __future__ import annotations

from collections.abc import Callable
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


MEMBER_FILES = {
    "week.pdf": Export.WEEK_PDF,
    "week.ics": Export.PLAN_ICS,
    "logs.csv": Export.SESSIONS_CSV,
    "symptoms.csv": Export.SYMPTOMS_CSV,
    "logs.json": Export.LOGS_JSON,
}
"""The member's downloads that take no options (``summary.pdf`` and ``today.pdf`` take some)."""


def _member_file(export: Export) -> Callable[..., Response]:
    def download(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
        return _member_download(user, ctx, day, now, export)

    return download


for _name, _export in MEMBER_FILES.items():
    router.add_api_route(f"/{_name}", _member_file(_export), methods=["GET"], name=f"member {_name}")


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


CLIENT_FILES = {
    "week.pdf": Export.WEEK_PDF,
    "logs.csv": Export.SESSIONS_CSV,
    "symptoms.csv": Export.SYMPTOMS_CSV,
    "logs.json": Export.LOGS_JSON,
}
"""A coach's downloads of a client's data that take no options (``summary.pdf`` takes weeks)."""


def _client_file(export: Export) -> Callable[..., Response]:
    def download(member_id: RowId, user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
        return _client_download(member_id, user, ctx, day, now, export)

    return download


for _name, _export in CLIENT_FILES.items():
    router.add_api_route(
        f"/coach/clients/{{member_id}}/{_name}",
        _client_file(_export),
        methods=["GET"],
        name=f"client {_name}",
    )
