"""A group-commit batch on the event loop, on PostgreSQL: the writes run there with their inserts
held back (deferred_inserts), then their rows and the commit go to the database on one of the
loop's own async connections (loop_connections), while the loop serves other requests. No thread
is involved, so the thread and the event loop never take the GIL in turns (issue 18).

Each write gets exactly the answer it would have had alone, and is answered only after its
commit, with the durability configured (``synchronous_commit`` as the server sets it). Whenever
that cannot be had on the loop, nothing of the batch is stored and it runs in a thread as before
(``run`` gives None): outside the app's loop, when a write would talk to the database in any other
way than a held-back insert (its session refuses to begin), when a write fails or rolls back, or
when the rows or the commit fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Dialect, event
from sqlalchemy.orm import Session, sessionmaker

from bumpwise.persistence.deferred_inserts import DEFERRED, Deferred, NeedsTheDatabase, ReservedIds
from bumpwise.persistence.loop_connections import LoopConnections
from bumpwise.persistence.together import Outcome
from bumpwise.persistence.uow import UnitOfWork, held_values

Write = Callable[[UnitOfWork], Any]


class LoopWrites:
    """``await loop_writes.run(writes)``: the batch's outcomes once its rows are committed, or None
    when it must run in a thread (nothing of it stored)."""

    def __init__(
        self, connections: LoopConnections, sessions: sessionmaker[Session], dialect: Dialect
    ) -> None:
        self._connections = connections
        self._sessions = sessions
        self._dialect = dialect
        self._reserved = ReservedIds()
        event.listen(sessions, "after_begin", _refuse_to_begin)

    async def run(self, writes: Sequence[Write]) -> list[Outcome] | None:
        if not self._connections.here:
            return None
        if self._reserved.short_of(len(writes)):
            async with self._connections.connection(autocommit=True) as connection:
                await self._reserved.fill(connection, len(writes))
        deferred = Deferred(self._dialect, self._reserved)
        values = self._held_back(writes, deferred)
        if values is None or (deferred.rows and not await self._committed(deferred)):
            return None
        return [Outcome(value) for value in values]

    def _held_back(self, writes: Sequence[Write], deferred: Deferred) -> list[Any] | None:
        """Each write's value, its inserts held back in ``deferred``; None if any failed, rolled
        back or would have talked to the database."""
        try:
            with UnitOfWork(self._sessions) as uow:
                uow.session.info[DEFERRED] = deferred
                return held_values(uow, writes)
        except Exception:
            return None

    async def _committed(self, deferred: Deferred) -> bool:
        """Whether the held-back rows were inserted and committed (in one transaction)."""
        try:
            async with (
                self._connections.connection(autocommit=False) as connection,
                connection.cursor() as cursor,
                connection.pipeline(),
            ):
                for sql, rows in deferred.by_statement():
                    await cursor.executemany(sql, rows)
                await connection.commit()
        except Exception:
            return False
        return True


def _refuse_to_begin(_session: Session, _transaction: Any, _connection: Any) -> None:
    """A write run on the loop would send a statement: it runs in a thread instead."""
    raise NeedsTheDatabase("a write on the event loop would have waited on the database")
