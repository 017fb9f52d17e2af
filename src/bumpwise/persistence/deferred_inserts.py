"""Inserts held back until their transaction's commit, each with its key taken from ids reserved
beforehand: so the writes of a group-commit batch run on the event loop without waiting on the
database, and their rows go to it in one exchange with the commit (``loop_writes``).

Only for ``driver_insert``'s tables, whose rows nothing else in the batch reads back. A write that
would talk to the database in any other way, or needs more ids than are reserved, raises
``NeedsTheDatabase``: the batch then runs in a thread, as every batch did before.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Dialect
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from psycopg import AsyncConnection

DEFERRED = "bumpwise.deferred_inserts"
"""The key of a session's ``info`` under which its ``Deferred`` is kept."""
KEYS_OF_TABLES: dict[str, str] = {}
"""Each table a ``DriverInsert`` writes, and its key column (filled as they are built)."""
RESERVED_AT_ONCE = 64
"""Ids reserved in one exchange, at the least."""


class NeedsTheDatabase(Exception):
    """A write that must not wait on the database (on the event loop) would have had to."""


@dataclass
class ReservedIds:
    """Keys taken from each table's sequence ahead of their rows, in this process (a sequence's
    values are never handed out twice; those left unused when the process stops are gaps, as a
    rolled-back insert leaves)."""

    _ids: dict[str, deque[int]] = field(default_factory=dict)

    def take(self, table: str) -> int:
        ids = self._ids.get(table)
        if not ids:
            raise NeedsTheDatabase(f"no id of {table} is reserved")
        return ids.popleft()

    def short_of(self, wanted: int) -> bool:
        """Whether some table has fewer than ``wanted`` ids reserved."""
        return any(len(self._ids.get(table, ())) < wanted for table in KEYS_OF_TABLES)

    async def fill(self, connection: AsyncConnection[Any], wanted: int) -> None:
        """At least ``wanted`` ids of every table, in one statement per table short of them."""
        for table, key in KEYS_OF_TABLES.items():
            ids = self._ids.setdefault(table, deque())
            if len(ids) >= wanted:
                continue
            cursor = await connection.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                (table, key, max(wanted, RESERVED_AT_ONCE)),
            )
            ids.extend(int(row[0]) for row in await cursor.fetchall())


@dataclass
class Deferred:
    """One batch's held-back inserts: each statement's SQL and its rows' parameters, in order."""

    dialect: Dialect
    reserved: ReservedIds
    rows: list[tuple[str, Any]] = field(default_factory=list)

    def by_statement(self) -> list[tuple[str, list[Any]]]:
        """The rows grouped by statement, each group in the order its rows came."""
        grouped: dict[str, list[Any]] = {}
        for sql, parameters in self.rows:
            grouped.setdefault(sql, []).append(parameters)
        return list(grouped.items())


def deferred_of(session: Session) -> Deferred | None:
    found = session.info.get(DEFERRED)
    return found if isinstance(found, Deferred) else None
