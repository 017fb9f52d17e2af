"""Running a coroutine from a test."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def in_its_own_loop(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine on an event loop of its own, in a thread of its own: the suite's browser
    tests leave Playwright's loop running in the main thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(coroutine())).result()
