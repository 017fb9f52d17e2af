"""Measurements of a drawn figure, and the checks that tie them to the exercise's safety attributes.

The same measurements back the load-time checks (a figure that disagrees with its exercise is a
data error) and the geometry tests.
"""

from __future__ import annotations

import math

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise, Variant
from bumpwise.domain.vocab import ALWAYS_AVAILABLE, Equipment, Load, Position
from bumpwise.figures.drawing import Drawing, draw
from bumpwise.figures.library import FigureLibrary
from bumpwise.figures.model import Prop, View
from bumpwise.figures.rig import Body, bend, distance, front_normal, segment_angle

WEIGHTS = frozenset({Equipment.DUMBBELLS, Equipment.KETTLEBELL, Equipment.BARBELL})
JOINT_RANGES: dict[str, tuple[str, str, float, float]] = {
    "near knee": ("near_thigh", "near_shin", -8, 175),
    "far knee": ("far_thigh", "far_shin", -8, 175),
}
"""Side view: joint, the two segments whose angle difference is its bend, and the human range."""
ELBOW_LIMIT = 165.0
"""Arms turn out of the drawing's plane at the shoulder, so only the size of the elbow's bend is checked."""
GROUNDED = 10.0
KNEE_STANCES = frozenset({Position.SEATED, Position.KNEELING, Position.QUADRUPED})
HIP_RANGE = (12.0, 215.0)
"""Side view: the angle from thigh to trunk, 180 standing straight; less is flexion."""


def trunk_tilt(body: Body) -> float:
    """Degrees the trunk rises from the horizontal: 0 lying flat, 90 upright."""
    (x0, y0), (x1, y1) = body["pelvis"], body["neck"]
    return math.degrees(math.atan2(abs(y1 - y0), abs(x1 - x0)))


def lateral(body: Body, first: str, second: str) -> float:
    """How far apart two joints are across the body (front view only)."""
    nx, ny = front_normal(body.trunk_angle)
    (x0, y0), (x1, y1) = body[first], body[second]
    return abs((x1 - x0) * nx + (y1 - y0) * ny)


def stance_wider_than_shoulders(body: Body, position: Position) -> bool:
    """Seen from the front: the knees (seated, kneeling, on all fours) or the feet on the floor
    (standing) set wider than the shoulders. A leg lifted out to the side is not a stance."""
    shoulders = lateral(body, "near_shoulder", "far_shoulder")
    if position in KNEE_STANCES:
        return lateral(body, "near_knee", "far_knee") > shoulders
    grounded = all(body[f"{side}_ankle"][1] <= GROUNDED for side in ("near", "far"))
    return position is Position.STANDING and grounded and lateral(body, "near_ankle", "far_ankle") > shoulders


def foot_lead(body: Body) -> float:
    """How far one ankle is ahead of the other along the floor (side view)."""
    return abs(body["near_ankle"][0] - body["far_ankle"][0])


def joint_problems(body: Body) -> list[str]:
    if body.view is View.FRONT:
        return []
    problems = []
    for joint, (first, second, low, high) in JOINT_RANGES.items():
        turn = bend(segment_angle(body, first), segment_angle(body, second))
        if not low <= turn <= high:
            problems.append(f"the {joint} bends {turn:.0f}°, outside {low:.0f}° to {high:.0f}°")
    for side in ("near", "far"):
        turn = bend(segment_angle(body, f"{side}_forearm"), segment_angle(body, f"{side}_upper_arm"))
        if abs(turn) > ELBOW_LIMIT:
            problems.append(f"the {side} elbow bends {abs(turn):.0f}°, more than {ELBOW_LIMIT:.0f}°")
    for side in ("near", "far"):
        hip = (segment_angle(body, "trunk") - segment_angle(body, f"{side}_thigh")) % 360
        if not HIP_RANGE[0] <= hip <= HIP_RANGE[1]:
            problems.append(
                f"the {side} hip opens to {hip:.0f}°, outside {HIP_RANGE[0]:.0f}° to {HIP_RANGE[1]:.0f}°"
            )
    return problems


