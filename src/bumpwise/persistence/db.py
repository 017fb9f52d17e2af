"""Engines and sessions. SQLite gets WAL, foreign keys, a busy timeout and the configured
``synchronous`` level on every connection; PostgreSQL URLs are pointed at psycopg 3.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic_core import from_json
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from bumpwise.config import Settings
from bumpwise.persistence import reads_first, view_versions

PING_AFTER_IDLE = timedelta(seconds=10)
SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON")
JSON_LOADS = from_json
"""How stored JSON is read (a session log's records, a profile's answers): pydantic's parser reads
a small value in 0.1-0.4 µs where ``json.loads`` takes 1.1-1.8 µs, and a week's logs hold a
dozen (issue 18)."""
BUSY_TIMEOUT_MS = 5000
"""How long a SQLite connection waits for another writer before failing with SQLITE_BUSY."""


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(settings: Settings, *, pragmas: bool = True) -> Engine:
    url = normalise_url(settings.database_url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pragmas=pragmas, synchronous=settings.sqlite_synchronous)
    engine = create_engine(url, pool_size=10, max_overflow=10, json_deserializer=JSON_LOADS)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_checkin)
    return engine


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """``pool_pre_ping``, but only for a connection idle longer than ``PING_AFTER_IDLE``: a busy
    server skips a round trip per checkout (two a request), while a connection that sat in the
    pool (where a database restart or an idle timeout may have closed it) is still tested, and
    replaced by a fresh one if the test fails (the pool retries on ``DisconnectionError``)."""
    last = record.info.get("checked_in_at")
    if last is not None and time.monotonic() - last < PING_AFTER_IDLE.total_seconds():
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # any driver error means the connection is gone
        raise DisconnectionError("the pooled connection no longer answers") from exc


def never_waiting_engine(engine: Engine, settings: Settings) -> Engine | None:
    """For ``engine`` on a SQLite file, another engine on the same file whose connections never
    wait for another writer (``busy_timeout=0``: such a write fails at once with SQLITE_BUSY), for
    the writes run on the event loop (persistence.group_commit); ``None`` for any other database.
    Disposing of ``engine`` disposes of it too."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    never_waiting = _sqlite_engine(
        normalise_url(settings.database_url),
        pragmas=True,
        synchronous=settings.sqlite_synchronous,
        busy_timeout_ms=0,
    )
    event.listen(engine, "engine_disposed", lambda _engine: never_waiting.dispose())
    return never_waiting


def _sqlite_engine(
    url: str,
    *,
    pragmas: bool,
    synchronous: str = "FULL",
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, json_deserializer=JSON_LOADS)
    if pragmas:
        event.listen(engine, "connect", _sqlite_pragmas(synchronous, busy_timeout_ms))
    event.listen(engine, "checkin", _restore_synchronous)
    return engine


RESTORE_SYNCHRONOUS = "bumpwise.restore_synchronous"
"""Key of a pooled SQLite connection's ``info``: the ``synchronous`` level to set back when the
connection returns to the pool (``UnitOfWork.not_durable`` lowered it for one commit)."""


def _restore_synchronous(dbapi_connection: Any, record: Any) -> None:
    """On the very connection that was lowered, after its transaction ended and before anyone
    else can check it out: a lowered level never outlives the one commit it was meant for."""
    level = record.info.pop(RESTORE_SYNCHRONOUS, None)
    if level is not None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA synchronous={int(level):d}")
        cursor.close()


def _sqlite_pragmas(synchronous: str, busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    """Set on every new connection. ``synchronous=FULL`` in WAL mode syncs the log at each commit
    (docs/web-app.md, Durability)."""
    pragmas = (*SQLITE_PRAGMAS, f"busy_timeout={busy_timeout_ms:d}", f"synchronous={synchronous}")

    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return set_pragmas


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    view_versions.install(factory)
    reads_first.install(factory, engine)
    return factory
