"""A group-commit batch on the event loop on PostgreSQL (persistence.loop_writes): its writes run
on the loop's own thread with their inserts held back, and the rows go to the database with the
commit on one of the loop's own connections. Whatever cannot run so runs whole in a thread, with
nothing of it stored twice; and the loop's connections are only ever lent on the app's own loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

import psycopg
import pytest
from psycopg import AsyncConnection
from sqlalchemy import Engine, func, select, text

from asyncsupport import as_the_app_runs, in_its_own_loop
from bumpwise.persistence.db import make_session_factory
from bumpwise.persistence.deferred_inserts import RESERVED_AT_ONCE
from bumpwise.persistence.group_commit import GroupCommit
from bumpwise.persistence.loop_connections import LoopConnections
from bumpwise.persistence.loop_writes import LoopWrites
from bumpwise.persistence.models import SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, rendered
from bumpwise.services.accounts import AccountRules
from bumpwise.services.principal import Principal, Role
from bumpwise.services.views import LogView
from dbsupport import NOW, log_of, onboarded_member, stored_notes

T = TypeVar("T")
Write = Callable[[UnitOfWork], Any]


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite a batch runs on the loop with an engine that never waits (test_write_lock)")
    return engine


@pytest.fixture
def connections(pg_engine: Engine) -> LoopConnections:
    return LoopConnections(pg_engine)


@pytest.fixture
def writes(pg_engine: Engine, connections: LoopConnections) -> Iterator[GroupCommit]:
    loop_writes = LoopWrites(connections, make_session_factory(pg_engine), pg_engine.dialect)
    yield GroupCommit(partial(UnitOfWork, make_session_factory(pg_engine)), loop_writes=loop_writes)
    assert pg_engine.pool.checkedout() == 0  # type: ignore[attr-defined]  # QueuePool's


def together_noting_threads(writes: GroupCommit, jobs: list[Write]) -> Callable[[], Coroutine[Any, Any, Any]]:
    """The jobs sent at once; each answer paired with whether its write ran on the loop's thread."""

    def noting(job: Write) -> Write:
        def write(uow: UnitOfWork) -> tuple[int, Any]:
            return threading.get_ident(), job(uow)

        return write

    async def at_once() -> list[tuple[bool, Any]]:
        here = threading.get_ident()
        answers = await asyncio.gather(*(writes.run(noting(job)) for job in jobs), return_exceptions=True)
        return [
            (False, answer) if isinstance(answer, BaseException) else (answer[0] == here, answer[1])
            for answer in answers
        ]

    return at_once


