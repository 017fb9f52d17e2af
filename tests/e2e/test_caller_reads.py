"""The caller's one read (web/deps.read_caller): on SQLite on the event loop; on PostgreSQL in the
thread pool, in one hop with the reads that arrive with it, each in its own request's context."""

from __future__ import annotations

import asyncio
import threading
import time

from fastapi import FastAPI

from asyncsupport import in_its_own_loop
from bumpwise.domain.locale import current_language, request_scope, use_language
from bumpwise.web.deps import read_caller
from websupport import ctx_of


def test_reads_sent_together_run_where_the_database_wants_them(app: FastAPI) -> None:
    ctx = ctx_of(app)

    def read() -> tuple[int, str]:
        time.sleep(0.02)  # long enough that reads in hops of their own would overlap in threads
        return threading.get_ident(), current_language()

    async def request(language: str) -> tuple[int, str]:
        with request_scope():
            use_language(language)
            return await read_caller(ctx, read)

    async def at_once() -> tuple[int, list[tuple[int, str]]]:
        answers = await asyncio.gather(*(request(lang) for lang in ("es", "en", "es", "en")))
        return threading.get_ident(), answers

    loop_thread, answers = in_its_own_loop(at_once)

    assert [language for _, language in answers] == ["es", "en", "es", "en"]
    threads = {thread for thread, _ in answers}
    if ctx.callers.blocks_long:
        assert len(threads) == 1 and loop_thread not in threads
    else:
        assert threads == {loop_thread}
