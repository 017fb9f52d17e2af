"""What the garbage collector costs a worker serving random members, by parsed-plan cache size.

Each size runs in a fresh process (the collector's state is per process): the app's context on
the schema that ``bench/scale.py --build`` made, the collector settled as a serving worker settles
it, then ``--requests`` token checks and ``today`` pages for members drawn at random from the
bench's 2,000 tokens, one at a time. Every collection is timed with ``gc.callbacks``.

    .venv/bin/python bench/collector.py --schema bw_scale10m --requests 8000 --sizes 0,64,1024

Prints, per size: the page's p50, p99 and slowest time, the collections of each generation with
their total and longest time, and the objects the collector tracks at the end (not counting the
frozen ones).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from typing import Any

from scale import POSTGRES_URL, schema_url, state_file


def one_size(url: str, built: dict[str, Any], size: int, requests: int) -> dict[str, Any]:
    os.environ["BUMPWISE_PLAN_CACHE_SIZE"] = str(size)
    from bumpwise.config import Settings
    from bumpwise.services import accounts, sessions
    from bumpwise.web.app import build_context, settle_garbage_collector

    ctx = build_context(Settings(env="test", database_url=url, cheap_password_hashing=True))
    settle_garbage_collector()
    today, now = date.today(), datetime.now(UTC)
    members = list(built["members"].values())
    chooser = random.Random(3)
    started: list[float] = []
    collections: list[tuple[int, float]] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        else:
            collections.append((info["generation"], (time.perf_counter() - started.pop()) * 1000))

    gc.callbacks.append(timed)
    times = []
    for _ in range(requests):
        token = chooser.choice(members)
        begun = time.perf_counter()
        user = accounts.api_token_principal(ctx.uow(), token, now)
        assert user is not None
        sessions.today(ctx.uow(), ctx.kb, user, today, now).model_dump_json()
        times.append((time.perf_counter() - begun) * 1000)
    gc.callbacks.remove(timed)
    times.sort()
    by_generation = {generation: [ms for g, ms in collections if g == generation] for generation in range(3)}
    return {
        "p50_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99)],
        "max_ms": times[-1],
        "collections": {g: (len(ms), sum(ms), max(ms, default=0.0)) for g, ms in by_generation.items()},
        "tracked": len(gc.get_objects()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=POSTGRES_URL)
    parser.add_argument("--schema", default="bw_scale")
    parser.add_argument("--requests", type=int, default=8000)
    parser.add_argument("--sizes", default="0,64,1024", help="parsed-plan cache sizes, comma-separated")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    os.environ.setdefault("BUMPWISE_ENV", "test")
    state = state_file(options.schema)
    if not state.exists():
        sys.exit(
            f"{state} is missing: build the schema with bench/scale.py --schema {options.schema} --build"
        )
    built = json.loads(state.read_text())
    if options.one is not None:
        print(
            json.dumps(
                one_size(schema_url(options.url, options.schema), built, options.one, options.requests)
            )
        )
        return
    print(
        f"{options.requests:,} `today` pages for random members of {built['sizes']['members']:,}, "
        "one process a size\n"
    )
    print(
        "| plan cache | p50 / p99 / slowest ms | young: count, total, longest ms | middle | oldest "
        "| tracked at end |"
    )
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in options.sizes.split(",")):
        command = [sys.executable, __file__, "--url", options.url, "--schema", options.schema]
        done = subprocess.run(
            [*command, "--requests", str(options.requests), "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        generations = " | ".join(
            f"{n}, {total:,.0f}, {longest:,.1f}" for n, total, longest in row["collections"].values()
        )
        print(
            f"| {size:,} | {row['p50_ms']:.1f} / {row['p99_ms']:.1f} / {row['max_ms']:,.1f} | {generations} "
            f"| {row['tracked']:,} |"
        )


if __name__ == "__main__":
    main()
