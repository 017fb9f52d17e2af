"""Unsubscribe from free-workout e-mails.

``/unsubscribe/{token}``: a page with one button, and its POST deletes the lead. The POST needs no
session or CSRF token (the token in the path is the credential) so that mail clients can use it
as an RFC 8058 one-click unsubscribe (``List-Unsubscribe-Post: List-Unsubscribe=One-Click``).
``/unsubscribe``: a form that mails fresh links to an address, with the same answer whether or
not the address is a lead.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import leads
from bumpwise.web.deps import Ctx, MaybePageUser
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter(prefix="/unsubscribe")
link_router = APIRouter(prefix="/unsubscribe/{lead_token}", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def request_form(request: Request, user: MaybePageUser) -> Response:
    return page(request, user, "free/unsubscribe_request.html", form={}, error=None)


@router.post("", response_class=HTMLResponse)
def request_links(request: Request, user: MaybePageUser, ctx: Ctx, form: FormData) -> Response:
    try:
        leads.send_unsubscribe_links(
            ctx.uow(), email=str(form.get("email", "")), base_url=ctx.settings.base_url, deliver=ctx.deliver
        )
    except InputError as exc:
        return page(request, user, "free/unsubscribe_request.html", status=422, form=form, error=exc)
    return RedirectResponse("/unsubscribe?notice=unsubscribe-sent", status_code=303)


@link_router.get("", response_class=HTMLResponse)
def confirm_page(request: Request, lead_token: str, user: MaybePageUser, ctx: Ctx) -> Response:
    lead = leads.lead_for_unsubscribe(ctx.uow(), lead_token)
    return page(request, user, "free/unsubscribe.html", token=lead_token, lead=lead, done=False)


@link_router.post("", response_class=HTMLResponse)
def unsubscribe(request: Request, lead_token: str, user: MaybePageUser, ctx: Ctx) -> Response:
    leads.unsubscribe(ctx.uow(), lead_token)
    return page(request, user, "free/unsubscribe.html", token=lead_token, lead=None, done=True)
