"""Sign up, get a personal access token, reset a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field

from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, password_reset, vetting
from bumpwise.services.accounts import NewToken, UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Principal, Role
from bumpwise.web.deps import Ctx, Now, client_address
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


class SignedUp(BaseModel):
    user: UserView
    token: NewToken


class Credentials(StrictInput):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    name: str = Field(default="API token", max_length=80)


class ResetRequest(StrictInput):
    email: str = Field(max_length=254)


class ResetConfirm(StrictInput):
    token: str = Field(max_length=200)
    password: str = Field(max_length=200)


class Accepted(BaseModel):
    status: str


@router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=SignedUp)
def sign_up(body: SignUp, ctx: Ctx, now: Now, once: AnonymousApiOnce) -> Response:
    """A member account, or with an admin's `coach_invitation` for this e-mail a coach account;
    the account and its first token are stored together (with a key, once)."""
    return once.json(lambda uow: _sign_up(uow, ctx, body, now))


def _sign_up(uow: UnitOfWork, ctx: Ctx, body: SignUp, now: Now) -> SignedUp:
    principal = _new_account(uow, body, ctx, now)
    token = accounts.create_api_token(uow, principal, body.token_name, now)
    return SignedUp(user=accounts.account(uow, principal), token=token)


def _new_account(uow: UnitOfWork, body: SignUp, ctx: Ctx, now: Now) -> Principal:
    if body.coach_invitation is None or body.role != Role.MEMBER.value:
        return accounts.sign_up(
            uow,
            ctx.rules,
            email=body.email,
            password=body.password,
            display_name=body.display_name,
            role=body.role,
            now=now,
        )
    return vetting.sign_up_as_coach(
        uow,
        ctx.rules,
        invitation=body.coach_invitation,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        now=now,
    )


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=NewToken)
def create_token(
    body: Credentials,
    ctx: Ctx,
    now: Now,
    client: Annotated[str, Depends(client_address)],
    once: AnonymousApiOnce,
) -> Response:
    """Exchange an e-mail and password for a new token (rate limited like the sign-in page)."""
    principal = accounts.authenticate(
        ctx.uow(), ctx.rules, email=body.email, password=body.password, client=client, now=now
    )
    return once.json(lambda uow: accounts.create_api_token(uow, principal, body.name, now))


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
def request_reset(body: ResetRequest, ctx: Ctx, now: Now) -> Accepted:
    password_reset.request_reset(
        ctx.uow(), ctx.rules, email=body.email, base_url=ctx.settings.base_url, deliver=ctx.deliver, now=now
    )
    return Accepted(status="if the account exists, a reset link has been sent")


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_reset(body: ResetConfirm, ctx: Ctx, now: Now) -> None:
    password_reset.reset_password(ctx.uow(), ctx.rules, token=body.token, password=body.password, now=now)
