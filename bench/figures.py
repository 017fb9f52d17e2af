"""Figure speed and size (issue 14): one exercise drawn as SVG, in-process.

Usage: .venv/bin/python bench/figures.py [--rounds 5]
Renders every exercise and variant at pregnancy week 30 (animated) and prints the SVG size
(median and largest) and the render time per figure (median and p95), beside two floors timed in
the same run: building a string of the same size with one f-string per shape (the cost of the
text alone) and ``exercise_detail_json`` (what a page already spends on each exercise). Targets:
≤ 6 kB and ≤ 2 ms median per figure. The service caches rendered figures; the cached path is
timed too.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bumpwise.domain.contract import exercise_detail_json
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.stage import Stage
from bumpwise.domain.vocab import StageKind
from bumpwise.figures import default_figures, figure_svg
from bumpwise.services.figures import FigureQuery, exercise_figure

WEEK_30 = Stage(kind=StageKind.PREGNANT, week=30)


def per_call_ms(step: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        step()
    return (time.perf_counter() - start) * 1000 / calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    kb = default_knowledge()
    started = time.perf_counter()
    library = default_figures()
    load_ms = (time.perf_counter() - started) * 1000
    cases = [(e, v) for e in kb.exercises.values() for v in (None, *e.variants)]
    sizes = [len(figure_svg(e, v, WEEK_30, library).encode("utf-8")) for e, v in cases]
    render: list[float] = []
    text_floor: list[float] = []
    detail_floor: list[float] = []
    for _ in range(rounds):
        for exercise, variant in cases:
            render.append(per_call_ms(lambda e=exercise, v=variant: figure_svg(e, v, WEEK_30, library), 3))
            text_floor.append(
                per_call_ms(
                    lambda: "".join(f'<polyline class="b" points="{i},{i} {i},{i}"/>' for i in range(60)), 3
                )
            )
            detail_floor.append(per_call_ms(lambda e=exercise: exercise_detail_json(e), 3))
    query = FigureQuery(week=30)
    exercise_figure(kb, "glute-bridge", query)
    cached = per_call_ms(lambda: exercise_figure(kb, "glute-bridge", query), 2000)

    def line(name: str, values: list[float]) -> str:
        p95 = statistics.quantiles(values, n=20)[-1]
        return f"{name:<44} median {statistics.median(values):7.3f} ms   p95 {p95:7.3f} ms"

    print(f"{len(cases)} figures (every exercise and variant), week 30, {rounds} rounds")
    median_kb, largest_kb = statistics.median(sizes) / 1024, max(sizes) / 1024
    print(f"SVG size: median {median_kb:.2f} kB, largest {largest_kb:.2f} kB (target ≤ 6 kB)")
    print(f"load and check the pose data (once per process): {load_ms:.0f} ms")
    print(line("render one figure (figure_svg)", render))
    print(line("floor: 60 shapes' text by f-strings", text_floor))
    print(line("floor: exercise_detail_json", detail_floor))
    print(f"{'service, cached (exercise_figure)':<44} median {cached:7.3f} ms")


if __name__ == "__main__":
    main()
