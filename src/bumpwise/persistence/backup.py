"""Backups of the database and their restore (docs/deploy.md, "Backups").

SQLite: SQLite's online backup, a consistent copy taken while the server runs (what the WAL
holds included). PostgreSQL: ``pg_dump``'s custom format, restored with ``pg_restore``; both are
PostgreSQL's own client tools (Debian's ``postgresql-client``), of the server's major version or
newer. The password never goes on a command line (where ``ps`` would show it): the tools read it
from ``PGPASSWORD``.

A restore goes only into an empty database, so it can never mix two databases' rows; restoring
is a fresh database, then ``bumpwise db restore``, then pointing the servers at it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from bumpwise.persistence.db import normalise_url

PG_TOOLS = ("pg_dump", "pg_restore")


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why (never a password)."""


def backup(database_url: str, target: Path) -> None:
    """Write a backup of ``database_url`` to ``target`` (replaced if it exists)."""
    url = make_url(normalise_url(database_url))
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
    else:
        _run_pg("pg_dump", url, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def restore(source: Path, database_url: str) -> None:
    """Restore the backup ``source`` into ``database_url``, which must hold no table yet."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    url = make_url(normalise_url(database_url))
    if table_counts(database_url):
        raise BackupError("the database to restore into already has tables: restore into an empty one")
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
    else:
        _run_pg(
            "pg_restore",
            url,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(source),
        )


def table_counts(database_url: str) -> dict[str, int]:
    """Rows in each table: what a restore drill compares with the database it was taken from."""
    engine = _engine(database_url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return {
                name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
                for name in names
            }
    finally:
        engine.dispose()


def _engine(database_url: str) -> Engine:
    return create_engine(normalise_url(database_url))


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore into")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()
    target.chmod(0o600)  # health data: readable by the server's user only


def _run_pg(tool: str, url: URL, *arguments: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    environment = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [tool, f"--dbname={target}", *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-500:]}")
