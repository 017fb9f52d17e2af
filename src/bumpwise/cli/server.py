"""`bumpwise serve`, `seed-demo` and `db upgrade`: the web app and its database (issue 5).

The wiring comes from ``bumpwise.bootstrap``; only ``serve`` names the web app, for uvicorn to
start. The web stack and the database are imported inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from bumpwise.config import INLINE_QUEUE, Settings
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


@db_app.command("backup")
def db_backup(
    out: Annotated[Path, typer.Option("--out", help="the backup file to write (replaced if it exists)")],
) -> None:
    """Back up the database named by BUMPWISE_DATABASE_URL: SQLite's online backup, or pg_dump's
    custom format for PostgreSQL. Safe while the server runs."""
    from bumpwise.bootstrap import settings_from_environment
    from bumpwise.persistence import backup

    settings = settings_from_environment()
    _backup_step(lambda: backup.backup(settings.database_url, out))
    counts = backup.table_counts(settings.database_url)
    typer.echo(f"backed up {shown_url(settings.database_url)} to {out}: {_rows(counts)}")


@db_app.command("restore")
def db_restore(
    source: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="a file written by `bumpwise db backup`")
    ],
) -> None:
    """Restore a backup into the EMPTY database named by BUMPWISE_DATABASE_URL, then bring it to
    the latest schema. All or nothing: a failed restore leaves the database empty."""
    from bumpwise.bootstrap import settings_from_environment
    from bumpwise.persistence import backup
    from bumpwise.persistence.migrate import upgrade

    settings = settings_from_environment()
    _backup_step(lambda: backup.restore(source, settings.database_url))
    upgrade(settings.database_url)
    counts = backup.table_counts(settings.database_url)
    typer.echo(f"restored {source} into {shown_url(settings.database_url)}: {_rows(counts)}")


def _backup_step(step: Callable[[], None]) -> None:
    from bumpwise.persistence.backup import BackupError

    try:
        step()
    except BackupError as exc:
        raise InputError("BUMPWISE_DATABASE_URL", str(exc)) from None


def _rows(counts: dict[str, int]) -> str:
    return f"{len(counts)} tables, {sum(counts.values())} rows"


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
    with _queue_worked_here(settings):
        run_server(WEB_APP_FACTORY, host, port, workers)


@contextmanager
def _queue_worked_here(settings: Settings) -> Iterator[None]:
    """On one machine (a SQLite queue file) the server works its own queue in a few threads, so
    there is nothing else to run; a Redis queue is worked by ``bumpwise worker`` processes."""
    from bumpwise.bootstrap import build

    if not settings.job_queue.startswith("sqlite:///"):
        yield
        return
    parts = build(settings)
    worker = parts.jobs.queue.worker(settings.queue_threads)
    typer.echo(f"job queue: {settings.job_queue.removeprefix('sqlite:///')}, worked here")
    worker.start()
    try:
        yield
    finally:
        worker.stop()
        parts.engine.dispose()


def worker(
    threads: Annotated[
        int | None,
        typer.Option("--threads", min=1, help="threads working jobs [default: BUMPWISE_QUEUE_THREADS]"),
    ] = None,
) -> None:
    """Work the job queue (e-mail with retries, due reminders and summaries, plan refreshes) until
    stopped: run one or more beside the servers when BUMPWISE_QUEUE_URL is a Redis queue."""
    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade

    settings = settings_from_environment()
    if settings.job_queue == INLINE_QUEUE:
        raise InputError(
            "BUMPWISE_QUEUE_URL",
            "is inline: jobs run at once where they are asked for, there is no queue to work",
            ["redis://host:port/db", "sqlite:///path/to/queue.sqlite3"],
        )
    upgrade(settings.database_url)
    parts = build(settings)
    count = threads or settings.queue_threads
    typer.echo(f"working the job queue ({shown_url(settings.job_queue)}) with {count} thread(s)")
    try:
        parts.jobs.queue.worker(count).run()
    finally:
        parts.engine.dispose()


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
