"""What a request pays to send an e-mail (issue 18): sending it there and then, through a local
SMTP server with STARTTLS (the app's real path, tests/smtpsupport.py), against putting it on the
job queue (a SQLite file, or Redis on this machine) for a worker to send.

Usage: .venv/bin/python bench/mail_queue.py [--messages 200]
Prints medians and p95 per message. The machine is shared: read the ratios of the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bumpwise.bootstrap import build
from bumpwise.config import Settings
from smtpsupport import certificate, smtp_server

REDIS_URL = "redis://127.0.0.1:6379/13"
BODY = "Open http://127.0.0.1:8000/reset/a-token-of-forty-three-characters-or-so to choose a password."


def timed(send: Callable[[], None], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        send()
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(label: str, times: list[float], floor: float) -> str:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"| {label} | {median:.2f} | {p95:.2f} | {median / floor:.1f}x |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    count = parser.parse_args().messages
    with tempfile.TemporaryDirectory() as tmp, smtp_server(Path(tmp)) as (_, port):
        folder = Path(tmp)
        mail = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_ca_file": certificate(folder)}
        database = f"sqlite:///{folder / 'app.db'}"
        direct = build(Settings(env="test", database_url=database, queue_url="inline", **mail))
        on_file = build(
            Settings(env="test", database_url=database, queue_url=f"sqlite:///{folder / 'q.db'}", **mail)
        )
        on_redis = build(Settings(env="test", database_url=database, queue_url=REDIS_URL, **mail))
        on_redis.jobs.queue.flush()
        results = {
            "sent in the request (SMTP, STARTTLS)": timed(
                lambda: direct.deliver("m@example.org", "Reset", BODY), count
            ),
            "queued: SQLite file": timed(lambda: on_file.deliver("m@example.org", "Reset", BODY), count),
            "queued: Redis": timed(lambda: on_redis.deliver("m@example.org", "Reset", BODY), count),
        }
        on_redis.jobs.queue.flush()
    floor = statistics.median(results["queued: Redis"])
    print(f"{count} messages each; ms per message; ratio to the Redis enqueue of the same run")
    print("| how | median ms | p95 ms | ÷ Redis enqueue |")
    print("|---|---|---|---|")
    for label, times in results.items():
        print(row(label, times, floor))


if __name__ == "__main__":
    main()
