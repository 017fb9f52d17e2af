"""Accounts: sign up, sign in (rate limited across processes), browser sessions and API tokens.

Every secret handed out (session id, API token) is stored as a digest; a stolen database does
not sign anyone in. Failed sign-ins are rows in the database so every app process sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import BaseModel

from bumpwise.adapters.security import Passwords, digest, new_token
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.domain.locale import parse_locale
from bumpwise.persistence.models import ApiToken, User, WebSession
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import signin_limits
from bumpwise.services.errors import Conflict, NotFound, Unauthorized
from bumpwise.services.password_policy import check_password
from bumpwise.services.principal import Principal, Role
from bumpwise.services.rate_limits import RequestLimits
from bumpwise.services.signin_limits import SigninKeys, SigninLimits
from bumpwise.services.views import view_of

__all__ = ["check_password"]

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TOKEN_PREFIX = "bw_"
TOKEN_TOUCH_INTERVAL = timedelta(hours=1)
SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
SESSION_ID_LENGTH = 16
USER_AGENT_LENGTH = 120


@dataclass(frozen=True)
class TokenLifetime:
    """API tokens live ``default_days`` unless the owner chooses, and never past ``max_days``."""

    default_days: int = 30
    max_days: int = 365

    def expiry(self, days: int | None, now: datetime) -> datetime:
        chosen = self.default_days if days is None else days
        if not 1 <= chosen <= self.max_days:
            raise InputError("expires_in_days", _("must be 1 to %(max)s days", max=self.max_days))
        return now + timedelta(days=chosen)


@dataclass(frozen=True)
class AccountRules:
    passwords: Passwords
    secret: str = ""
    """The server secret: keys the HMACs of e-mails and addresses in sign-in and request limits."""
    session_hours: int = 12
    idle_minutes: int = 30
    tokens: TokenLifetime = TokenLifetime()
    signin: SigninLimits = field(default_factory=SigninLimits)
    requests: RequestLimits = field(default_factory=RequestLimits)
    reset_minutes: int = 60

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)


class UserView(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    created_at: datetime
    email_verified_at: datetime | None = None
    """When the owner proved they read this address's mail (a link sent to it); None until then."""
    language: str | None = None
    """The language chosen for pages, messages and e-mails; None: the browser's, then English."""


