"""Figures (issue 14): the drawing agrees with the safety attributes it illustrates.

Every exercise and variant of the shipped library is drawn and measured: stance width against
``wide_stance``, the trunk against ``position``, one foot leading in split stances, the props
against the equipment, constant segment lengths and human joint ranges, and the bump against the
stage week. The SVG is checked for size, accessibility and safe text.
"""

from __future__ import annotations

import ast
import itertools
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

import bumpwise.figures
from builders import kb
from bumpwise.domain.exercise import Exercise, Variant
from bumpwise.domain.stage import Stage
from bumpwise.domain.vocab import Delivery, Equipment, Load, Pattern, Position, StageKind
from bumpwise.figures import bump_depth, default_figures, draw, figure_svg
from bumpwise.figures.checks import (
    drawn_props,
    foot_lead,
    joint_problems,
    segment_lengths,
    stance_wider_than_shoulders,
    trunk_tilt,
)
from bumpwise.figures.drawing import Curve, Drawing
from bumpwise.figures.model import View
from bumpwise.figures.rig import FOOT
from bumpwise.figures.svg import render_svg

SVG_BUDGET = 6 * 1024
WEEK_30 = Stage(kind=StageKind.PREGNANT, week=30)


def cases() -> Iterator[tuple[Exercise, Variant | None]]:
    for exercise in kb().exercises.values():
        yield exercise, None
        for variant in exercise.variants:
            yield exercise, variant


CASES = list(cases())
IDS = [f"{e.id}:{v.key if v else 'plain'}" for e, v in CASES]


def attributes(exercise: Exercise, variant: Variant | None) -> dict[str, object]:
    facts = exercise.attributes()
    if variant is not None:
        facts.update(variant.set.model_dump(exclude_none=True))
    return facts


def drawing_of(exercise: Exercise, variant: Variant | None, stage: Stage | None = None) -> Drawing:
    return draw(default_figures().spec(exercise, variant), stage)


def ex(exercise_id: str) -> Exercise:
    return kb().exercises[exercise_id]


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_every_exercise_and_variant_has_a_small_accessible_figure(
    exercise: Exercise, variant: Variant | None
):
    svg = figure_svg(exercise, variant, WEEK_30)
    assert len(svg.encode("utf-8")) <= SVG_BUDGET
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    title, desc = root.findtext(f"{ns}title"), root.findtext(f"{ns}desc")
    assert title is not None and title.startswith(exercise.name)
    assert desc is not None and "week 30 of pregnancy" in desc


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_feet_or_knees_are_wider_than_the_shoulders_exactly_when_wide_stance(exercise, variant):
    drawing = drawing_of(exercise, variant)
    wide = attributes(exercise, variant)["wide_stance"]
    if drawing.spec.view is View.SIDE:
        assert not wide, "a wide stance must be drawn from the front"
        return
    measured = [
        stance_wider_than_shoulders(frame.body, pose.position)
        for frame, pose in zip(drawing.frames, drawing.spec.frames, strict=True)
    ]
    assert any(measured) == wide


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_the_trunk_lies_flat_inclines_or_stands_as_the_position_says(exercise, variant):
    drawing = drawing_of(exercise, variant)
    position = attributes(exercise, variant)["position"]
    start = drawing.frames[0].body
    assert drawing.spec.frames[0].position == position
    if position == Position.SUPINE:
        assert trunk_tilt(start) <= 12
    elif position == Position.RECLINED:
        assert 15 <= trunk_tilt(start) <= 65
    elif position == Position.STANDING:  # upright; a hinge or bent-over row leans but never lies down
        tilts = [trunk_tilt(frame.body) for frame in drawing.frames]
        assert min(tilts) >= 25
        if exercise.pattern not in (Pattern.HINGE, Pattern.PULL_HORIZONTAL):
            assert max(tilts) >= 60


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_one_foot_leads_in_split_stances_and_not_in_squats_and_hinges(exercise, variant):
    drawing = drawing_of(exercise, variant)
    facts = attributes(exercise, variant)
    if drawing.spec.view is not View.SIDE:
        return
    leads = [foot_lead(frame.body) for frame in drawing.frames]
    if exercise.pattern is Pattern.LUNGE or (variant is not None and variant.key == "staggered_stance"):
        assert max(leads) > FOOT
    elif exercise.pattern in (Pattern.SQUAT, Pattern.HINGE) and not facts["asymmetric_lower_body"]:
        assert max(leads) < 5


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_props_drawn_are_the_equipment_the_exercise_uses(exercise, variant):
    drawn = {p for p in drawn_props(drawing_of(exercise, variant)) if isinstance(p, Equipment)}
    needed = set(exercise.equipment)
    free = {Equipment.MAT, Equipment.WALL}
    if variant is None:
        assert drawn - free == needed - free
        assert needed <= drawn
    else:
        choices = set(variant.equipment_any)
        assert drawn - free <= needed | choices
        if choices:
            assert drawn & choices
    if attributes(exercise, variant)["load"] == Load.NONE:
        assert not drawn & {Equipment.DUMBBELLS, Equipment.KETTLEBELL, Equipment.BARBELL}


