"""One writer at a time across the worker processes of a SQLite database, queued by the kernel.

SQLite lets one transaction write at a time. A writer that finds the database locked by another
process waits in SQLite's busy handler, which sleeps in steps that grow from 1 ms to 100 ms and
checks again: with two workers each committing batches of log writes, a batch often slept through
several commits of the other, and one write in a hundred waited 170-730 ms (bench/README.md,
issue 18). A batch of the group commit (persistence.group_commit) takes this lock first: an
exclusive ``flock`` on a file beside the database, which the kernel hands to the next waiter the
moment it is released. It holds no data, and the kernel releases it when its process ends.

Only the group commit's batches take it; another write that meets a locked database still waits
in the busy handler, as before. PostgreSQL and an in-memory SQLite database need no lock.

A batch run on the event loop (persistence.group_commit) must never wait: it takes the lock only
if it is free at once (``take_now``), and otherwise the batch goes to a thread, which may wait.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Protocol

from sqlalchemy import Engine


class WriteLock(Protocol):
    """``with lock:`` waits for the lock; ``take_now()`` takes it only if it is free, and
    ``release()`` gives back what it took."""

    def __enter__(self) -> None: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def take_now(self) -> bool: ...

    def release(self) -> None: ...


class NoLock:
    """What a database that needs no writer lock takes (PostgreSQL, an in-memory SQLite database)."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None

    def take_now(self) -> bool:
        return True

    def release(self) -> None:
        return None


NO_LOCK = NoLock()
SUFFIX = "-writer.lock"
"""The lock file's name: the database's own, with this after it (beside its ``-wal`` and ``-shm``)."""


class FileWriteLock:
    """An exclusive ``flock`` on ``path``, held by one thread of one process at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def take_now(self) -> bool:
        """Take the lock if no thread or process holds it, without waiting; whether it was taken."""
        if not self._threads.acquire(blocking=False):
            return False
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._threads.release()
            return False
        except BaseException:
            self._threads.release()
            raise
        return True

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        """The lock file, opened once per process: a forked child opens its own, as a ``flock``
        belongs to an open file and a child shares its parent's."""
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd


def write_lock_for(engine: Engine) -> WriteLock:
    """The lock the group commit's batches take on ``engine``'s database: a file beside a SQLite
    database file; nothing for any other."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return NO_LOCK
    return FileWriteLock(Path(database + SUFFIX))
