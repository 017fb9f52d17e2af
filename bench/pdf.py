"""PDF export speed: a 12-week plan printed in-process and by `bumpwise export pdf` end to end.

Usage: .venv/bin/python bench/pdf.py [--runs 5] [--weeks 12]
Prints medians (wall and CPU) per step; the machines are shared and noisy, so read medians and
re-run before comparing. The first in-process render includes importing WeasyPrint. The floor
lines time `python -c pass` and a process that only imports the CLI and WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile

PROFILE = {
    "stage": {"kind": "pregnant", "week": 24},
    "conditions": ["pelvic_girdle_pain"],
    "activity_level": "active",
    "equipment": ["dumbbells", "small_ball", "chair"],
    "days_per_week": 5,
    "minutes_per_session": 30,
}
START = date(2026, 3, 2)


def timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def report(name: str, walls: list[float], cpus: list[float] | None = None) -> None:
    cpu = f"  cpu median {statistics.median(cpus):.2f} s" if cpus else ""
    print(f"{name:44s} wall median {statistics.median(walls):.2f} s  max {max(walls):.2f} s{cpu}")


def in_process(weeks: int, runs: int) -> None:
    kb = default_knowledge()
    plan = build_plan(parse_profile(PROFILE, kb), kb, start=START, weeks=weeks).document()
    wall, _, _ = timed(lambda: __import__("weasyprint"))
    print(f"{'import weasyprint (once)':44s} wall {wall:.2f} s")
    from bumpwise.exports.pdf import html_to_pdf, plan_html

    walls, cpus, html_walls = [], [], []
    for _ in range(runs):
        html_wall, _, html = timed(lambda: plan_html(plan, kb))
        wall, cpu, pdf = timed(lambda html=html: html_to_pdf(html))
        html_walls.append(html_wall)
        walls.append(html_wall + wall)
        cpus.append(cpu)
    report(f"{weeks}-week plan: templates (HTML)", html_walls)
    report(f"{weeks}-week plan: HTML + PDF in-process", walls, cpus)
    print(f"  {page_count(pdf)} pages, {len(pdf):,} bytes")


def page_count(pdf: bytes) -> str:
    """Pages by pdfinfo (poppler-utils), when it is installed."""
    if shutil.which("pdfinfo") is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def floor(runs: int) -> None:
    """What every process pays before any work of ours: the interpreter, then importing the CLI
    and WeasyPrint (a `bumpwise export pdf` cannot take less)."""
    for name, code in (
        ("python -c pass (process)", "pass"),
        ("import CLI + WeasyPrint only (process)", "import bumpwise.cli, weasyprint"),
    ):
        command = [sys.executable, "-c", code]
        report(name, [timed(lambda c=command: subprocess.run(c, check=True))[0] for _ in range(runs)])


def cli(weeks: int, runs: int) -> None:
    walls = []
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile.json"
        profile.write_text(json.dumps(PROFILE), encoding="utf-8")
        out = Path(folder) / "plan.pdf"
        bumpwise = str(Path(sys.executable).with_name("bumpwise"))
        command = [bumpwise, "export", "pdf", str(profile), "--weeks", str(weeks), "--out", str(out)]
        command += ["--start", START.isoformat()]
        for _ in range(runs):
            wall, _, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
            walls.append(wall)
    report(f"bumpwise export pdf --weeks {weeks} (process)", walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args()
    in_process(args.weeks, args.runs)
    cli(args.weeks, args.runs)
    floor(args.runs)
    in_process(1, args.runs)


if __name__ == "__main__":
    main()
