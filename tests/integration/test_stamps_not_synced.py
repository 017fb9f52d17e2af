"""A token's or a browser session's last-use stamp is committed without waiting for the disk, on
SQLite and PostgreSQL (issue 18: a member's first page in an hour waited for a WAL flush for it),
and so is the stamp a server database's caller read writes (persistence.callers).
A stamp lost to a power cut only shows a token's last use older or ends an idle session sooner;
a read that stamps nothing lowers nothing, and the next unit of work is durable again."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from bumpwise.persistence.callers import CallerReader
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, rendered
from bumpwise.services.accounts import AccountRules
from bumpwise.services.principal import Principal
from dbsupport import NOW, new_account, statements

LOWERED = ("SET LOCAL synchronous_commit = off", "PRAGMA synchronous=NORMAL")


def _lowered(seen: list[str]) -> bool:
    return any(statement.startswith(LOWERED) for statement in seen)


def _stamps_once_not_synced(
    engine: Engine, principal_at: Callable[[datetime], Principal | None], first: datetime, again: datetime
) -> Principal | None:
    """Who ``principal_at`` finds at ``first`` (stamping, with durability lowered) and again at
    ``again`` (within the interval: no stamp, nothing lowered); None when they differ."""
    with statements(engine) as seen:
        found = principal_at(first)
    assert _lowered(seen) and any(s.startswith("UPDATE") for s in seen)
    with statements(engine) as seen:
        found_again = principal_at(again)
    assert not _lowered(seen) and not any(s.startswith("UPDATE") for s in seen)
    return found if found == found_again else None


def test_a_token_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    raw = accounts.create_api_token(uow, member, "phone", NOW).token
    later = NOW + accounts.TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)
    read = functools.partial(accounts.api_token_principal, uow, raw)
    assert _stamps_once_not_synced(engine, read, later, later + timedelta(minutes=1)) == member
    with uow:
        stored = uow.accounts.token_caller(accounts.digest(raw))
    assert stored is not None and stored[2] == later


def test_a_session_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    token = accounts.start_web_session(uow, rules, member.user_id, NOW)
    later = NOW + accounts.SESSION_TOUCH_INTERVAL + timedelta(seconds=5)
    read = functools.partial(accounts.web_session_principal, uow, token)
    assert _stamps_once_not_synced(engine, read, later, later + timedelta(seconds=1)) == member
    with uow:
        stored = uow.accounts.session_caller(accounts.digest(token), later)
    assert stored is not None and stored[0] == later


def _wal_writer_delay_seconds(engine: Engine) -> float:
    with engine.connect() as connection:
        milliseconds = connection.exec_driver_sql(
            "SELECT setting::int FROM pg_settings WHERE name = 'wal_writer_delay'"
        ).scalar_one()
    return int(milliseconds) / 1000


def _wal_syncs(engine: Engine) -> int:
    """The server's WAL syncs so far, with the statistics of ``engine``'s one connection flushed."""
    connection = engine.raw_connection()
    try:
        driver = connection.driver_connection
        assert driver is not None
        driver.autocommit = True
        for flush in ("SELECT pg_stat_force_next_flush()", "SELECT 1"):
            driver.execute(flush)
        syncs = driver.execute("SELECT wal_sync FROM pg_stat_wal").fetchone()
        driver.autocommit = False
    finally:
        connection.close()
    assert syncs is not None
    return int(syncs[0])


def test_the_stamps_a_server_database_s_caller_reads_write_are_not_synced(
    engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's caller reads write nothing (test_use_in_read)")
    member = new_account(uow, rules)
    tokens = [accounts.create_api_token(uow, member, f"phone {i}", NOW).token for i in range(15)]
    sessions = [accounts.start_web_session(uow, rules, member.user_id, NOW) for _ in range(15)]
    one_connection = create_engine(engine.url, poolclass=StaticPool)
    reader = CallerReader(one_connection)
    token_due = NOW + accounts.TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)
    session_due = NOW + accounts.SESSION_TOUCH_INTERVAL
    try:
        wal_writer_delay = _wal_writer_delay_seconds(one_connection)
        before, started = _wal_syncs(one_connection), time.monotonic()
        assert all(rendered.token_caller(reader, raw, token_due) for raw in tokens)
        assert all(rendered.session_caller(reader, token, session_due, idle=rules.idle) for token in sessions)
        syncs, took = _wal_syncs(one_connection) - before, time.monotonic() - started
    finally:
        one_connection.dispose()
    with uow:
        token_stamps = [uow.accounts.token_caller(accounts.digest(raw)) for raw in tokens]
        session_stamps = [uow.accounts.session_caller(accounts.digest(token), NOW) for token in sessions]
    assert all(stamp is not None and stamp[2] == token_due for stamp in token_stamps)
    assert all(stamp is not None and stamp[0] == session_due for stamp in session_stamps)
    stamps = len(tokens) + len(sessions)
    # The server's WAL writer syncs what such commits left, once each wal_writer_delay at most:
    # on a slow run those syncs are not the stamps' own.
    by_the_wal_writer = int(took / wal_writer_delay) + 1
    allowed = stamps // 2 + by_the_wal_writer
    assert syncs < allowed, f"{syncs} WAL syncs for {stamps} stamps in {took:.2f} s"
