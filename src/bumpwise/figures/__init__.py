"""Figures: line drawings of each exercise, made from our own pose data (knowledge/figures).

Pure Python; imports no web or database code. ``figure_svg`` draws one exercise (or variant) for a
stage: the bump grows with the pregnancy week and is absent early on and after birth.
"""

from __future__ import annotations

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.exercise import Exercise, Variant
from bumpwise.domain.stage import Stage
from bumpwise.figures.drawing import Drawing, bump_depth, draw
from bumpwise.figures.library import FigureLibrary, default_figures
from bumpwise.figures.model import FigureSpec
from bumpwise.figures.svg import joined, render_svg

__all__ = [
    "FigureLibrary",
    "bump_depth",
    "default_figures",
    "describe",
    "draw",
    "figure_svg",
    "positions_text",
]

PROP_WORDS = {"resistance_band": "a resistance band", "mini_band": "a mini band", "dumbbells": "dumbbells"}


def figure_svg(
    exercise: Exercise,
    variant: Variant | None,
    stage: Stage | None,
    library: FigureLibrary | None = None,
    *,
    animated: bool = True,
) -> str:
    """The SVG of one exercise or variant; ``animated=False`` gives the positions side by side."""
    spec = (library or default_figures()).spec(exercise, variant)
    drawing = draw(spec, stage)
    title = exercise.name if variant is None else f"{exercise.name}: {variant.name}"
    return render_svg(drawing, title, describe(drawing, stage), animated=animated)


def describe(drawing: Drawing, stage: Stage | None) -> str:
    """The figure in words, for screen readers."""
    spec: FigureSpec = drawing.spec
    words = [f"Line drawing seen from the {spec.view.value}, {_stage_words(stage)}.", positions_text(spec)]
    props = sorted({p.prop.value for p in spec.props})
    if props:
        words.append(f"With {joined(PROP_WORDS.get(p, 'a ' + p.replace('_', ' ')) for p in props)}.")
    return " ".join(words)


def positions_text(spec: FigureSpec) -> str:
    """The positions in words: "Start: …. End: …." """
    if len(spec.frames) == 1:
        return _("Position: %(pose)s.", pose=spec.frames[0].says)
    names = (N_("Start: %(pose)s."), N_("Middle: %(pose)s."), N_("End: %(pose)s."))
    chosen = names if len(spec.frames) == 3 else (names[0], names[2])
    return " ".join(_(name, pose=pose.says) for name, pose in zip(chosen, spec.frames, strict=True))


def _stage_words(stage: Stage | None) -> str:
    if stage is None:
        return "without a bump"
    if not stage.pregnant:
        return f"{stage.week} weeks after birth, without a bump"
    if bump_depth(stage) == 0:
        return f"at week {stage.week} of pregnancy, before the bump shows"
    return f"with the bump of week {stage.week} of pregnancy"
