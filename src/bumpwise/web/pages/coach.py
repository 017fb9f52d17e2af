"""The coach's pages: roster, client detail with swaps, invites, leads and imported exercises."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import clients, coach_articles, coaching, imports, leads
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from bumpwise.web.deps import Ctx, Now, PageUser, Today
from bumpwise.web.downloads import leads_csv_download
from bumpwise.web.idempotency import FormOnce
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import Offset, RowId
from bumpwise.web.rendering import page

router = APIRouter(prefix="/coach")


@router.get("", response_class=HTMLResponse)
def roster(
    request: Request, user: PageUser, ctx: Ctx, today: Today, now: Now, offset: Offset = 0
) -> Response:
    view = clients.roster(ctx.uow(), ctx.kb, user, today, now, offset=offset)
    invites = coaching.list_invites(ctx.uow(), user, now)
    handle = leads.own_page(ctx.uow(), user, now).handle
    free_workout_link = str(request.base_url).rstrip("/") + f"/c/{handle}/free-workout"
    return page(
        request,
        user,
        "coach/roster.html",
        roster=view,
        invites=invites,
        site=ctx.settings.base_url.rstrip("/"),
        free_workout_link=free_workout_link,
        public_page=f"/c/{handle}",
        leads=leads.page_leads(ctx.uow(), user),
    )


@router.post("/invites")
def create_invite(user: PageUser, ctx: Ctx, now: Now, once: FormOnce) -> Response:
    def invite(uow: UnitOfWork) -> Response:
        coaching.create_invite(uow, user, now)
        return RedirectResponse("/coach?notice=invite#invites", status_code=303)

    return once.page(invite)


def _client_page(
    request: Request,
    user: Principal,
    ctx: Ctx,
    member_id: RowId,
    today: Today,
    now: Now,
    *,
    status: int = 200,
    error: Exception | None = None,
    form: Mapping[str, object] | None = None,
) -> Response:
    detail = clients.client_detail(ctx.uow(), ctx.kb, user, member_id, today, now)
    pending = len(imports.list_imports(ctx.uow(), user, pending_only=True))
    return page(
        request,
        user,
        "coach/client.html",
        status=status,
        detail=detail,
        error=error,
        form=form or {},
        pending_imports=pending,
        shareable=coach_articles.shareable(ctx.uow(), user),
        # the articles linked are the ones written for the client's stage
        reader_stage=detail.header.stage_kind if detail.header else None,
        reader_birth=detail.header.delivery if detail.header else None,
    )


@router.get("/clients/{member_id}", response_class=HTMLResponse)
def client(request: Request, member_id: RowId, user: PageUser, ctx: Ctx, today: Today, now: Now) -> Response:
    return _client_page(request, user, ctx, member_id, today, now)


@router.post("/clients/{member_id}/swaps", response_class=HTMLResponse)
def add_swap(
    request: Request,
    member_id: RowId,
    user: PageUser,
    ctx: Ctx,
    form: FormData,
    today: Today,
    now: Now,
    once: FormOnce,
) -> Response:
    def swap(uow: UnitOfWork) -> Response:
        clients.add_swap(uow, ctx.kb, user, member_id, validated(clients.SwapInput, form), today, now)
        return RedirectResponse(f"/coach/clients/{member_id}?notice=swapped#swaps", status_code=303)

    try:
        return once.page(swap)
    except InputError as exc:
        return _client_page(request, user, ctx, member_id, today, now, status=422, error=exc, form=form)


@router.post("/clients/{member_id}/swaps/{swap_id}/remove")
def remove_swap(member_id: RowId, swap_id: RowId, user: PageUser, ctx: Ctx, now: Now) -> Response:
    clients.remove_swap(ctx.uow(), user, member_id, swap_id, now)
    return RedirectResponse(f"/coach/clients/{member_id}?notice=unswapped#swaps", status_code=303)


@router.get("/leads.csv")
def leads_csv(user: PageUser, ctx: Ctx) -> Response:
    return leads_csv_download(leads.leads_csv(ctx.uow(), user))


@router.get("/imports", response_class=HTMLResponse)
def pending_imports(request: Request, user: PageUser, ctx: Ctx) -> Response:
    rows = imports.list_imports(ctx.uow(), user, pending_only=True)
    done = [r for r in imports.list_imports(ctx.uow(), user, pending_only=False) if not r.review_needed]
    return page(request, user, "coach/imports.html", rows=rows, confirmed=done, error=None)


@router.post("/imports/{import_id}/confirm", response_class=HTMLResponse)
def confirm_import(
    request: Request, import_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now
) -> Response:
    values = {
        "position": form.get("position", ""),
        "impact": form.get("impact", ""),
        **{
            flag: form.get(flag) == "yes"
            for flag in ("asymmetric_lower_body", "wide_stance", "spinal_flexion")
        },
    }
    try:
        imports.confirm_import(ctx.uow(), user, import_id, validated(imports.ConfirmInput, values), now)
    except InputError as exc:
        rows = imports.list_imports(ctx.uow(), user, pending_only=True)
        return page(request, user, "coach/imports.html", status=422, rows=rows, confirmed=[], error=exc)
    return RedirectResponse("/coach/imports?notice=confirmed", status_code=303)
