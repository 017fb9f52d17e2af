"""persistence.together: blocking calls that arrive together share one thread-pool hop, each in
its own request's context, and each caller gets exactly its own value or exception."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from functools import partial
from typing import Any

import pytest

from asyncsupport import in_its_own_loop
from bumpwise.persistence.together import Outcome, Together, one_by_one

WHO: ContextVar[str] = ContextVar("who", default="nobody")


class CountedBatches:
    """``one_by_one``, recording each batch's size and the thread it ran in."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.threads: set[int] = set()

    def __call__(self, calls: Sequence[Callable[[], Any]]) -> list[Outcome]:
        self.sizes.append(len(calls))
        self.threads.add(threading.get_ident())
        return one_by_one(calls)


def sent_together(together: Together, calls: list[tuple[str, Callable[[], Any]]]) -> list[Any]:
    """Each call sent by its own task (a request), named in its context, in one turn of the loop."""

    async def request(name: str, call: Callable[[], Any]) -> Any:
        WHO.set(name)
        return await together.run(call)

    async def at_once() -> list[Any]:
        return await asyncio.gather(*(request(n, c) for n, c in calls), return_exceptions=True)

    return in_its_own_loop(at_once)


def test_calls_sent_together_share_one_hop_each_in_its_own_context() -> None:
    batches = CountedBatches()

    answers = sent_together(Together(batches), [(f"request {n}", WHO.get) for n in range(5)])

    assert answers == [f"request {n}" for n in range(5)]
    assert batches.sizes == [5]
    assert len(batches.threads) == 1 and threading.get_ident() not in batches.threads


def test_each_caller_gets_its_own_value_or_exception() -> None:
    def fails() -> None:
        raise LookupError("this one's read failed")

    answers = sent_together(Together(), [("a", lambda: 1), ("b", fails), ("c", lambda: 3)])

    assert answers[0] == 1 and answers[2] == 3
    assert isinstance(answers[1], LookupError) and str(answers[1]) == "this one's read failed"


@pytest.mark.parametrize(("most", "sizes"), [(2, [2, 2, 1]), (64, [5])])
def test_a_batch_holds_at_most_most_calls(most: int, sizes: list[int]) -> None:
    batches = CountedBatches()

    answers = sent_together(Together(batches, most=most), [(str(n), partial(int, n)) for n in range(5)])

    assert answers == list(range(5))
    assert batches.sizes == sizes


def test_calls_that_arrive_while_a_batch_runs_go_together_in_the_next() -> None:
    batches = CountedBatches()
    together = Together(batches)
    first_is_running, let_it_finish = threading.Event(), threading.Event()

    def first() -> str:
        first_is_running.set()
        let_it_finish.wait(10)
        return "first"

    async def scenario() -> list[Any]:
        started = asyncio.ensure_future(together.run(first))
        await asyncio.to_thread(first_is_running.wait, 10)
        later = [asyncio.ensure_future(together.run(partial(int, n))) for n in range(3)]
        await asyncio.sleep(0)
        let_it_finish.set()
        return [await started, *[await task for task in later]]

    assert in_its_own_loop(scenario) == ["first", 0, 1, 2]
    assert batches.sizes == [1, 3]