class TokenView(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


class NewToken(BaseModel):
    token: str
    details: TokenView


class SessionView(BaseModel):
    """A signed-in browser, as its owner sees it in the list of sessions."""

    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str
    current: bool


def user_view(user: User) -> UserView:
    return view_of(UserView, user)


def principal_of(user: User) -> Principal:
    return Principal(user.id, Role(user.role), user.display_name, user.email, user.language)


def clean_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InputError("email", N_("is not an e-mail address"))
    return email


def clean_language(language: str) -> str | None:
    """A supported language's code, or None for ``auto`` or an empty choice (follow the browser);
    anything else is an InputError naming ``language`` and the allowed codes."""
    if language.strip().lower() in ("", "auto"):
        return None
    return parse_locale(language, "language").code


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise InputError("display_name", N_("must be 1 to 80 characters long"))
    return name


SIGN_UP_ROLES = [Role.MEMBER.value]


@unique_race_retried
def sign_up(
    uow: UnitOfWork,
    rules: AccountRules,
    *,
    email: str,
    password: str,
    display_name: str,
    now: datetime,
    role: str = Role.MEMBER.value,
) -> Principal:
    """A member account. Coaches are invited by an admin (``services.vetting``), never self-made."""
    if role != Role.MEMBER.value:
        raise InputError("role", N_("sign-up makes member accounts; an admin invites coaches"), SIGN_UP_ROLES)
    user = new_user(
        rules, email=email, password=password, display_name=display_name, role=Role.MEMBER, now=now
    )
    with uow:
        add_new_user(uow, user)
        uow.commit()
        return principal_of(user)


def new_user(
    rules: AccountRules, *, email: str, password: str, display_name: str, role: Role, now: datetime
) -> User:
    """A checked, not yet stored account row."""
    email, display_name = clean_email(email), clean_name(display_name)
    return User(
        email=email,
        display_name=display_name,
        role=role.value,
        password_hash=rules.passwords.hash(check_password(password, context=(email, display_name))),
        created_at=now,
    )


def add_new_user(uow: UnitOfWork, user: User) -> None:
    """Store the row inside an open unit of work, unless its e-mail already has an account."""
    if uow.accounts.user_by_email(user.email) is not None:
        raise Conflict(N_("an account with this e-mail already exists"), "email")
    uow.accounts.add(user)


def authenticate(
    uow: UnitOfWork,
    rules: AccountRules,
    *,
    email: str,
    password: str,
    client: str,
    now: datetime,
    device: str | None = None,
) -> Principal:
    """The account for these credentials, or Unauthorized; RateLimited while guesses are limited
    (see ``signin_limits``: only the guesser's own e-mail and address pair is ever refused, and
    ``device``, the proof of a browser that signed in before, skips the slow-downs)."""
    email = email.strip().lower()
    keys = SigninKeys.of(rules.secret, email, client)
    known = signin_limits.is_known_device(rules.secret, email, device, now)
    with uow:
        repo = uow.accounts
        signin_limits.check_allowed(repo, rules.signin, keys, now, known_device=known)
        user = repo.user_by_email(email)
        if user is None:
            rules.passwords.burn()
        if user is None or not rules.passwords.verify(user.password_hash, password):
            signin_limits.record_failure(repo, rules.signin, keys, None if user is None else user.id, now)
            uow.commit()
            raise Unauthorized(N_("the e-mail or password is not right"), "password")
        signin_limits.record_success(repo, keys)
        if rules.passwords.needs_rehash(user.password_hash):
            user.password_hash = rules.passwords.hash(password)
        uow.commit()
        return principal_of(user)


def start_web_session(
    uow: UnitOfWork, rules: AccountRules, user_id: int, now: datetime, user_agent: str = ""
) -> str:
    token = new_token()
    with uow:
        uow.accounts.forget_sessions_before(now)
        uow.accounts.add(
            WebSession(
                token_hash=digest(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(hours=rules.session_hours),
                last_seen_at=now,
                user_agent=user_agent[:USER_AGENT_LENGTH],
            )
        )
        uow.commit()
    return token


def web_session_principal(
    uow: UnitOfWork, token: str, now: datetime, *, idle: timedelta = timedelta(minutes=30)
) -> Principal | None:
    """The signed-in account, unless the session ended, expired or was idle longer than ``idle``."""
    token_hash = digest(token)
    with uow:
        found = uow.accounts.session_caller(token_hash, now)
        if found is None:
            return None
        last_seen_at, user_id, role, name, email, language = found
        if now - last_seen_at >= idle:
            uow.accounts.delete_web_session(token_hash)
            uow.commit()
            return None
        if now - last_seen_at >= SESSION_TOUCH_INTERVAL:
            uow.not_durable()  # a stamp lost to a power cut only ends an idle session sooner
            uow.accounts.touch_web_session(token_hash, now)
            uow.commit()
        return Principal(user_id, Role(role), name, email, language)


def end_web_session(uow: UnitOfWork, token: str) -> None:
    with uow:
        uow.accounts.delete_web_session(digest(token))
        uow.commit()


def session_view(session: WebSession, current_hash: str | None) -> SessionView:
    return SessionView(
        id=session.token_hash[:SESSION_ID_LENGTH],
        created_at=session.created_at,
        last_seen_at=session.last_seen_at,
        expires_at=session.expires_at,
        user_agent=session.user_agent,
        current=session.token_hash == current_hash,
    )


def list_web_sessions(
    uow: UnitOfWork, principal: Principal, now: datetime, current: str | None = None
) -> list[SessionView]:
    """The account's signed-in browsers; ``current`` is this browser's session token, if any."""
    current_hash = None if current is None else digest(current)
    with uow:
        return [session_view(s, current_hash) for s in uow.accounts.web_sessions_of(principal.user_id, now)]


def end_web_session_by_id(uow: UnitOfWork, principal: Principal, session_id: str, now: datetime) -> None:
    with uow:
        for session in uow.accounts.web_sessions_of(principal.user_id, now):
            if session.token_hash[:SESSION_ID_LENGTH] == session_id:
                uow.accounts.delete_web_session(session.token_hash)
                uow.commit()
                return
    raise NotFound(N_("no such session"), "session_id")


def sign_out_everywhere(uow: UnitOfWork, principal: Principal) -> None:
    """End every browser session and every API token of the account, the caller's own included."""
    with uow:
        uow.accounts.delete_web_sessions_of(principal.user_id)
        uow.accounts.delete_tokens_of(principal.user_id)
        uow.commit()


def token_view(token: ApiToken) -> TokenView:
    return view_of(TokenView, token)


def clean_token_name(name: str) -> str:
    name = " ".join(name.split()) or "API token"
    if len(name) > 80:
        raise InputError("name", N_("must be at most 80 characters long"))
    return name


def create_api_token(
    uow: UnitOfWork,
    principal: Principal,
    name: str,
    now: datetime,
    *,
    days: int | None = None,
    lifetime: TokenLifetime = TokenLifetime(),
) -> NewToken:
    """A new personal access token, shown once; it expires after ``days`` (default and maximum
    from ``lifetime``)."""
    raw = TOKEN_PREFIX + new_token()
    row = ApiToken(
        user_id=principal.user_id,
        name=clean_token_name(name),
        token_hash=digest(raw),
        prefix=raw[:10],
        created_at=now,
        last_used_at=None,
        expires_at=lifetime.expiry(days, now),
    )
    with uow:
        uow.accounts.add(row)
        uow.commit()
        return NewToken(token=raw, details=token_view(row))


def token_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a token's use at ``now`` is to be recorded: never recorded, or over an hour ago."""
    return last_used_at is None or now - last_used_at > TOKEN_TOUCH_INTERVAL


def api_token_principal(uow: UnitOfWork, raw: str, now: datetime) -> Principal | None:
    """The token's owner, unless the token is unknown, revoked or expired."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    with uow:
        found = uow.accounts.token_caller(digest(raw))
        if found is None:
            return None
        token_id, expires_at, last_used_at, user_id, role, name, email, language = found
        if expires_at <= now:
            return None
        if token_use_due(last_used_at, now):
            uow.not_durable()  # a stamp lost to a power cut only shows the token's last use older
            uow.accounts.touch_token(token_id, now)
            uow.commit()
        return Principal(user_id, Role(role), name, email, language)


def api_token_id(uow: UnitOfWork, raw: str) -> int | None:
    with uow:
        found = uow.accounts.token_owner(digest(raw))
        return None if found is None else found[0].id


def list_api_tokens(uow: UnitOfWork, principal: Principal) -> list[TokenView]:
    with uow:
        return [token_view(t) for t in uow.accounts.tokens_of(principal.user_id)]


def revoke_api_token(uow: UnitOfWork, principal: Principal, token_id: int) -> None:
    with uow:
        token = uow.accounts.token(token_id)
        if token is None or token.user_id != principal.user_id:
            raise NotFound(N_("no such token"), "token_id")
        uow.accounts.delete_token(token)
        uow.commit()


def account(uow: UnitOfWork, principal: Principal) -> UserView:
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound(N_("the account no longer exists"))
        return user_view(user)


@unique_race_retried
def update_details(
    uow: UnitOfWork, principal: Principal, *, display_name: str | None, language: str | None = None
) -> UserView:
    """The display name and the language (an empty one: follow the browser); the e-mail changes
    only through ``email_change`` (password and link)."""
    chosen = clean_language(language) if language is not None else None
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound(N_("the account no longer exists"))
        if display_name is not None:
            user.display_name = clean_name(display_name)
        if language is not None:
            user.language = chosen
        uow.commit()
        return user_view(user)


@dataclass(frozen=True)
class Credential:
    """The credential a request came with: a browser session token or an API token."""

    session_token: str | None = None
    api_token: str | None = None


def change_password(
    uow: UnitOfWork,
    rules: AccountRules,
    principal: Principal,
    *,
    current: str,
    new: str,
    keep: Credential = Credential(),
) -> None:
    """Set a new password and end every other session and token of the account: only the
    credential the change was made with (``keep``) stays signed in."""
    keep_token = None if keep.api_token is None else api_token_id(uow, keep.api_token)
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None or not rules.passwords.verify(user.password_hash, current):
            raise Unauthorized(N_("the current password is not right"), "current_password")
        check_password(new, "new_password", context=(user.email, user.display_name))
        user.password_hash = rules.passwords.hash(new)
        keep_session = None if keep.session_token is None else digest(keep.session_token)
        uow.accounts.delete_web_sessions_of(user.id, keep=keep_session)
        uow.accounts.delete_tokens_of(user.id, keep=keep_token)
        uow.accounts.delete_resets_of(user.id)
        uow.commit()
