"""A file the services drew (PDF, .ics, CSV, JSON), sent as a download; shared by pages and API."""

from __future__ import annotations

from fastapi.responses import Response

from bumpwise.services.reports import Download
from bumpwise.web.context import AppContext

PRINTED_LINK_PATH = "/today"


def attachment(download: Download) -> Response:
    return Response(
        download.body,
        media_type=download.media_type,
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )


def leads_csv_download(text: str) -> Response:
    """A coach's leads as CSV (the same file from the page and the API)."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="bumpwise-leads.csv"'},
    )


def printed_link(ctx: AppContext) -> str:
    """The app's address printed on PDFs, so a printout leads back to today's plan."""
    return ctx.settings.base_url.rstrip("/") + PRINTED_LINK_PATH
