"""The admin's page: accounts and their roles, and coach invitations. No health data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import admin, vetting
from bumpwise.services.principal import Principal, Role
from bumpwise.services.vetting import NewInvitation
from bumpwise.web.deps import Ctx, Now, PageUser
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import Offset, RowId
from bumpwise.web.rendering import page

router = APIRouter(prefix="/admin")
PAGE_SIZE = 100


def admin_page(
    request: Request,
    user: Principal,
    ctx: Ctx,
    now: Now,
    *,
    offset: Offset = 0,
    status: int = 200,
    error: Exception | None = None,
    invitation: NewInvitation | None = None,
) -> Response:
    users = admin.list_users(ctx.uow(), user, limit=PAGE_SIZE, offset=offset)
    return page(
        request,
        user,
        "admin/admin.html",
        status=status,
        error=error,
        users=users,
        offset=offset,
        page_size=PAGE_SIZE,
        roles=[r.value for r in Role],
        invitations=vetting.open_invitations(ctx.uow(), user, now),
        invitation=invitation,
        invitation_days=vetting.INVITATION_DAYS,
    )


@router.get("", response_class=HTMLResponse)
def admin_home(request: Request, user: PageUser, ctx: Ctx, now: Now, offset: Offset = 0) -> Response:
    return admin_page(request, user, ctx, now, offset=max(offset, 0))


@router.post("/coach-invitations", response_class=HTMLResponse)
def invite_coach(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    """The link shows on this answer only; it is also mailed to the address."""
    try:
        sent = vetting.invite_coach(
            ctx.uow(),
            user,
            email=str(form.get("email", "")),
            base_url=ctx.settings.base_url,
            deliver=ctx.deliver,
            now=now,
        )
    except InputError as exc:
        return admin_page(request, user, ctx, now, status=422, error=exc)
    return admin_page(request, user, ctx, now, invitation=sent)


@router.post("/coach-invitations/{invitation_id}/withdraw")
def withdraw(invitation_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    vetting.withdraw_invitation(ctx.uow(), user, invitation_id)
    return RedirectResponse("/admin?notice=saved#invitations", status_code=303)


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def set_role(
    request: Request, user_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now
) -> Response:
    try:
        admin.set_role(ctx.uow(), user, user_id, str(form.get("role", "")), now)
    except InputError as exc:
        return admin_page(request, user, ctx, now, status=422, error=exc)
    return RedirectResponse("/admin?notice=saved#accounts", status_code=303)
