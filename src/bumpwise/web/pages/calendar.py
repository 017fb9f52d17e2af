"""The private calendar subscription: turned on, replaced or off from the account page, and the
feed itself at a secret address (no session, no CSRF: the token in the path is the credential)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bumpwise.services import calendar
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.pages.account import account_page

router = APIRouter(prefix="/account/calendar")
feed_router = APIRouter(include_in_schema=False)


@router.post("")
def issue(request: Request, user: PageUser, ctx: Ctx, now: Now) -> Response:
    """A new private address (any earlier one stops working), shown once."""
    token = calendar.issue_feed(ctx.uow(), user, now)
    url = str(request.base_url).rstrip("/") + calendar.feed_path(token)
    return account_page(request, user, ctx, calendar_url=url)


@router.post("/revoke")
def revoke(user: PageUser, ctx: Ctx) -> Response:
    calendar.revoke_feed(ctx.uow(), user)
    return RedirectResponse("/account?notice=calendar-off#calendar", status_code=303)


@feed_router.get(calendar.FEED_PATH)
def feed(token: str, ctx: Ctx, day: Today, now: Now) -> Response:
    return Response(
        calendar.feed(ctx.uow(), ctx.kb, token, day, now),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="bumpwise.ics"',
        },
    )
