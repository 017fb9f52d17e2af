"""Sign up, get a personal access token, reset a password, confirm an e-mail address or a new e-mail."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from bumpwise.services import accounts, email_change, email_verification, password_reset, registration
from bumpwise.services.accounts import NewToken, UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Role
from bumpwise.services.registration import NewAccount, SignedUp
from bumpwise.web.api.contract import raises
from bumpwise.web.deps import Client, Ctx, Now
from bumpwise.web.idempotency import AnonymousApiOnce

router = APIRouter(prefix="/auth", tags=["auth"])


class SignUp(StrictInput):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    display_name: str = Field(max_length=80)
    role: str = Field(default=Role.MEMBER.value, max_length=20, description="only `member`")
    coach_invitation: str | None = Field(
        default=None, max_length=200, description="an admin's coach invitation: the account is a coach"
    )
    token_name: str = Field(default="API token", max_length=80)

    def new_account(self) -> NewAccount:
        return NewAccount(self.email, self.password, self.display_name, self.role, self.coach_invitation)


class Credentials(StrictInput):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    name: str = Field(default="API token", max_length=80)
    expires_in_days: int | None = Field(
        default=None, description="token lifetime; default and maximum set by the server (30 and 365)"
    )


class ResetRequest(StrictInput):
    email: str = Field(max_length=254)


class ResetConfirm(StrictInput):
    token: str = Field(max_length=200)
    password: str = Field(max_length=200)


class EmailConfirm(StrictInput):
    token: str = Field(max_length=500)


class Accepted(BaseModel):
    status: str


@router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=SignedUp)
def sign_up(body: SignUp, ctx: Ctx, now: Now, client: Client, once: AnonymousApiOnce) -> Response:
    """Make a member account (or, with an admin's `coach_invitation` for this e-mail, a coach
    account) and a first token, stored together (with a key, once). A taken e-mail gets an answer
    of the same shape (with a token that was never stored) and its owner an e-mail: the answer
    never says which."""
    return once.json(
        lambda uow: registration.register_with_token(
            uow,
            ctx.rules,
            body.new_account(),
            ctx.mail_links,
            token_name=body.token_name,
            client=client,
            now=now,
        )
    )


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=NewToken, responses=raises(401))
def create_token(body: Credentials, ctx: Ctx, now: Now, client: Client, once: AnonymousApiOnce) -> Response:
    """Exchange an e-mail and password for a new token (limited like the sign-in page)."""
    principal = accounts.authenticate(
        ctx.uow(), ctx.rules, email=body.email, password=body.password, client=client, now=now
    )
    return once.json(
        lambda uow: accounts.create_api_token(
            uow, principal, body.name, now, days=body.expires_in_days, lifetime=ctx.rules.tokens
        )
    )


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
def request_reset(body: ResetRequest, ctx: Ctx, now: Now, client: Client) -> Accepted:
    password_reset.request_reset(
        ctx.uow(), ctx.rules, ctx.mail_links, email=body.email, now=now, client=client
    )
    return Accepted(status="if the account exists, a reset link has been sent")


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT, responses=raises(404))
def confirm_reset(body: ResetConfirm, ctx: Ctx, now: Now) -> None:
    """Set the new password; every session and API token of the account ends."""
    password_reset.reset_password(ctx.uow(), ctx.rules, token=body.token, password=body.password, now=now)


@router.post("/email-change/confirm", responses=raises(404))
def confirm_email_change(body: EmailConfirm, ctx: Ctx, now: Now) -> UserView:
    """Apply a new e-mail with the link sent to it (see ``PATCH /api/v1/me``); the new address
    counts as confirmed."""
    return email_change.confirm_email_change(ctx.uow(), ctx.rules, body.token, now)


@router.post("/email-verification/confirm", responses=raises(404))
def confirm_email(body: EmailConfirm, ctx: Ctx, now: Now) -> UserView:
    """Confirm the account's address with the token of the link mailed at sign-up (or sent again
    with ``POST /api/v1/me/email/verification``). Works once, within 48 hours."""
    return email_verification.confirm_email(ctx.uow(), ctx.rules, body.token, now)
