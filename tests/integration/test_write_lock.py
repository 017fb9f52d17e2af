"""The writer lock of a SQLite database (persistence.write_lock): the group commit's batches of
several worker processes take turns through a lock file the kernel queues, not through SQLite's
sleeping busy handler (issue 18)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select

from asyncsupport import in_its_own_loop
from bumpwise import bootstrap
from bumpwise.persistence import migrate
from bumpwise.persistence.db import make_engine
from bumpwise.persistence.models import SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.persistence.write_lock import SUFFIX, FileWriteLock, NoLock, write_lock_for
from bumpwise.services.accounts import AccountRules
from dbsupport import POSTGRES_URL, log_of, onboarded_member, settings_for

HOLD_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from bumpwise.persistence.write_lock import FileWriteLock
with FileWriteLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""
STILL_WAITING_AFTER = 0.5
"""Seconds a write is watched while another process holds the lock."""
T = TypeVar("T")


def test_a_sqlite_file_database_has_its_lock_file_beside_it_and_no_other_database_a_lock(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bumpwise.db"
    engines = [make_engine(settings_for(url)) for url in (f"sqlite:///{database}", "sqlite://", POSTGRES_URL)]
    try:
        on_file, in_memory, on_postgres = (write_lock_for(engine) for engine in engines)
    finally:
        for engine in engines:
            engine.dispose()

    assert isinstance(on_file, FileWriteLock)
    assert on_file.path == Path(f"{database}{SUFFIX}")
    assert isinstance(in_memory, NoLock)
    assert isinstance(on_postgres, NoLock)


@contextmanager
def held_by_another_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    """The lock taken by a child process, until the block ends (the child then exits)."""
    command = [sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, str(path)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stdin is not None
        try:
            assert child.stdout.readline().strip() == "held"
            yield child
        finally:
            child.stdin.close()
            child.wait(timeout=10)


def test_a_lock_held_by_another_process_is_waited_for_and_taken_the_moment_it_is_released(
    tmp_path: Path,
) -> None:
    lock = FileWriteLock(tmp_path / f"bumpwise.db{SUFFIX}")
    taken = threading.Event()

    def take() -> None:
        with lock:
            taken.set()

    with ThreadPoolExecutor(1) as thread:
        with held_by_another_process(lock.path):
            waiting = thread.submit(take)
            assert not taken.wait(STILL_WAITING_AFTER)
        assert taken.wait(10)
        waiting.result()


def stored_logs(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(SessionLog)).scalar_one())


def test_the_apps_group_commit_on_sqlite_commits_a_batch_only_under_the_writer_lock(
    tmp_path: Path, rules: AccountRules
) -> None:
    url = f"sqlite:///{tmp_path / 'bumpwise.db'}"
    migrate.upgrade(url)
    parts = bootstrap.build(settings_for(url))
    try:
        member = onboarded_member(parts.uow(), rules)
        lock_file = tmp_path / f"bumpwise.db{SUFFIX}"

        with ThreadPoolExecutor(1) as thread:
            with held_by_another_process(lock_file):
                write = log_of(member, "kept")
                answer: Future[Any] = thread.submit(lambda: asyncio.run(parts.writes.run(write)))
                threading.Event().wait(STILL_WAITING_AFTER)
                assert not answer.done() and stored_logs(parts.engine) == 0
            assert answer.result(timeout=10).notes == "kept"
        assert stored_logs(parts.engine) == 1
    finally:
        parts.engine.dispose()


def ticks_while(work: Callable[[], Awaitable[T]]) -> tuple[T, int]:
    """``work``'s value, and how often a 10 ms ticker on the same event loop ran meanwhile: a loop
    that was never blocked ticks about once per 10 ms."""

    async def both() -> tuple[T, int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        try:
            return await work(), ticks
        finally:
            ticker.cancel()

    return in_its_own_loop(both)


@contextmanager
def app_on_a_sqlite_file(tmp_path: Path) -> Iterator[bootstrap.Components]:
    url = f"sqlite:///{tmp_path / 'bumpwise.db'}"
    migrate.upgrade(url)
    parts = bootstrap.build(settings_for(url))
    try:
        yield parts
    finally:
        parts.engine.dispose()


def test_on_a_sqlite_file_a_batch_that_needs_not_wait_runs_on_the_event_loop_itself(
    tmp_path: Path, rules: AccountRules
) -> None:
    with app_on_a_sqlite_file(tmp_path) as parts:
        member = onboarded_member(parts.uow(), rules)
        log = log_of(member, "on the loop")

        def write(uow: UnitOfWork) -> tuple[int, str]:
            return threading.get_ident(), log(uow).notes

        async def sent() -> tuple[int, tuple[int, str]]:
            return threading.get_ident(), await parts.writes.run(write)

        loop_thread, (ran_on, notes) = in_its_own_loop(sent)

        assert ran_on == loop_thread and notes == "on the loop"
        assert stored_logs(parts.engine) == 1


def test_a_write_that_finds_the_database_busy_waits_in_a_thread_and_the_event_loop_runs_on(
    tmp_path: Path, rules: AccountRules
) -> None:
    with app_on_a_sqlite_file(tmp_path) as parts:
        member = onboarded_member(parts.uow(), rules)
        assert parts.engine.url.database is not None
        holder = sqlite3.connect(parts.engine.url.database, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another writer: SQLite's own write lock, not the file's
        release = threading.Timer(STILL_WAITING_AFTER, holder.rollback)
        release.start()
        try:
            answer, ticks = ticks_while(lambda: parts.writes.run(log_of(member, "kept")))
        finally:
            release.join()
            holder.close()

        assert answer.notes == "kept" and stored_logs(parts.engine) == 1
        assert ticks >= STILL_WAITING_AFTER / 0.01 / 2  # the loop was not held while it waited


def test_taking_the_lock_now_never_waits_for_another_process_or_thread(tmp_path: Path) -> None:
    lock = FileWriteLock(tmp_path / f"bumpwise.db{SUFFIX}")
    with held_by_another_process(lock.path):
        assert not lock.take_now()
    assert lock.take_now()
    try:
        with ThreadPoolExecutor(1) as thread:
            assert not thread.submit(lock.take_now).result(timeout=10)
    finally:
        lock.release()
    assert lock.take_now()
    lock.release()