def test_a_variant_draws_its_own_prop_and_the_plain_exercise_does_not():
    bridge = ex("glute-bridge")
    assert Equipment.BENCH not in drawn_props(drawing_of(bridge, None))
    assert Equipment.BENCH in drawn_props(drawing_of(bridge, bridge.variant("shoulders_elevated")))
    thrust = ex("hip-thrust")
    assert Equipment.BARBELL in drawn_props(drawing_of(thrust, None))
    assert Equipment.BARBELL not in drawn_props(drawing_of(thrust, thrust.variant("body_weight")))


@pytest.mark.parametrize(("exercise", "variant"), CASES, ids=IDS)
def test_segment_lengths_stay_constant_and_joints_stay_in_human_ranges(exercise, variant):
    drawing = drawing_of(exercise, variant)
    first = segment_lengths(drawing.frames[0].body)
    for frame, pose in zip(drawing.frames, drawing.spec.frames, strict=True):
        if pose.shorten == drawing.spec.frames[0].shorten:
            lengths = segment_lengths(frame.body)
            assert all(math.isclose(lengths[name], first[name], abs_tol=1e-6) for name in first)
        assert joint_problems(frame.body) == []
        lowest = min(y for _, y in frame.body.joints.values())
        assert lowest >= -1e-6, "nothing sinks through the floor"


def test_joint_check_catches_a_knee_bent_backwards():
    squat = drawing_of(ex("bodyweight-squat"), None)
    pose = squat.spec.frames[1].model_copy(update={"near_leg": (-15, 60, -15)})
    spec = squat.spec.model_copy(update={"frames": (pose,)})
    assert any("near knee" in problem for problem in joint_problems(draw(spec, None).frames[0].body))


def test_the_bump_grows_with_the_week_and_is_absent_early_and_postpartum():
    depths = [bump_depth(Stage(kind=StageKind.PREGNANT, week=w)) for w in range(1, 43)]
    assert depths[:12] == [0.0] * 12
    assert all(later >= earlier for earlier, later in itertools.pairwise(depths))
    assert depths[19] < depths[29] < depths[39]
    for week in (0, 2, 6, 12, 52):
        stage = Stage(kind=StageKind.POSTPARTUM, week=week, delivery=Delivery.VAGINAL)
        assert bump_depth(stage) == 0
    bridge = ex("glute-bridge")

    def bumps(stage: Stage | None) -> list[Curve]:
        return [s for s in drawing_of(bridge, None, stage).frames[0].shapes if isinstance(s, Curve)]

    assert bumps(Stage(kind=StageKind.PREGNANT, week=8)) == []
    assert bumps(Stage(kind=StageKind.POSTPARTUM, week=6, delivery=Delivery.CAESAREAN)) == []
    mid, late = (
        bumps(Stage(kind=StageKind.PREGNANT, week=24))[0],
        bumps(Stage(kind=StageKind.PREGNANT, week=38))[0],
    )
    assert late.control[1] > mid.control[1], "lying on the back, the bigger bump rises higher"


def test_the_svg_animates_but_shows_the_positions_side_by_side_for_reduced_motion():
    squat = ex("bodyweight-squat")
    animated = figure_svg(squat, None, WEEK_30)
    assert "@keyframes" in animated
    reduced_block = animated.split("@media (prefers-reduced-motion:reduce){", 1)[1]
    assert "animation:none" in reduced_block and ".q1{transform:translate(" in reduced_block
    still = figure_svg(squat, None, WEEK_30, animated=False)
    assert "@keyframes" not in still and "prefers-reduced-motion" not in still
    assert ".q0{transform:translate(" in still and "Start" in still and "End" in still


def test_text_in_the_svg_is_escaped():
    drawing = drawing_of(ex("glute-bridge"), None)
    svg = render_svg(drawing, '<script>alert("x")</script>', "a & b")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    ET.fromstring(svg)


def test_the_figures_package_imports_no_web_or_database_code():
    folder = Path(bumpwise.figures.__file__).parent
    forbidden = (
        "fastapi",
        "starlette",
        "sqlalchemy",
        "jinja2",
        "bumpwise.web",
        "bumpwise.persistence",
        "bumpwise.services",
    )
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            assert not [n for n in names if n.startswith(forbidden)], path.name
