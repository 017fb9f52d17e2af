"""psycopg's async connections to the engine's PostgreSQL database, for the few statements a busy
route sends on the event loop itself: the caller's read (``callers``) and a group-commit batch's
inserts and commit (``loop_writes``). On PostgreSQL, a hop to a thread and the thread and the event
loop taking the GIL in turns cost a log write more than its statements; with both on the loop, it
went from 0.27 to 0.39 of the floor (issue 18, bench/README.md).

The connections live on one event loop, while the app runs: its lifespan calls ``start`` and
``close`` there. Anywhere else (another loop, a script, a test client without its lifespan)
``here`` is false, and the caller takes the thread path with the engine's own pool.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine

from bumpwise.persistence.db import PING_AFTER_IDLE

MOST_CONNECTIONS = 10
"""Open at once, at the most: as many as the engine's own pool keeps."""


class LoopConnections:
    """``async with connections.connection(autocommit=...) as connection`` lends a connection of
    this event loop's own; it goes back idle when its transaction is over, else it is closed."""

    def __init__(self, engine: Engine, *, most: int = MOST_CONNECTIONS) -> None:
        self._args, self._kwargs = engine.dialect.create_connect_args(engine.url)
        self._most = most
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(most)
        self._idle: list[tuple[float, AsyncConnection[Any]]] = []

    def start(self) -> None:
        """On the app's event loop, as it starts: from now on, ``here`` there."""
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(self._most)

    async def close(self) -> None:
        """As the app stops: the idle connections are closed, those lent out when given back."""
        self._loop = None
        idle, self._idle = self._idle, []
        for _, connection in idle:
            await connection.close()

    @property
    def here(self) -> bool:
        """Whether this is the loop the connections live on."""
        try:
            return self._loop is asyncio.get_running_loop()
        except RuntimeError:  # no loop running in this thread
            return False

    @asynccontextmanager
    async def connection(self, *, autocommit: bool) -> AsyncIterator[AsyncConnection[Any]]:
        async with self._slots:
            connection = await self._take()
            kept = False
            try:
                if connection.autocommit != autocommit:
                    await connection.set_autocommit(autocommit)
                yield connection
                kept = connection.info.transaction_status == TransactionStatus.IDLE
            finally:
                if kept and self.here:
                    self._idle.append((time.monotonic(), connection))
                else:
                    await connection.close()

    async def _take(self) -> AsyncConnection[Any]:
        """An idle connection, or a new one. One that sat idle longer than ``PING_AFTER_IDLE``
        (where a restart or an idle timeout may have closed it) is closed rather than trusted."""
        while self._idle:
            idle_since, connection = self._idle.pop()
            if time.monotonic() - idle_since < PING_AFTER_IDLE.total_seconds() and not connection.closed:
                return connection
            await connection.close()
        return await AsyncConnection.connect(*self._args, **self._kwargs)
