"""The signed-in account: details, password, tokens, export and deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import Field

from bumpwise.services import account_data, accounts
from bumpwise.services.accounts import TokenView, UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.params import RowId

router = APIRouter(prefix="/me", tags=["account"])


class DetailsUpdate(StrictInput):
    display_name: str | None = Field(default=None, max_length=80)
    email: str | None = Field(default=None, max_length=254)


class PasswordChange(StrictInput):
    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class PasswordConfirm(StrictInput):
    password: str = Field(max_length=200)


@router.get("")
def read_account(user: ApiUser, ctx: Ctx) -> UserView:
    return accounts.account(ctx.uow(), user)


@router.patch("")
def update_account(body: DetailsUpdate, user: ApiUser, ctx: Ctx) -> UserView:
    return accounts.update_details(ctx.uow(), user, display_name=body.display_name, email=body.email)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, user: ApiUser, ctx: Ctx) -> None:
    accounts.change_password(ctx.uow(), ctx.rules, user, current=body.current_password, new=body.new_password)


@router.get("/tokens")
def list_tokens(user: ApiUser, ctx: Ctx) -> list[TokenView]:
    return accounts.list_api_tokens(ctx.uow(), user)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: RowId, user: ApiUser, ctx: Ctx) -> None:
    accounts.revoke_api_token(ctx.uow(), user, token_id)


@router.get("/export")
def export(user: ApiUser, ctx: Ctx, now: Now) -> dict[str, Any]:
    """Everything stored about this account, as one JSON document."""
    return account_data.export_account(ctx.uow(), user, now)


@router.post("/delete", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(body: PasswordConfirm, user: ApiUser, ctx: Ctx) -> None:
    """Delete the account and all of its health data. Needs the password."""
    account_data.delete_account(ctx.uow(), ctx.rules, user, password=body.password)
