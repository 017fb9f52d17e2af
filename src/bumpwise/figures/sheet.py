"""A contact sheet for review: every exercise and variant at three stage weeks, on one HTML page,
each figure with its positions side by side (not animated).

The figures are embedded as ``data:`` images, so the page stands alone and WeasyPrint can print
it without fetching anything.
"""

from __future__ import annotations

import base64
from html import escape

from bumpwise.domain.exercise import Exercise
from bumpwise.domain.stage import Stage
from bumpwise.domain.vocab import Delivery, StageKind
from bumpwise.figures import figure_svg
from bumpwise.figures.library import FigureLibrary

SHEET_STAGES: tuple[Stage, ...] = (
    Stage(kind=StageKind.PREGNANT, week=10),
    Stage(kind=StageKind.PREGNANT, week=26),
    Stage(kind=StageKind.PREGNANT, week=38),
)
POSTPARTUM_NOTE = Stage(kind=StageKind.POSTPARTUM, week=8, delivery=Delivery.VAGINAL)

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;color:#2f3a42;margin:16px}
h1{font-size:20px}h2{font-size:15px;margin:18px 0 4px}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;break-inside:avoid;page-break-inside:avoid}
figure{margin:0;border:1px solid #e2ddd4;border-radius:6px;padding:4px;width:190px}
figure img{width:100%;height:auto}figcaption{font-size:12px;color:#6b665f}
@page{size:A4 landscape;margin:10mm}
"""


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _stage_label(stage: Stage) -> str:
    return f"week {stage.week} pregnant" if stage.pregnant else f"{stage.week} weeks after birth"


def sheet_html(
    exercises: dict[str, Exercise], library: FigureLibrary, stages: tuple[Stage, ...] = SHEET_STAGES
) -> str:
    rows = []
    count = 0
    for exercise in sorted(exercises.values(), key=lambda e: e.name):
        for variant in (None, *exercise.variants):
            heading = exercise.name if variant is None else f"{exercise.name}: {variant.name} ({variant.key})"
            cells = []
            for stage in stages:
                svg = figure_svg(exercise, variant, stage, library, animated=False)
                cells.append(
                    f'<figure><img src="{_data_uri(svg)}" alt="{escape(heading)}, {_stage_label(stage)}">'
                    f"<figcaption>{_stage_label(stage)}</figcaption></figure>"
                )
                count += 1
            rows.append(
                f'<h2 id="{exercise.id}-{variant.key if variant else "plain"}">{escape(heading)}</h2>'
                f'<div class="row">{"".join(cells)}</div>'
            )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>bumpwise figures: contact sheet</title>"
        f"<style>{STYLE}</style><h1>bumpwise figures: {count} drawings of {len(exercises)} exercises</h1>"
        + "".join(rows)
        + "</html>"
    )
