"""The signed-in account: details, e-mail, password, sessions and tokens, export and deletion."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import Field

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.services import account_data, accounts, email_change, email_verification
from bumpwise.services.accounts import Credential, SessionView, TokenView, UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.web.api.auth import Accepted
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, BearerToken, Client, Ctx, Now
from bumpwise.web.params import RowId

router = APIRouter(prefix="/me", tags=["account"])


class DetailsUpdate(StrictInput):
    display_name: str | None = Field(default=None, max_length=80)
    language: str | None = Field(
        default=None,
        max_length=8,
        description="a supported language code; auto or empty: follow Accept-Language",
    )
    email: str | None = Field(
        default=None, max_length=254, description="changes only once the link sent to it is opened"
    )
    current_password: str | None = Field(
        default=None, max_length=200, description="needed to change the e-mail"
    )


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
    """Change the display name at once; a new e-mail needs ``current_password`` and is applied when
    the link sent to it is opened (the answer is the same whether or not the address is taken)."""
    if body.email is not None:
        if body.current_password is None:
            raise InputError("current_password", N_("is required to change the e-mail"))
        email_change.request_email_change(
            ctx.uow(), ctx.rules, user, ctx.mail_links, new_email=body.email, password=body.current_password
        )
    return accounts.update_details(ctx.uow(), user, display_name=body.display_name, language=body.language)


@router.post("/email/verification", status_code=status.HTTP_202_ACCEPTED)
def resend_verification(user: ApiUser, ctx: Ctx, now: Now, client: Client) -> Accepted:
    """Mail the link that confirms the account's address again (limited like reset requests);
    409 once the address is confirmed. ``email_verified_at`` in ``GET /api/v1/me`` tells."""
    email_verification.resend_confirmation(ctx.uow(), ctx.rules, user, ctx.mail_links, now=now, client=client)
    return Accepted(status="a confirmation link has been sent to the account's e-mail")


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, user: ApiUser, ctx: Ctx, token: BearerToken) -> None:
    """Set a new password. Every browser session and every other API token ends; the token this
    request came with stays valid."""
    accounts.change_password(
        ctx.uow(),
        ctx.rules,
        user,
        current=body.current_password,
        new=body.new_password,
        keep=Credential(api_token=token),
    )


@router.get("/sessions")
def list_sessions(user: ApiUser, ctx: Ctx, now: Now, paging: Pages) -> Page[SessionView]:
    """The account's signed-in browsers (API tokens are at ``/me/tokens``)."""
    return paging.of_all(accounts.list_web_sessions(ctx.uow(), user, now))


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session(session_id: str, user: ApiUser, ctx: Ctx, now: Now) -> None:
    accounts.end_web_session_by_id(ctx.uow(), user, session_id, now)


@router.post("/sign-out-everywhere", status_code=status.HTTP_204_NO_CONTENT)
def sign_out_everywhere(user: ApiUser, ctx: Ctx) -> None:
    """End every browser session and every API token of the account, this request's token too."""
    accounts.sign_out_everywhere(ctx.uow(), user)


@router.get("/tokens")
def list_tokens(user: ApiUser, ctx: Ctx, paging: Pages) -> Page[TokenView]:
    return paging.of_all(accounts.list_api_tokens(ctx.uow(), user))


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: RowId, user: ApiUser, ctx: Ctx) -> None:
    accounts.revoke_api_token(ctx.uow(), user, token_id)


@router.get("/export")
def export(user: ApiUser, ctx: Ctx, now: Now) -> account_data.AccountExport:
    """Everything stored about this account, as one JSON document."""
    return account_data.export_account(ctx.uow(), user, now)


@router.post("/delete", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(body: PasswordConfirm, user: ApiUser, ctx: Ctx) -> None:
    """Delete the account and all of its health data. Needs the password."""
    account_data.delete_account(ctx.uow(), ctx.rules, user, password=body.password)
