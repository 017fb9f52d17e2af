"""`bumpwise serve`, `seed-demo` and `db upgrade`: the web app and its database (issue 5).

The wiring comes from ``bumpwise.bootstrap``; only ``serve`` names the web app, for uvicorn to
start. The web stack and the database are imported inside the commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError

db_app = typer.Typer(help="The database: migrations and stored plans.", no_args_is_help=True)

WEB_APP_FACTORY = "bumpwise.web.app:app_from_environment"


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database named by BUMPWISE_DATABASE_URL to the latest schema."""
    from bumpwise.bootstrap import settings_from_environment
    from bumpwise.persistence.migrate import upgrade

    settings = settings_from_environment()
    upgrade(settings.database_url)
    typer.echo(_("database is up to date: %(url)s", url=shown_url(settings.database_url)))


@db_app.command("refresh-plans")
def db_refresh_plans(
    batch: Annotated[int, typer.Option("--batch", min=1, help="members read and refreshed together")] = 200,
) -> None:
    """Rebuild every stored plan whose inputs changed (a new stage week, a knowledge update), so no
    page view pays for it: run daily just after midnight and after each upgrade."""
    from datetime import UTC, date, datetime

    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.services.plans import refresh_stored_plans

    parts = build(settings_from_environment())
    try:
        done = refresh_stored_plans(parts.uow, parts.kb, date.today(), datetime.now(UTC), batch=batch)
    finally:
        parts.engine.dispose()
    typer.echo(
        _(
            "%(checked)s members checked, %(rebuilt)s plans rebuilt",
            checked=done.checked,
            rebuilt=done.rebuilt,
        )
    )


def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="comma-separated proxy addresses or networks whose X-Forwarded-For is believed "
            "(sets BUMPWISE_TRUSTED_PROXIES; default: none, the connecting address is the client)",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="processes serving requests (about one per core); they share only the database, "
            "each keeps its own cache of parsed plans",
        ),
    ] = 1,
) -> None:
    """Run the web app and API (migrates the database first)."""
    import os

    from bumpwise.bootstrap import settings_from_environment
    from bumpwise.config import get_settings
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.serving import serve as run_server

    if forwarded_allow_ips is not None:
        os.environ["BUMPWISE_TRUSTED_PROXIES"] = forwarded_allow_ips
        get_settings.cache_clear()
    settings = settings_from_environment()
    upgrade(settings.database_url)
    typer.echo(f"bumpwise on http://{host}:{port}  (database: {shown_url(settings.database_url)})")
    run_server(WEB_APP_FACTORY, host, port, workers)


def seed_demo() -> None:
    """Add a demo coach and three demo members (development only) and print their logins."""
    from datetime import UTC, datetime

    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services.demo import seed_demo as seed

    settings = settings_from_environment()
    if not settings.relaxed:
        raise InputError("BUMPWISE_ENV", N_("demo accounts have a public password: seed only in development"))
    upgrade(settings.database_url)
    parts = build(settings)
    logins = seed(parts.uow(), parts.kb, parts.rules, datetime.now(UTC))
    typer.echo(_("Demo logins (password for all: %(password)s):", password=logins[0].password))
    for login in logins:
        typer.echo(f"  {login.role:<7} {login.email:<22} {login.who}")


def shown_url(url: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