def drawn_props(drawing: Drawing) -> set[Prop]:
    return {prop for frame in drawing.frames for prop in frame.props}


def check_library(library: FigureLibrary, exercises: dict[str, Exercise]) -> None:
    for exercise_id in sorted(exercises):
        if exercise_id not in library.figures:
            raise DataError(f"figures/{exercise_id}.yaml", "", "is missing: every exercise needs a figure")
    for figure_id, data in library.figures.items():
        file = f"figures/{figure_id}.yaml"
        exercise = exercises.get(figure_id)
        if exercise is None:
            raise DataError(file, "exercise", f"{figure_id!r} is not an exercise in the library")
        keys = [v.key for v in exercise.variants]
        for key in data.variants:
            if key not in keys:
                raise DataError(
                    file, f"variants.{key}", f"is not a variant of {figure_id} (allowed: {', '.join(keys)})"
                )
        for frame in (*data.frames, *(f for change in data.variants.values() for f in change.frames or ())):
            name = frame if isinstance(frame, str) else frame.pose
            if name not in library.poses:
                raise DataError(file, "frames", f"names the pose {name!r}, which is not in poses.yaml")
        for variant in (None, *exercise.variants):
            problem = figure_problem(library, exercise, variant)
            if problem:
                raise DataError(file, f"variants.{variant.key}" if variant else "frames", problem)


def figure_problem(library: FigureLibrary, exercise: Exercise, variant: Variant | None) -> str | None:
    """Why the figure of this exercise (or variant) disagrees with its attributes, or None."""
    attributes = exercise.attributes()
    if variant is not None:
        attributes.update(variant.set.model_dump(exclude_none=True))
    drawing = draw(library.spec(exercise, variant), None)
    pose = drawing.spec.frames[0]
    if pose.position != attributes["position"]:
        done = attributes["position"]
        return f"starts in the pose {pose.name!r} ({pose.position}), but the exercise is done {done}"
    for frame in drawing.frames:
        problems = joint_problems(frame.body)
        if problems:
            return problems[0]
    wide = bool(attributes["wide_stance"])
    if drawing.spec.view is View.SIDE:
        if wide:
            return "has a wide stance, which only shows from the front: use view: front"
    elif wide != any(
        stance_wider_than_shoulders(f.body, p.position)
        for f, p in zip(drawing.frames, drawing.spec.frames, strict=True)
    ):
        drawn = "does not draw" if wide else "draws"
        return f"{drawn} the feet or knees wider than the shoulders, but wide_stance is {wide}"
    return _prop_problem(exercise, variant, drawn_props(drawing), attributes["load"] == Load.NONE)


def _prop_problem(
    exercise: Exercise, variant: Variant | None, drawn: set[Prop], unloaded: bool
) -> str | None:
    needed = set(exercise.equipment)
    drawn_equipment = {p for p in drawn if isinstance(p, Equipment)}
    if unloaded and drawn & WEIGHTS:
        return f"draws {sorted(drawn & WEIGHTS)[0]}, but the exercise carries no load"
    if variant is None:
        missing = needed - drawn_equipment
        extra = drawn_equipment - needed - ALWAYS_AVAILABLE
    else:
        choices = set(variant.equipment_any)
        missing = choices if choices and not choices & drawn_equipment else set()
        extra = drawn_equipment - needed - choices - ALWAYS_AVAILABLE
    if missing:
        return f"does not draw {' or '.join(sorted(missing))}, which the exercise needs"
    if extra:
        return f"draws {', '.join(sorted(extra))}, which the exercise does not use"
    return None


def segment_lengths(body: Body) -> dict[str, float]:
    from bumpwise.figures.rig import SEGMENTS

    return {name: distance(body[a], body[b]) for name, (a, b) in SEGMENTS.items()}
