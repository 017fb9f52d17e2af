"""Blocking calls that arrive together share one thread-pool hop: ``await together.run(call)``.

The first call to arrive is sent to a thread at once, alone; the calls that arrive while a batch
runs wait and go together in the next (at most ``most``), so nobody waits for a timer, and under
load one hop carries as many calls as arrived during the one before. Each call runs in its own
request's context (its language), and its caller gets exactly its own value or exception.

Two users: ``persistence.group_commit`` (writes that also share one transaction and one commit)
and, on a server database, the caller's one read (``web.deps.read_caller``): a hop to the thread
pool and back cost a log write on PostgreSQL more of the server's CPU than the read itself
(issue 18).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from weakref import WeakKeyDictionary

import anyio.to_thread

MOST_TOGETHER = 64
"""Calls in one batch at the most."""


@dataclass(frozen=True)
class Outcome:
    """What one call gave: its value, or the exception it raised."""

    value: Any = None
    error: Exception | None = None


Batch = Callable[[Sequence[Callable[..., Any]]], list[Outcome]]
"""Runs a batch's calls (each bound to its request's context) and gives each one's outcome, in
order. Blocking: it runs in the thread."""
RunBatch = Callable[[Batch, Sequence[Callable[..., Any]]], Awaitable[list[Outcome]]]
"""Where a batch runs: by default in the thread pool (``in_a_thread``); ``persistence.group_commit``
runs one on the event loop when nothing there would wait."""


async def in_a_thread(batch: Batch, calls: Sequence[Callable[..., Any]]) -> list[Outcome]:
    outcomes: list[Outcome] = await anyio.to_thread.run_sync(batch, calls)
    return outcomes


def one_by_one(calls: Sequence[Callable[[], Any]]) -> list[Outcome]:
    """Each call in turn, alone: they share the hop, nothing else."""
    return [outcome_of(call) for call in calls]


def outcome_of(call: Callable[[], Any]) -> Outcome:
    """The call's value, or the exception it raised, as its outcome."""
    try:
        return Outcome(call())
    except Exception as exc:
        return Outcome(error=exc)


@dataclass
class _Waiting:
    call: Callable[..., Any]
    answer: asyncio.Future[Any]

    def settle(self, outcome: Outcome) -> None:
        if self.answer.done():  # the request went away; a write stands, as a sync route's would
            return
        if outcome.error is not None:
            self.answer.set_exception(outcome.error)
        else:
            self.answer.set_result(outcome.value)


@dataclass
class _Queue:
    waiting: list[_Waiting] = field(default_factory=list)
    draining: asyncio.Task[None] | None = None


class Together:
    """One per process and kind of call: ``await together.run(call)`` runs ``call`` in the thread
    pool with whatever else arrives together, as ``batch`` runs them, and returns its value (or
    raises its exception)."""

    def __init__(
        self, batch: Batch = one_by_one, *, most: int = MOST_TOGETHER, run_batch: RunBatch = in_a_thread
    ) -> None:
        self._batch = batch
        self._most = most
        self._run_batch = run_batch
        self._queues: WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = WeakKeyDictionary()

    async def run(self, call: Callable[..., Any]) -> Any:
        loop = asyncio.get_running_loop()
        queue = self._queues.setdefault(loop, _Queue())
        in_its_context = partial(contextvars.copy_context().run, call)
        waiting = _Waiting(in_its_context, loop.create_future())
        queue.waiting.append(waiting)
        if queue.draining is None:
            queue.draining = loop.create_task(self._drain(queue))
        return await waiting.answer

    async def _drain(self, queue: _Queue) -> None:
        batch: list[_Waiting] = []
        try:
            while queue.waiting:
                batch, queue.waiting = queue.waiting[: self._most], queue.waiting[self._most :]
                calls = [waiting.call for waiting in batch]
                outcomes = await self._run_batch(self._batch, calls)
                for waiting, outcome in zip(batch, outcomes, strict=True):
                    waiting.settle(outcome)
                batch = []
        finally:
            queue.draining = None
            for waiting in (*batch, *queue.waiting):  # only when the loop is shutting down
                waiting.answer.cancel()
            queue.waiting.clear()
