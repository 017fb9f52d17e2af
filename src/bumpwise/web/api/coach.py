"""The coach's API: roster, client detail, swaps, invites and the free-workout leads."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from bumpwise.services import clients, coaching, leads
from bumpwise.services.clients import ClientDetail, RosterRow, SwapInput, SwapView
from bumpwise.services.coaching import InviteView
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.downloads import leads_csv_download
from bumpwise.web.idempotency import ApiOnce
from bumpwise.web.params import RowId

router = APIRouter(prefix="/coach", tags=["coach"])


@router.get("/clients")
def roster(user: ApiUser, ctx: Ctx, today: Today, now: Now, paging: Pages) -> Page[RosterRow]:
    """The coach's clients by name; each read is written to that client's audit log."""
    found = clients.roster(ctx.uow(), ctx.kb, user, today, now, offset=paging.offset, limit=paging.limit)
    return paging.page(found.clients, more=paging.offset + paging.limit < found.total)


@router.get("/clients/{member_id}")
def client_detail(member_id: RowId, user: ApiUser, ctx: Ctx, today: Today, now: Now) -> ClientDetail:
    return clients.client_detail(ctx.uow(), ctx.kb, user, member_id, today, now)


@router.post("/clients/{member_id}/swaps", status_code=status.HTTP_201_CREATED, response_model=SwapView)
def add_swap(
    member_id: RowId, body: SwapInput, user: ApiUser, ctx: Ctx, today: Today, now: Now, once: ApiOnce
) -> Response:
    """Swap an exercise in the client's plan; 422 with the rules' reasons when it is excluded."""
    return once.json(lambda uow: clients.add_swap(uow, ctx.kb, user, member_id, body, today, now))


@router.delete("/clients/{member_id}/swaps/{swap_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_swap(member_id: RowId, swap_id: RowId, user: ApiUser, ctx: Ctx, now: Now) -> None:
    clients.remove_swap(ctx.uow(), user, member_id, swap_id, now)


@router.get("/invites")
def list_invites(user: ApiUser, ctx: Ctx, now: Now, paging: Pages) -> Page[InviteView]:
    return paging.of_all(coaching.list_invites(ctx.uow(), user, now))


@router.post("/invites", status_code=status.HTTP_201_CREATED, response_model=InviteView)
def create_invite(user: ApiUser, ctx: Ctx, now: Now, once: ApiOnce) -> Response:
    return once.json(lambda uow: coaching.create_invite(uow, user, now))


@router.get("/leads.csv", response_class=Response)
def leads_csv(user: ApiUser, ctx: Ctx) -> Response:
    return leads_csv_download(leads.leads_csv(ctx.uow(), user))
