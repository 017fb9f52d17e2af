"""The guided session player (``/today/play``) and what makes the app installable and usable
offline: the web app manifest, the service worker (served from the site root so that its scope
is the whole site) and the list of files it keeps for this week."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bumpwise.services import player
from bumpwise.services.errors import NotFound
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.rendering import page

router = APIRouter()
STATIC = files("bumpwise.web") / "static"
NO_CACHE = {"cache-control": "no-cache"}


@router.get(player.PLAYER_PATH, response_class=HTMLResponse)
def play(
    request: Request,
    user: PageUser,
    ctx: Ctx,
    day: Today,
    now: Now,
    session: Annotated[int, Query(ge=0, le=9, description="Which of today's sessions, from 0")] = 0,
) -> Response:
    try:
        view = player.player(ctx.uow(), ctx.kb, user, day, now, session)
    except NotFound as exc:
        if exc.field == "profile":
            return RedirectResponse("/onboarding", status_code=303)
        return page(request, user, "error.html", status=404, message=exc.message)
    return page(request, user, "member/player.html", view=view, reader_stage=view.header.stage_kind)


@router.get(player.PLAYER_PATH + "/offline.json")
def offline_files(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    """The URLs the service worker keeps for training without a connection this week."""
    try:
        urls = player.offline_files(ctx.uow(), ctx.kb, user, day, now)
    except NotFound:
        urls = list(player.OFFLINE_PAGES[:1])
    return JSONResponse({"week_of": day.isoformat(), "urls": urls})


@router.get("/sw.js")
def service_worker() -> Response:
    body = (STATIC / "sw.js").read_bytes()
    return Response(body, media_type="text/javascript", headers=NO_CACHE)


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    body = (STATIC / "manifest.webmanifest").read_bytes()
    return Response(body, media_type="application/manifest+json")
