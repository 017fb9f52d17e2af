"""Accounts: sign up, sign in (rate limited across processes), browser sessions and API tokens.

Every secret handed out (session id, API token) is stored as a digest; a stolen database does
not sign anyone in. Failed sign-ins are rows in the database so every app process sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel

from bumpwise.domain.errors import InputError
from bumpwise.persistence.models import ApiToken, LoginAttempt, User, WebSession
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import Conflict, NotFound, RateLimited, Unauthorized
from bumpwise.services.principal import Principal, Role
from bumpwise.services.security import Passwords, digest, new_token

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD, MAX_PASSWORD = 10, 200
TOKEN_PREFIX = "bw_"
TOKEN_TOUCH_INTERVAL = timedelta(hours=1)
IP_LIMIT_FACTOR = 4


@dataclass(frozen=True)
class AccountRules:
    passwords: Passwords
    session_days: int = 14
    attempts_allowed: int = 5
    window_seconds: int = 900
    reset_minutes: int = 60


class UserView(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    created_at: datetime


class TokenView(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class NewToken(BaseModel):
    token: str
    details: TokenView


def user_view(user: User) -> UserView:
    return UserView(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        created_at=user.created_at,
    )


def principal_of(user: User) -> Principal:
    return Principal(user.id, Role(user.role), user.display_name, user.email)


def clean_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InputError("email", "is not an e-mail address")
    return email


def check_password(password: str, field: str = "password") -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(field, f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long")
    return password


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise InputError("display_name", "must be 1 to 80 characters long")
    return name


@unique_race_retried
def sign_up(
    uow: UnitOfWork,
    rules: AccountRules,
    *,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    now: datetime,
) -> Principal:
    if role is Role.ADMIN:
        raise InputError("role", "cannot sign up as admin", [Role.MEMBER.value, Role.COACH.value])
    user = User(
        email=clean_email(email),
        display_name=clean_name(display_name),
        role=role.value,
        password_hash=rules.passwords.hash(check_password(password)),
        created_at=now,
    )
    with uow:
        if uow.accounts.user_by_email(user.email) is not None:
            raise Conflict("an account with this e-mail already exists", "email")
        uow.accounts.add(user)
        uow.commit()
        return principal_of(user)


def authenticate(
    uow: UnitOfWork, rules: AccountRules, *, email: str, password: str, client: str, now: datetime
) -> Principal:
    """The account for these credentials, or Unauthorized; RateLimited after too many failures."""
    email = email.strip().lower()
    email_key, client_key = f"email:{digest(email)}", f"client:{digest(client)}"
    since = now - timedelta(seconds=rules.window_seconds)
    with uow:
        repo = uow.accounts
        if (
            repo.failures_since([email_key], since) >= rules.attempts_allowed
            or repo.failures_since([client_key], since) >= rules.attempts_allowed * IP_LIMIT_FACTOR
        ):
            raise RateLimited(
                "too many failed sign-ins: wait a few minutes and try again", rules.window_seconds
            )
        user = repo.user_by_email(email)
        if user is None:
            rules.passwords.burn()
        if user is None or not rules.passwords.verify(user.password_hash, password):
            repo.forget_failures_before(since)
            repo.add(LoginAttempt(key=email_key, attempted_at=now))
            repo.add(LoginAttempt(key=client_key, attempted_at=now))
            uow.commit()
            raise Unauthorized("the e-mail or password is not right", "password")
        repo.clear_failures(email_key)
        if rules.passwords.needs_rehash(user.password_hash):
            user.password_hash = rules.passwords.hash(password)
        uow.commit()
        return principal_of(user)


def start_web_session(uow: UnitOfWork, rules: AccountRules, user_id: int, now: datetime) -> str:
    token = new_token()
    with uow:
        uow.accounts.add(
            WebSession(
                token_hash=digest(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(days=rules.session_days),
            )
        )
        uow.commit()
    return token


def web_session_principal(uow: UnitOfWork, token: str, now: datetime) -> Principal | None:
    with uow:
        found = uow.accounts.web_session(digest(token), now)
        return None if found is None else principal_of(found[1])


def end_web_session(uow: UnitOfWork, token: str) -> None:
    with uow:
        uow.accounts.delete_web_session(digest(token))
        uow.commit()


def token_view(token: ApiToken) -> TokenView:
    return TokenView(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
    )


def create_api_token(uow: UnitOfWork, principal: Principal, name: str, now: datetime) -> NewToken:
    name = " ".join(name.split()) or "API token"
    if len(name) > 80:
        raise InputError("name", "must be at most 80 characters long")
    raw = TOKEN_PREFIX + new_token()
    row = ApiToken(
        user_id=principal.user_id,
        name=name,
        token_hash=digest(raw),
        prefix=raw[:10],
        created_at=now,
        last_used_at=None,
    )
    with uow:
        uow.accounts.add(row)
        uow.commit()
        return NewToken(token=raw, details=token_view(row))


def api_token_principal(uow: UnitOfWork, raw: str, now: datetime) -> Principal | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    with uow:
        found = uow.accounts.token_owner(digest(raw))
        if found is None:
            return None
        token, user = found
        if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
            token.last_used_at = now
            uow.commit()
        return principal_of(user)


def list_api_tokens(uow: UnitOfWork, principal: Principal) -> list[TokenView]:
    with uow:
        return [token_view(t) for t in uow.accounts.tokens_of(principal.user_id)]


def revoke_api_token(uow: UnitOfWork, principal: Principal, token_id: int) -> None:
    with uow:
        token = uow.accounts.token(token_id)
        if token is None or token.user_id != principal.user_id:
            raise NotFound("no such token", "token_id")
        uow.accounts.delete_token(token)
        uow.commit()


def account(uow: UnitOfWork, principal: Principal) -> UserView:
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound("the account no longer exists")
        return user_view(user)


@unique_race_retried
def update_details(
    uow: UnitOfWork, principal: Principal, *, display_name: str | None, email: str | None
) -> UserView:
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound("the account no longer exists")
        if display_name is not None:
            user.display_name = clean_name(display_name)
        if email is not None and clean_email(email) != user.email:
            if uow.accounts.user_by_email(clean_email(email)) is not None:
                raise Conflict("an account with this e-mail already exists", "email")
            user.email = clean_email(email)
        uow.commit()
        return user_view(user)


def change_password(
    uow: UnitOfWork, rules: AccountRules, principal: Principal, *, current: str, new: str
) -> None:
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None or not rules.passwords.verify(user.password_hash, current):
            raise Unauthorized("the current password is not right", "current_password")
        user.password_hash = rules.passwords.hash(check_password(new, "new_password"))
        uow.commit()
