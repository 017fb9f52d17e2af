"""CLI cold start: wall time of whole `bumpwise` processes, beside the bare interpreter.

Usage: .venv/bin/python bench/cli_start.py [--runs 15]
"warm cache" is the usual case (the validated knowledge base is read from the cache); "first
run" gives each process an empty cache directory, so it validates every knowledge file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROFILE = {
    "stage": {"kind": "pregnant", "week": 30},
    "conditions": ["pelvic_girdle_pain"],
    "activity_level": "active",
    "equipment": ["dumbbells", "small_ball", "chair"],
}


def wall_times(command: list[str], runs: int, fresh_cache: bool = False) -> list[float]:
    timings = []
    for _ in range(runs):
        env = dict(os.environ)
        with tempfile.TemporaryDirectory() as cache:
            if fresh_cache:
                env["BUMPWISE_CACHE_DIR"] = cache
            began = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            timings.append((time.perf_counter() - began) * 1000)
    return timings


def report(label: str, timings: list[float], floor: float) -> None:
    median = statistics.median(timings)
    p95 = sorted(timings)[int(0.95 * (len(timings) - 1))]
    print(f"{label:44} median {median:7.1f} ms   p95 {p95:7.1f} ms   {median / floor:5.1f}x python -c pass")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    exe = str(Path(sys.executable).with_name("bumpwise"))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(PROFILE, handle)
    screen = [exe, "screen", handle.name, "--format", "json"]
    subprocess.run(screen, check=True, capture_output=True)  # fill the cache
    floor = statistics.median(wall_times([sys.executable, "-c", "pass"], runs))
    print(f"{'python -c pass':44} median {floor:7.1f} ms")
    report("bumpwise screen --format json (warm cache)", wall_times(screen, runs), floor)
    report("bumpwise screen (text, warm cache)", wall_times(screen[:3], runs), floor)
    report("bumpwise screen --format json (first run)", wall_times(screen, runs, fresh_cache=True), floor)
    plan = [exe, "plan", handle.name, "--format", "json"]
    report("bumpwise plan --format json (warm cache)", wall_times(plan, runs), floor)
    Path(handle.name).unlink()


if __name__ == "__main__":
    main()