def test_a_batch_runs_on_the_loop_and_is_committed_before_its_answers(
    writes: GroupCommit, connections: LoopConnections, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    jobs = [log_of(mia, f"log-{n}") for n in range(5)]

    async def sent_then_counted() -> tuple[list[tuple[bool, Any]], int]:
        answers = await together_noting_threads(writes, jobs)()
        with pg_engine.connect() as other:
            return answers, other.execute(select(func.count()).select_from(SessionLog)).scalar_one()

    answers, count_when_answered = as_the_app_runs(connections, sent_then_counted)

    assert all(on_the_loop for on_the_loop, _ in answers)
    views = [view for _, view in answers]
    assert all(isinstance(view, LogView) for view in views)
    assert count_when_answered == 5
    with pg_engine.connect() as connection:
        stored = dict(connection.execute(select(SessionLog.id, SessionLog.notes)).all())
    assert stored == {view.id: view.notes for view in views}


def test_a_write_that_would_read_the_database_runs_in_a_thread_with_its_batch(
    writes: GroupCommit, connections: LoopConnections, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)

    def reads_then_logs(held: UnitOfWork) -> LogView:
        with held:
            assert held.accounts.user(mia.user_id) is not None
        view: LogView = log_of(mia, "after a read")(held)
        return view

    answers = as_the_app_runs(
        connections, together_noting_threads(writes, [log_of(mia, "plain"), reads_then_logs])
    )

    assert [on_the_loop for on_the_loop, _ in answers] == [False, False]
    assert stored_notes(pg_engine) == ["after a read", "plain"]


def test_rows_the_database_refuses_at_the_commit_run_again_in_a_thread_and_are_stored_once(
    writes: GroupCommit, connections: LoopConnections, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    gone = Principal(mia.user_id + 1000, Role.MEMBER, "Gone", "gone@example.com", "en")

    answers = as_the_app_runs(
        connections,
        together_noting_threads(writes, [log_of(mia, "first"), log_of(gone, "gone"), log_of(mia, "last")]),
    )

    assert isinstance(answers[0][1], LogView) and isinstance(answers[2][1], LogView)
    assert isinstance(answers[1][1], psycopg.errors.ForeignKeyViolation)
    assert stored_notes(pg_engine) == ["first", "last"]


def test_a_write_with_more_inserts_than_ids_reserved_runs_in_a_thread(
    writes: GroupCommit, connections: LoopConnections, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    many = RESERVED_AT_ONCE + 1

    def logs_many(held: UnitOfWork) -> int:
        for n in range(many):
            log_of(mia, f"many-{n:03}")(held)
        return many

    answers = as_the_app_runs(connections, together_noting_threads(writes, [logs_many]))

    assert answers == [(False, many)]
    assert len(stored_notes(pg_engine)) == many


def test_a_write_said_to_read_first_goes_straight_to_a_thread(
    writes: GroupCommit, connections: LoopConnections, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    tried: list[int] = []

    def noted(held: UnitOfWork) -> tuple[int, LogView]:
        tried.append(threading.get_ident())
        return threading.get_ident(), log_of(mia, "keyed")(held)

    async def sent() -> bool:
        ran_in, _view = await writes.run(noted, reads=True)
        return ran_in != threading.get_ident()

    assert as_the_app_runs(connections, sent)
    assert len(tried) == 1  # never tried on the loop first
    assert stored_notes(pg_engine) == ["keyed"]


def test_outside_the_apps_loop_a_batch_runs_in_a_thread(
    writes: GroupCommit, uow: UnitOfWork, rules: AccountRules, pg_engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)

    answers = in_its_own_loop(together_noting_threads(writes, [log_of(mia, "not started")]))

    assert [on_the_loop for on_the_loop, _ in answers] == [False]
    assert stored_notes(pg_engine) == ["not started"]


def test_the_loops_connections_are_lent_only_on_its_loop_and_closed_with_it(
    connections: LoopConnections,
) -> None:
    lent: list[AsyncConnection[Any]] = []

    async def in_a_transaction_then_idle() -> bool:
        connections.start()
        async with connections.connection(autocommit=False) as connection:
            await connection.execute("SELECT 1")
            lent.append(connection)  # left in its transaction: closed, not kept
        async with connections.connection(autocommit=True) as connection:
            await connection.execute("SELECT 1")
            lent.append(connection)  # idle: kept
        async with connections.connection(autocommit=True) as connection:
            lent.append(connection)
        here = connections.here
        await connections.close()
        return here and not connections.here

    assert in_its_own_loop(in_a_transaction_then_idle)
    assert lent[0].closed and lent[0] is not lent[1]
    assert lent[1] is lent[2] and lent[2].closed


def test_the_token_read_on_the_loop_finds_and_stamps_as_the_thread_read(
    connections: LoopConnections, pg_engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    member = onboarded_member(uow, rules)
    raw = accounts.create_api_token(uow, member, "phone", NOW).token
    later = NOW + accounts.TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)
    reader = rendered.CallerReader(pg_engine)

    async def read_twice() -> tuple[Any, Any]:
        first = await rendered.token_caller_on_the_loop(reader, connections, raw, later)
        again = await rendered.token_caller_on_the_loop(
            reader, connections, raw, later + timedelta(minutes=1)
        )
        return first, again

    first, again = as_the_app_runs(connections, read_twice)

    assert first is not None and first == again
    assert first == rendered.token_caller(reader, raw, later + timedelta(minutes=2))
    assert first.principal.user_id == member.user_id
    with pg_engine.connect() as connection:
        stamped = connection.execute(text("SELECT last_used_at FROM api_tokens")).scalar_one()
    assert stamped == later.replace(tzinfo=None) or stamped == later
