"""Group commit: writes that arrive together share one transaction, so one commit (and on SQLite with
``synchronous=FULL`` one sync of the log) makes all of them durable before any is answered.

A request hands its write (a function of a unit of work, as the services are) to ``GroupCommit.run``
and waits. The first write to arrive is sent to a thread at once, alone; the writes that arrive
while a batch is being committed wait and go together in the next one (``persistence.together``).
So nobody waits for a timer, and under load a commit carries as many writes as arrived during the
one before.

A batch runs as the same writes would one after the other: each on a held unit of work inside the
batch's transaction (it sees the rows of the writes before it), in its own request's context (its
language, for messages). If any of them fails, or rolls back, or the commit fails, the whole
batch is rolled back and each write runs again alone, in its own unit of work: so every write gets
exactly the answer it would have had alone, and nothing half-done is ever committed. Writes must
therefore have no effect outside their transaction (no mail sent, no cache filled): they may run
twice.

A batch runs under the database's writer lock (persistence.write_lock): on SQLite, the batches of
several worker processes take turns in the kernel's queue rather than in SQLite's sleeping busy
handler.

On a SQLite file (``on_the_loop``: a unit of work whose connections never wait for another writer)
a batch runs on the event loop itself when the lock is free at once: a hop to a thread, and the
thread and the event loop taking the GIL in turns, cost a log write more than its inserts and its
commit (bench/README.md, issue 18). Nothing waits on the loop: when the lock is taken, the batch
goes to a thread as above; a write that finds the database busy (another thread's transaction)
failed at once with nothing stored, and it runs again in a thread, where it may wait.

On PostgreSQL (``loop_writes``) a batch runs on the event loop too, while the app runs: its
writes there with their inserts held back, then the rows and the commit on one of the loop's own
async connections (persistence.loop_writes). A batch that cannot run so runs in a thread, whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from bumpwise.persistence.together import (
    MOST_TOGETHER,
    Batch,
    Outcome,
    RunBatch,
    Together,
    in_a_thread,
    outcome_of,
)
from bumpwise.persistence.uow import UnitOfWork, held_values
from bumpwise.persistence.write_lock import NO_LOCK, WriteLock

if TYPE_CHECKING:
    from bumpwise.persistence.loop_writes import LoopWrites

T = TypeVar("T")
Write = Callable[[UnitOfWork], Any]


def commit_together(new_uow: Callable[[], UnitOfWork], writes: Sequence[Write]) -> list[Outcome]:
    """Run ``writes`` in one transaction and commit once; when that fails in any way, each alone.
    Blocking: call it from a thread."""
    if len(writes) > 1:
        together = _together(new_uow, writes)
        if together is not None:
            return together
    return [_alone(new_uow, write) for write in writes]


def _together(new_uow: Callable[[], UnitOfWork], writes: Sequence[Write]) -> list[Outcome] | None:
    try:
        with new_uow() as uow:
            values = held_values(uow, writes)
            if values is None:
                return None
            uow.commit()
    except Exception:
        return None
    return [Outcome(value) for value in values]


def _alone(new_uow: Callable[[], UnitOfWork], write: Write) -> Outcome:
    return outcome_of(lambda: write(new_uow()))


class GroupCommit:
    """One per process: ``await writes.run(write)`` runs ``write`` with whatever else arrives
    together (a transaction holds ``most`` writes at the most: a batch holds the database's write
    lock while it runs), and returns its value (or raises its exception) once it is committed.
    With ``on_the_loop``, a batch that needs not wait runs on the event loop (see above)."""

    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        *,
        most: int = MOST_TOGETHER,
        lock: WriteLock = NO_LOCK,
        on_the_loop: Callable[[], UnitOfWork] | None = None,
        loop_writes: LoopWrites | None = None,
    ) -> None:
        self._new_uow = new_uow
        self._lock = lock
        self._loop_uow = on_the_loop
        self._loop_writes = loop_writes
        run_batch: RunBatch = in_a_thread
        if on_the_loop is not None:
            run_batch = self._first_on_the_loop
        elif loop_writes is not None:
            run_batch = self._first_loop_writes
        self._together = Together(self._commit_locked, most=most, run_batch=run_batch)
        self._reading = (
            Together(self._commit_locked, most=most) if loop_writes is not None else self._together
        )

    async def run(self, write: Callable[[UnitOfWork], T], *, reads: bool = False) -> T:
        """``reads``: the write reads the database first (an idempotency key's claim), so with
        ``loop_writes`` its batches go straight to a thread, with the other such writes."""
        together = self._reading if reads else self._together
        value: T = await together.run(write)
        return value

    def _commit_locked(self, writes: Sequence[Write]) -> list[Outcome]:
        with self._lock:
            return commit_together(self._new_uow, writes)

    async def _first_on_the_loop(self, in_thread: Batch, writes: Sequence[Write]) -> list[Outcome]:
        """The batch on the event loop if the lock is free; what could not run there without
        waiting, in a thread (``in_thread``)."""
        outcomes = self._on_the_loop(writes)
        if outcomes is None:
            return await in_a_thread(in_thread, writes)
        busy = [index for index, outcome in enumerate(outcomes) if _found_the_database_busy(outcome)]
        if busy:
            again = await in_a_thread(in_thread, [writes[index] for index in busy])
            for index, outcome in zip(busy, again, strict=True):
                outcomes[index] = outcome
        return outcomes

    async def _first_loop_writes(self, in_thread: Batch, writes: Sequence[Write]) -> list[Outcome]:
        """The batch on the event loop with its rows held back until the commit (loop_writes);
        in a thread when that cannot be (nothing of it was stored then)."""
        assert self._loop_writes is not None
        outcomes = await self._loop_writes.run(writes)
        if outcomes is None:
            return await in_a_thread(in_thread, writes)
        return outcomes

    def _on_the_loop(self, writes: Sequence[Write]) -> list[Outcome] | None:
        assert self._loop_uow is not None
        if not self._lock.take_now():
            return None
        try:
            return commit_together(self._loop_uow, writes)
        finally:
            self._lock.release()


def _found_the_database_busy(outcome: Outcome) -> bool:
    """Whether the write failed because another transaction held SQLite's write lock (so nothing
    of it was stored): the driver's error, or SQLAlchemy's around it."""
    error: BaseException | None = outcome.error
    while error is not None:
        if isinstance(error, sqlite3.OperationalError):
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
            return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        error = getattr(error, "orig", None) or error.__cause__
    return False
