"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.services.principal import Role
from bumpwise.web.deps import MaybePageUser
from bumpwise.web.rendering import page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: MaybePageUser) -> Response:
    if user is not None:
        start = {Role.COACH: "/coach", Role.ADMIN: "/admin"}.get(user.role, "/today")
        return RedirectResponse(start, status_code=303)
    return page(request, user, "home.html")
