"""The job queue (issue 18): huey, on Redis when several machines share the work, on a SQLite
file when one machine does it all, or inline (the job runs at once, in the caller: tests).

huey is small, maintained, keeps retries and periodic jobs in one place, and has a storage for
each of the two setups bumpwise supports, so the same job code runs on a laptop and on a cluster.
Results are never stored: a job's only outcome is what it does (a message sent, plans rebuilt),
and a mail job's arguments (a reset link is a credential) leave the queue once it has run.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from huey import MemoryHuey, RedisHuey, SqliteHuey

from bumpwise.config import INLINE_QUEUE

QUEUE_NAME = "bumpwise"
log = logging.getLogger("bumpwise.jobs")
IDLE_POLL_SECONDS = 1.0
"""How long an idle worker waits before looking again (huey's default backs off to 10 s): a
confirmation or reset mail should not keep someone waiting; a poll of an empty queue is cheap."""
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Task(Protocol):
    """A registered job: calling it enqueues; ``call_local`` runs it here and now."""

    def __call__(self, *args: Any) -> object: ...

    def call_local(self, *args: Any) -> object: ...


class Queue:
    """One huey instance, typed at the edge so the rest of bumpwise never sees huey itself."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._huey: Any = _huey_for(url)

    @property
    def inline(self) -> bool:
        return self.url == INLINE_QUEUE

    def task(
        self, name: str, *, retries: int = 0, retry_delay: int = 0
    ) -> Callable[[Callable[..., None]], Task]:
        decorate: Callable[[Callable[..., None]], Task] = self._huey.task(
            name=name, retries=retries, retry_delay=retry_delay
        )
        return decorate

    def periodic(self, name: str, *, minute: str, hour: str = "*") -> Callable[[Callable[[], None]], Task]:
        from huey import crontab

        decorate: Callable[[Callable[[], None]], Task] = self._huey.periodic_task(
            crontab(minute=minute, hour=hour), name=name
        )
        return decorate

    def pending(self) -> int:
        return int(self._huey.pending_count())

    def flush(self) -> None:
        self._huey.flush()

    def worker(self, threads: int, *, periodic: bool = True) -> Worker:
        return Worker(self._huey, threads, periodic=periodic)


def _huey_for(url: str) -> Any:
    if url == INLINE_QUEUE:
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)  # queued mail may hold a reset link: readable by the server's user only
    return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)


class Worker:
    """huey's consumer in threads. ``run`` is a process of its own (``bumpwise worker``) and
    handles the signals; ``start``/``stop`` work the queue from inside ``bumpwise serve``, whose
    server already owns the signals, so the consumer must not install its own."""

    def __init__(self, huey: Any, threads: int, *, periodic: bool) -> None:
        self._consumer: Any = huey.create_consumer(
            workers=threads,
            worker_type="thread",
            periodic=periodic,
            check_worker_health=False,
            max_delay=IDLE_POLL_SECONDS,
        )

    def run(self) -> None:
        self._consumer.run()

    def start(self) -> None:
        """Work the queue in threads of this process (from its main thread), leaving its signal
        handlers as they were: the consumer installs its own on start, the server owns them."""
        kept = {number: signal.getsignal(number) for number in HANDLED_SIGNALS}
        self._consumer.start()
        for number, handler in kept.items():
            signal.signal(number, handler)
        log.info("job queue worked in this process by %d thread(s)", self._consumer.workers)

    def stop(self) -> None:
        self._consumer.stop(graceful=True)
