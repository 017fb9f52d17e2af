"""The CPU a member's `today` and `week` cost in-process, for random members of a schema that
``bench/scale.py --build`` made (the services as a request runs them, answer written as JSON; no
HTTP, no page kept). Prints the median and p90 of ``time.process_time`` per request, and the
answer's size.

Usage:
  .venv/bin/python bench/member_reads.py --schema bw_scale10m [--requests 400]
For a before/after pair, build a second schema with the older revision's code and run this script
with that revision's ``src`` first on ``PYTHONPATH`` (it falls back to ``today`` and ``this_week``
written as JSON where ``today_json`` and ``this_week_json`` do not exist yet).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import scale
from bumpwise.config import Settings
from bumpwise.services import accounts, sessions
from bumpwise.web.app import build_context, settle_garbage_collector

View = Callable[..., object]


def _as_json(view: View) -> Callable[..., bytes]:
    def answered(*args: object) -> bytes:
        found = view(*args)
        return found if isinstance(found, bytes) else found.model_dump_json().encode()  # type: ignore[attr-defined]

    return answered


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=scale.POSTGRES_URL)
    parser.add_argument("--schema", default="bw_scale")
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    built = json.loads(scale.state_file(args.schema).read_text())
    url = scale.schema_url(args.url, args.schema)
    ctx = build_context(Settings(env="test", database_url=url, cheap_password_hashing=True))
    settle_garbage_collector()  # as a serving worker does
    now = datetime.now(UTC)
    today = date.fromisoformat(built["built_on"])
    chooser = random.Random(3)
    tokens = list(built["members"].values())
    members = [
        accounts.api_token_principal(ctx.uow(), chooser.choice(tokens), now) for _ in range(args.requests)
    ]
    views = {
        "today": _as_json(getattr(sessions, "today_json", sessions.today)),
        "week": _as_json(getattr(sessions, "this_week_json", sessions.this_week)),
    }
    for name, view in views.items():
        for member in members[:50]:  # warm-up
            view(ctx.uow(), ctx.kb, member, today, now)
        times, size = [], 0
        for member in members[50:]:
            started = time.process_time()
            size = len(view(ctx.uow(), ctx.kb, member, today, now))
            times.append((time.process_time() - started) * 1000)
        p90 = sorted(times)[int(len(times) * 0.9)]
        print(f"{name}: CPU {statistics.median(times):.2f} ms median, {p90:.2f} p90; {size:,} bytes")
    ctx.engine.dispose()


if __name__ == "__main__":
    main()
