"""Stored plans (issue 18): their size as stored and the cost of reading one back.

Usage: .venv/bin/python bench/stored_plans.py [--profiles 300] [--repeats 5]
For random valid profiles (bench/plan.py's generator), one week's plan as the app stores it:
- size: plain JSON (how plans were stored until migration 0015) and packed (zlib, now);
- read: the old path (the driver's json.loads, then validating the dict) and the new one
  (decompress, then pydantic parses the JSON text itself), beside a floor of the same run:
  json.loads of the same text alone. Medians; the machine is shared, so read the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.persistence.packing import pack, unpack
from plan import random_profile


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    kb = default_knowledge()
    rng = random.Random(18)
    documents = []
    for _ in range(args.profiles):
        profile = parse_profile(random_profile(rng), kb)
        documents.append(build_plan(profile, kb, start=date(2026, 12, 7), weeks=1, seed=1).json())
    texts = [json.dumps(d, separators=(",", ":")).encode() for d in documents]
    blobs = [pack(t) for t in texts]
    plain = statistics.median(len(t) for t in texts) / 1000
    packed = statistics.median(len(b) for b in blobs) / 1000
    ratio = packed / plain
    print(
        f"{args.profiles} one-week plans, median size: "
        f"JSON {plain:.1f} kB, packed {packed:.1f} kB ({ratio:.2f})"
    )
    floor = median_ms(lambda: [json.loads(t) for t in texts], args.repeats) / len(texts)
    old = median_ms(lambda: [PlanDocument.model_validate(json.loads(t)) for t in texts], args.repeats)
    new = median_ms(lambda: [PlanDocument.model_validate_json(unpack(b)) for b in blobs], args.repeats)
    old, new = old / len(texts), new / len(texts)
    print(f"read one plan: floor json.loads {floor:.3f} ms")
    print(f"  before (json.loads + validate) {old:.3f} ms = {old / floor:.1f}x floor")
    print(f"  now (unpack + validate the JSON text) {new:.3f} ms = {new / floor:.1f}x floor")


if __name__ == "__main__":
    main()
