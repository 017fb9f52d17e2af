"""FastAPI dependencies shared by the API and the pages: context, unit of work, clock, caller.

Who the caller is gets decided here only (Bearer token for the API, session cookie for the
pages); what they may do is decided by the services, never in a route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Literal, TypedDict, TypeVar

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from bumpwise.domain.catalog import N_
from bumpwise.domain.locale import supported_languages, use_language
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, signin_limits
from bumpwise.services.errors import Unauthorized
from bumpwise.services.principal import Principal
from bumpwise.services.rendered import Caller, token_caller, token_caller_on_the_loop
from bumpwise.web import csrf
from bumpwise.web.context import AppContext
from bumpwise.web.proxies import client_host

T = TypeVar("T")


class LoginRequired(Exception):
    """A page needs a signed-in user: the handler redirects to the sign-in page."""


def app_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


async def get_ctx(request: Request) -> AppContext:
    return app_context(request)


Ctx = Annotated[AppContext, Depends(get_ctx)]


async def get_uow(ctx: Ctx) -> UnitOfWork:
    return ctx.uow()


async def get_today() -> date:
    return date.today()


async def get_now() -> datetime:
    return datetime.now(UTC)


Uow = Annotated[UnitOfWork, Depends(get_uow)]
Today = Annotated[date, Depends(get_today)]
Now = Annotated[datetime, Depends(get_now)]
bearer = HTTPBearer(auto_error=False, description="A personal access token: `Authorization: Bearer bw_...`")


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(
    ctx: AppContext, credentials: HTTPAuthorizationCredentials | None, now: datetime
) -> Principal:
    """The token's owner, or ``Unauthorized``. Blocking (a database read): call it from a thread."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(N_("send a personal access token: Authorization: Bearer <token>"), "Authorization")
    principal = accounts.api_token_principal(ctx.uow(), credentials.credentials, now)
    if principal is None:
        raise Unauthorized(N_("the token is unknown or revoked"), "Authorization")
    return with_language(principal)


def with_language(principal: Principal) -> Principal:
    """The account's chosen language replaces the browser's for the rest of the request."""
    if principal.language and principal.language in supported_languages():
        use_language(principal.language)
    return principal


async def read_caller(ctx: AppContext, read: Callable[[], T]) -> T:
    """The one read of a caller (persistence.callers), or what is made from it. On SQLite (an
    indexed lookup in a local file, tens of microseconds) it runs on the event loop, as a hop to
    the thread pool costs more than the read; a server database may make it wait on the network,
    so there it runs in the thread pool, in one hop with the reads that arrive with it
    (persistence.together)."""
    if ctx.callers.blocks_long:
        value: T = await ctx.caller_reads.run(read)
        return value
    return read()


async def api_principal(ctx: Ctx, now: Now, credentials: BearerCredentials) -> Principal:
    """The token's owner: from the one read when checking the token needs no write (its last use
    was stamped within the hour), else the full check (``authenticate``) in the thread pool."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        caller = await _token_caller(ctx, credentials.credentials, now)
        if caller is not None:
            return with_language(caller.principal)
    return await run_in_threadpool(authenticate, ctx, credentials, now)


async def _token_caller(ctx: AppContext, token: str, now: datetime) -> Caller | None:
    """The token's one read: on PostgreSQL while the app runs, on the event loop's own connections
    (persistence.loop_connections: no thread hop); else as ``read_caller`` runs it."""
    connections = ctx.loop_connections
    if connections is not None and connections.here:
        return await token_caller_on_the_loop(ctx.callers, connections, token, now)
    return await read_caller(ctx, lambda: token_caller(ctx.callers, token, now))


ApiUser = Annotated[Principal, Depends(api_principal)]


def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str | None:
    return None if credentials is None else credentials.credentials


BearerToken = Annotated[str | None, Depends(bearer_token)]


def session_cookie(ctx: AppContext) -> str:
    return "__Host-bw_session" if ctx.settings.secure_cookies else "bw_session"


def optional_page_principal(request: Request, ctx: Ctx, now: Now) -> Principal | None:
    token = request.cookies.get(session_cookie(ctx))
    if not token:
        return None
    principal = accounts.web_session_principal(ctx.uow(), token, now, idle=ctx.rules.idle)
    return None if principal is None else with_language(principal)


def page_principal(principal: Annotated[Principal | None, Depends(optional_page_principal)]) -> Principal:
    if principal is None:
        raise LoginRequired
    return principal


MaybePageUser = Annotated[Principal | None, Depends(optional_page_principal)]
PageUser = Annotated[Principal, Depends(page_principal)]


async def csrf_protect(request: Request, ctx: Ctx) -> AsyncIterator[None]:
    """Router-level guard for every page route: unsafe methods need a valid CSRF token. The form
    it read is closed afterwards, uploaded files too, even when a later check refuses the request."""
    await csrf.verify(request, ctx)
    try:
        yield
    finally:
        await request.close()


async def client_address(request: Request, ctx: Ctx) -> str:
    """The caller's address; ``X-Forwarded-For`` counts only from ``BUMPWISE_TRUSTED_PROXIES``."""
    peer = request.client.host if request.client else None
    return client_host(peer, request.headers.get("x-forwarded-for"), ctx.settings.proxy_networks)


Client = Annotated[str, Depends(client_address)]


def session_token(request: Request, ctx: Ctx) -> str | None:
    return request.cookies.get(session_cookie(ctx))


def set_session_cookie(response: Response, ctx: AppContext, token: str) -> None:
    lifetime = ctx.rules.session_hours * 3600
    response.set_cookie(session_cookie(ctx), token, max_age=lifetime, **_cookie_rules(ctx))


def device_cookie(ctx: AppContext) -> str:
    return "__Host-bw_device" if ctx.settings.secure_cookies else "bw_device"


def set_device_cookie(response: Response, ctx: AppContext, proof: str) -> None:
    """Marks a browser the account signed in from, so sign-in slow-downs spare it (signin_limits)."""
    lifetime = signin_limits.DEVICE_DAYS * 86400
    response.set_cookie(device_cookie(ctx), proof, max_age=lifetime, **_cookie_rules(ctx))


def clear_session_cookie(response: Response, ctx: AppContext) -> None:
    """Delete the cookie with the attributes it was set with: a browser keeps a ``__Host-``
    cookie whose deletion lacks ``Secure`` or ``Path=/``."""
    response.delete_cookie(session_cookie(ctx), **_cookie_rules(ctx))


def _cookie_rules(ctx: AppContext) -> CookieRules:
    return {"httponly": True, "samesite": "lax", "secure": ctx.settings.secure_cookies, "path": "/"}


class CookieRules(TypedDict):
    httponly: bool
    samesite: Literal["lax"]
    secure: bool
    path: str
