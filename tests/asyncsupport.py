"""Running a coroutine from a test."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bumpwise.persistence.loop_connections import LoopConnections

T = TypeVar("T")


def in_its_own_loop(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine on an event loop of its own, in a thread of its own: the suite's browser
    tests leave Playwright's loop running in the main thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(coroutine())).result()


def as_the_app_runs(
    connections: LoopConnections | None, coroutine: Callable[[], Coroutine[Any, Any, T]]
) -> T:
    """``in_its_own_loop``, with the event loop's own connections (if any) started on that loop
    before and closed after, as the app's lifespan does."""

    async def started() -> T:
        if connections is None:
            return await coroutine()
        connections.start()
        try:
            return await coroutine()
        finally:
            await connections.close()

    return in_its_own_loop(started)
