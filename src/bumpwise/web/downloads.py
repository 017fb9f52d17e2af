"""A file the services drew (PDF, .ics, CSV, JSON), sent as a download; shared by pages and API."""

from __future__ import annotations

from fastapi.responses import Response

from bumpwise.services.reports import Download


def attachment(download: Download) -> Response:
    return Response(
        download.body,
        media_type=download.media_type,
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )
