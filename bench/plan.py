"""Plan building speed: in-process over random profiles (1 and 12 weeks) and the CLI end to end.

Usage: .venv/bin/python bench/plan.py [--profiles 1000] [--cli-runs 20]
Prints medians and p99s; the machines are shared and noisy, so compare medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import Profile, parse_profile
from bumpwise.domain.vocab import ActivityLevel, Equipment

MODIFIERS = [
    "pelvic_girdle_pain",
    "diastasis_recti",
    "pelvic_floor_dysfunction",
    "low_back_pain",
    "knee_pain",
]
SYMPTOMS = [
    "pelvic_pain_flare",
    "urinary_leakage",
    "pelvic_heaviness",
    "abdominal_doming",
    "supine_lightheadedness",
    "back_pain",
    "knee_pain",
]


def random_profile(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.6:
        stage: dict[str, Any] = {"kind": "pregnant", "week": rng.randint(1, 42)}
    else:
        stage = {
            "kind": "postpartum",
            "week": rng.randint(0, 104),
            "delivery": rng.choice(["vaginal", "caesarean"]),
        }
    return {
        "stage": stage,
        "conditions": rng.sample(MODIFIERS, rng.randint(0, 2)),
        "symptoms": rng.sample(SYMPTOMS, rng.choice([0, 0, 0, 1, 2])),
        "activity_level": rng.choice([a.value for a in ActivityLevel]),
        "equipment": rng.sample([e.value for e in Equipment], rng.randint(0, 8)),
        "days_per_week": rng.randint(1, 7),
        "minutes_per_session": rng.choice([10, 20, 30, 45, 60, 90]),
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_in_process(profiles: list[Profile], weeks: int) -> list[float]:
    kb = default_knowledge()
    start = date(2026, 11, 23)
    timings = []
    for i, profile in enumerate(profiles):
        began = time.perf_counter()
        build_plan(profile, kb, start=start, weeks=weeks, seed=i)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def time_cli(profile: dict[str, Any], runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("bumpwise")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(profile, handle)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([str(exe), "plan", handle.name, "--format", "json"], check=True, capture_output=True)
        timings.append((time.perf_counter() - began) * 1000)
    Path(handle.name).unlink()
    return timings


def report(label: str, timings: list[float]) -> None:
    print(
        f"{label:38} median {statistics.median(timings):8.2f} ms   p99 {percentile(timings, 0.99):8.2f} ms"
        f"   (n={len(timings)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--cli-runs", type=int, default=20)
    args = parser.parse_args()
    kb = default_knowledge()
    rng = random.Random(2026)
    profiles = [parse_profile(random_profile(rng), kb) for _ in range(args.profiles)]
    time_in_process(profiles[:50], 1)  # warm caches and imports
    report("in-process, 1 week", time_in_process(profiles, 1))
    report("in-process, 12 weeks", time_in_process(profiles, 12))
    sample = {
        "stage": {"kind": "pregnant", "week": 30},
        "conditions": ["pelvic_girdle_pain"],
        "activity_level": "active",
        "equipment": ["dumbbells", "small_ball", "chair"],
        "days_per_week": 5,
        "minutes_per_session": 30,
    }
    report("CLI end to end, plan 1 week (json)", time_cli(sample, args.cli_runs))


if __name__ == "__main__":
    main()
