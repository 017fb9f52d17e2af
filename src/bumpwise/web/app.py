"""The application factory. ``create_app(settings)`` wires settings, database, knowledge base,
templates, middleware, error handlers and routers; importing this module does nothing else."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bumpwise import __version__
from bumpwise.config import Settings, get_settings
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.db import make_engine, make_session_factory
from bumpwise.services.accounts import AccountRules, TokenLifetime
from bumpwise.services.mail import mailer
from bumpwise.services.rate_limits import RequestLimits
from bumpwise.services.security import Passwords
from bumpwise.services.signin_limits import SigninLimits
from bumpwise.web import errors
from bumpwise.web.api import api_router
from bumpwise.web.context import AppContext
from bumpwise.web.middleware import RequestSizeLimit, SecurityHeaders
from bumpwise.web.pages import pages_router
from bumpwise.web.pages.calendar import feed_router as calendar_feed_router
from bumpwise.web.rendering import make_templates

log = logging.getLogger("bumpwise.web")
OPENAPI_URL = "/api/v1/openapi.json"


def build_context(settings: Settings) -> AppContext:
    kb = default_knowledge()
    engine = make_engine(settings)
    rules = account_rules(settings)
    return AppContext(
        settings=settings,
        kb=kb,
        engine=engine,
        session_factory=make_session_factory(engine),
        rules=rules,
        deliver=mailer(settings),
        templates=make_templates(kb),
    )


def account_rules(settings: Settings) -> AccountRules:
    return AccountRules(
        passwords=Passwords(cheap=settings.cheap_password_hashing),
        secret=settings.secret_key,
        session_hours=settings.session_hours,
        idle_minutes=settings.session_idle_minutes,
        tokens=TokenLifetime(settings.token_days, settings.token_days_max),
        signin=SigninLimits(
            pair_allowed=settings.login_attempts_allowed,
            window_seconds=settings.login_window_seconds,
            slowdown_email=settings.login_slowdown_email,
            slowdown_client=settings.login_slowdown_client,
            slowdown_seconds=settings.login_slowdown_seconds,
        ),
        requests=RequestLimits(
            signups_per_hour=settings.signups_per_hour,
            reset_requests_per_hour=settings.reset_requests_per_hour,
            free_pdfs_per_hour=settings.free_pdfs_per_hour,
        ),
        reset_minutes=settings.reset_link_minutes,
    )


def thread_limit(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Bound the thread pool that runs the sync routes: CPU-bound Python in 40 threads on two cores
    only adds GIL contention and queueing (perf-anchors.md, pitfall 3)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def create_app(settings: Settings) -> FastAPI:
    if settings.migrate_on_start:
        from bumpwise.persistence.migrate import upgrade

        upgrade(settings.database_url)
    app = FastAPI(
        title="bumpwise",
        version=__version__,
        summary="Safe, balanced, stage-aware exercise for pregnancy and after birth.",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=thread_limit(settings.worker_threads),
    )
    app.state.ctx = build_context(settings)
    errors.install(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(calendar_feed_router)
    static = Path(str(files("bumpwise.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory``: the settings come from ``BUMPWISE_*``."""
    return create_app(get_settings())
