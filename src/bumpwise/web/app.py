"""The application factory. ``create_app(settings)`` wires settings, database, knowledge base,
templates, middleware, error handlers and routers; importing this module does nothing else."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.middleware.gzip import GZipMiddleware

from bumpwise import __version__, bootstrap
from bumpwise.config import Settings, get_settings
from bumpwise.web import api, errors, pages
from bumpwise.web.api import contract
from bumpwise.web.compression import GZIP_LEVEL, GZIP_MINIMUM_BYTES
from bumpwise.web.context import AppContext
from bumpwise.web.flat_routes import include_flat
from bumpwise.web.input_guard import GuardedRoute
from bumpwise.web.middleware import LanguageScope, RequestSizeLimit, SecurityHeaders
from bumpwise.web.pages.calendar import feed_router as calendar_feed_router
from bumpwise.web.pages.free_workout import confirm_router as free_workout_confirm_router
from bumpwise.web.pages.reminders import link_router as mail_unsubscribe_router
from bumpwise.web.pages.unsubscribe import link_router as unsubscribe_link_router
from bumpwise.web.rendering import make_templates

log = logging.getLogger("bumpwise.web")
OPENAPI_URL = "/api/v1/openapi.json"
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's own OpenTelemetry stays off: it would trace every request (paths hold the ids of
health records) as soon as a provider is set up in the process, and bumpwise sends nothing.
Checking for a provider on every request also cost 2 % of a log write."""


def build_context(settings: Settings) -> AppContext:
    """The composition root's parts (``bumpwise.bootstrap``) plus the web app's templates."""
    parts = bootstrap.build(settings)
    templates = make_templates(parts.knowledge)
    return AppContext(
        parts.settings,
        parts.knowledge,
        parts.engine,
        parts.session_factory,
        parts.rules,
        parts.deliver,
        parts.jobs,
        templates,
    )


def lifespan_of(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """While the app runs: the thread pool that runs the sync routes bounded (CPU-bound Python in 40
    threads on two cores only adds GIL contention and queueing: perf-anchors.md, pitfall 3); on
    PostgreSQL, the event loop's own connections open (persistence.loop_connections)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        ctx: AppContext = app.state.ctx
        connections = ctx.loop_connections
        if connections is None:
            yield
            return
        connections.start()
        try:
            yield
        finally:
            await connections.close()

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
        lifespan=lifespan_of(settings.worker_threads),
        telemetry=NO_TELEMETRY,
    )
    app.router.route_class = GuardedRoute
    app.state.ctx = build_context(settings)
    errors.install(app)
    include_flat(app, api.ROUTERS, prefix=api.PREFIX, operation_id=contract.operation_id)
    contract.install(app)
    include_flat(app, pages.ROUTERS, dependencies=pages.GUARDS, include_in_schema=False)
    include_flat(
        app,
        (calendar_feed_router, unsubscribe_link_router, mail_unsubscribe_router, free_workout_confirm_router),
    )
    static = Path(str(files("bumpwise.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    # Pages, JSON and the CSS go compressed to a browser that asks (Accept-Encoding: gzip).
    app.add_middleware(LanguageScope)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(
        RequestSizeLimit,
        max_bytes=settings.max_request_bytes,
        larger={"/coach/library/upload": settings.max_import_bytes},
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` (``bumpwise serve``, once in each worker): the settings come from
    ``BUMPWISE_*``."""
    app = create_app(get_settings())
    settle_garbage_collector()
    return app


YOUNGEST_GENERATION_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation (Python's default is 700)."""


def settle_garbage_collector() -> None:
    """For a serving process, once its long-lived parts are built: they (the knowledge base, the
    templates; about 190,000 objects) leave the collector's sight, and the youngest generation is
    collected every 10,000 allocations instead of 700. Full collections scan every tracked object;
    at 100,000 members, with the parsed-plan cache on (about 960 objects a plan), they paused a
    worker for 250-500 ms every few hundred requests, the whole p99 of a member's page. With this
    they came about ten times less often (bench/README.md, issue 18); with that cache off as well
    (services.plan_cache says why), a worker ran none in 8,000 random members' pages. Not for
    tests, which build many apps in one process."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)
