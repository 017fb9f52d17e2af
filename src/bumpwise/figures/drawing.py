"""A figure as shapes: the body in each position, the bump for the stage week, and the props.

Everything here is geometry in figure units (y up, floor at 0); ``svg`` turns it into text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bumpwise.domain.stage import Stage
from bumpwise.domain.vocab import Equipment
from bumpwise.figures.model import Anchor, FigureSpec, Prop, PropPlacement, Side, Support, View
from bumpwise.figures.rig import (
    HEAD_RADIUS,
    LIMB_WIDTH,
    TRUNK_WIDTH,
    Body,
    Point,
    front_normal,
    pose_joints,
)

BUMP_FIRST_WEEK = 12
"""No bump is drawn up to this pregnancy week; it grows from here to term."""
TERM_WEEK = 40
TERM_BUMP_DEPTH = 13.0


def bump_depth(stage: Stage | None) -> float:
    """How far the bump stands out from the trunk, in figure units: none early on or after birth."""
    if stage is None or not stage.pregnant or stage.week <= BUMP_FIRST_WEEK:
        return 0.0
    growth = (min(stage.week, TERM_WEEK) - BUMP_FIRST_WEEK) / (TERM_WEEK - BUMP_FIRST_WEEK)
    return round(TERM_BUMP_DEPTH * float(growth**0.8), 2)


@dataclass(frozen=True)
class Line:
    points: tuple[Point, ...]
    tone: str
    width: float = 0.0


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    tone: str


@dataclass(frozen=True)
class Rect:
    corner: Point
    size: Point
    tone: str


@dataclass(frozen=True)
class Curve:
    """A closed quadratic shape: from ``start`` bulging toward ``control`` to ``end``."""

    start: Point
    control: Point
    end: Point
    tone: str


Shape = Line | Circle | Rect | Curve


@dataclass
class FrameDrawing:
    body: Body
    bump: float
    shapes: list[Shape] = field(default_factory=list)
    props: list[Prop] = field(default_factory=list)


@dataclass(frozen=True)
class Drawing:
    spec: FigureSpec
    frames: tuple[FrameDrawing, ...]


def draw(spec: FigureSpec, stage: Stage | None) -> Drawing:
    depth = bump_depth(stage)
    bodies = [pose_joints(pose, spec.view) for pose in spec.frames]
    pin_x = anchor_point(bodies[0], spec.pin)[0]
    pinned = [_shifted(body, pin_x - anchor_point(body, spec.pin)[0]) for body in bodies]
    return Drawing(spec, tuple(_draw_frame(body, spec, depth) for body in pinned))


def _shifted(body: Body, dx: float) -> Body:
    return Body({name: (x + dx, y) for name, (x, y) in body.joints.items()}, body.trunk_angle, body.view)


def _draw_frame(body: Body, spec: FigureSpec, depth: float) -> FrameDrawing:
    frame = FrameDrawing(body, depth)
    behind = [p for p in spec.props if p.prop in BACKDROP]
    for placement in behind:
        _add_prop(frame, placement)
    frame.shapes.extend(_body_shapes(body, depth))
    for placement in spec.props:
        if placement.prop not in BACKDROP:
            _add_prop(frame, placement)
    return frame


def _body_shapes(body: Body, depth: float) -> list[Shape]:
    # From the side the far limbs are paler, for depth; from the front both sides are alike.
    shapes: list[Shape] = [*_limbs(body, "far", "f" if body.view is View.SIDE else "b")]
    shapes.append(Line((body["pelvis"], body["neck"]), "b", TRUNK_WIDTH))
    if depth > 0:
        shapes.append(_bump(body, depth))
    shapes.append(Line((body["neck"], body["head"]), "b", LIMB_WIDTH))
    shapes.append(Circle(body["head"], HEAD_RADIUS, "h"))
    shapes.extend(_limbs(body, "near", "b"))
    return shapes


def _limbs(body: Body, side: str, tone: str) -> list[Shape]:
    leg = tuple(body[f"{side}_{j}"] for j in ("hip", "knee", "ankle", "toe"))
    arm = tuple(body[f"{side}_{j}"] for j in ("shoulder", "elbow", "hand"))
    return [Line(leg, tone, LIMB_WIDTH), Line(arm, tone, LIMB_WIDTH)]


def _bump(body: Body, depth: float) -> Shape:
    pelvis, neck = body["pelvis"], body["neck"]
    nx, ny = front_normal(body.trunk_angle)

    def on_trunk(share: float, out: float) -> Point:
        x = pelvis[0] + (neck[0] - pelvis[0]) * share + nx * out
        y = pelvis[1] + (neck[1] - pelvis[1]) * share + ny * out
        return x, y

    if body.view is View.FRONT:
        return Circle(on_trunk(0.32, 0), 5 + depth * 0.55, "u")
    edge = TRUNK_WIDTH / 2 - 1
    return Curve(on_trunk(0.08, edge), on_trunk(0.36, edge + 2 * depth), on_trunk(0.66, edge), "k")


# --- props -------------------------------------------------------------------------------------

BACKDROP = frozenset(
    {Equipment.MAT, Equipment.WALL, Equipment.POOL, Equipment.CABLE_MACHINE, Equipment.TREADMILL}
)
"""Props drawn behind the body; the rest are drawn over it (a ball under the back, weights in hand)."""

DEFAULT_ANCHOR: dict[Prop, Anchor] = {
    Equipment.MAT: Anchor.PELVIS,
    Equipment.CHAIR: Anchor.PELVIS,
    Equipment.WALL: Anchor.HANDS,
    Support.COUNTER: Anchor.HANDS,
    Support.CUSHIONS: Anchor.UPPER_BACK,
    Support.STOOL: Anchor.PELVIS,
    Equipment.BENCH: Anchor.PELVIS,
    Equipment.STEP: Anchor.NEAR_FOOT,
    Equipment.SMALL_BALL: Anchor.NEAR_KNEE,
    Equipment.STABILITY_BALL: Anchor.PELVIS,
    Equipment.RESISTANCE_BAND: Anchor.HANDS,
    Equipment.MINI_BAND: Anchor.KNEES,
    Equipment.DUMBBELLS: Anchor.HANDS,
    Equipment.KETTLEBELL: Anchor.HANDS,
    Equipment.BARBELL: Anchor.HANDS,
    Equipment.FOAM_ROLLER: Anchor.UPPER_BACK,
    Equipment.CABLE_MACHINE: Anchor.HANDS,
    Equipment.MACHINE: Anchor.PELVIS,
    Equipment.STATIONARY_BIKE: Anchor.PELVIS,
    Equipment.TREADMILL: Anchor.FEET,
    Equipment.POOL: Anchor.CHEST,
}

ANCHOR_JOINTS: dict[Anchor, tuple[str, ...]] = {
    Anchor.PELVIS: ("pelvis",),
    Anchor.SHOULDER: ("neck",),
    Anchor.HEAD: ("head",),
    Anchor.NEAR_HAND: ("near_hand",),
    Anchor.FAR_HAND: ("far_hand",),
    Anchor.HANDS: ("near_hand", "far_hand"),
    Anchor.NEAR_ELBOW: ("near_elbow",),
    Anchor.NEAR_KNEE: ("near_knee",),
    Anchor.FAR_KNEE: ("far_knee",),
    Anchor.KNEES: ("near_knee", "far_knee"),
    Anchor.NEAR_FOOT: ("near_ankle", "near_toe"),
    Anchor.FAR_FOOT: ("far_ankle", "far_toe"),
    Anchor.FEET: ("near_ankle", "far_ankle", "near_toe", "far_toe"),
}
TRUNK_SHARE: dict[Anchor, float] = {Anchor.CHEST: 0.7, Anchor.UPPER_BACK: 0.8}


def anchor_point(body: Body, anchor: Anchor) -> Point:
    if anchor in TRUNK_SHARE:
        share = TRUNK_SHARE[anchor]
        pelvis, neck = body["pelvis"], body["neck"]
        return pelvis[0] + (neck[0] - pelvis[0]) * share, pelvis[1] + (neck[1] - pelvis[1]) * share
    points = [body[name] for name in ANCHOR_JOINTS[anchor]]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _lowest_edge(body: Body, anchor: Anchor) -> float:
    """The underside of the body at the anchor: where a seat, bench or ball touches it."""
    if anchor in TRUNK_SHARE or anchor in (Anchor.PELVIS, Anchor.SHOULDER):
        return anchor_point(body, anchor)[1] - TRUNK_WIDTH / 2
    joints = ANCHOR_JOINTS[anchor]
    return min(body[name][1] for name in joints) - LIMB_WIDTH / 2


@dataclass(frozen=True)
class Place:
    body: Body
    anchor: Anchor
    side: Side | None
    x: float
    y: float
    underside: float

    def ahead(self, default: Side) -> float:
        """+1 when the prop stands in front of the anchor, -1 behind it."""
        return -1.0 if (self.side or default) is Side.BEHIND else 1.0


def _add_prop(frame: FrameDrawing, placement: PropPlacement) -> None:
    anchor = placement.at or DEFAULT_ANCHOR[placement.prop]
    x, y = anchor_point(frame.body, anchor)
    place = Place(frame.body, anchor, placement.side, x, y, max(_lowest_edge(frame.body, anchor), 0.0))
    frame.shapes.extend(PROP_DRAWERS[placement.prop](place))
    frame.props.append(placement.prop)


def _box(left: float, bottom: float, width: float, height: float) -> Rect:
    return Rect((left, bottom), (width, height), "p")


def _body_span(body: Body) -> tuple[float, float]:
    xs = [p[0] for p in body.joints.values()]
    return min(xs), max(xs)


def _mat(place: Place) -> list[Shape]:
    low, high = _body_span(place.body)
    return [_box(low - 12, -3, high - low + 24, 3)]


def _chair(place: Place) -> list[Shape]:
    if place.anchor in (Anchor.PELVIS, Anchor.UPPER_BACK):
        seat = min(place.underside, 48.0) if place.underside > 20 else 44.0
        back = place.x - 14
        return [
            Line(((place.x + 14, 0), (place.x + 14, seat), (back, seat), (back, 0)), "s", 2.5),
            Line(((back, seat), (back - 3, seat + 40)), "s", 2.5),
        ]
    # a chair to hold: its back stands at the hand, the seat away from the person
    top = max(place.y, 50.0)
    near = place.x + 4
    return [
        Line(((near, top), (near, 0)), "s", 2.5),
        Line(((near, 44), (near + 28, 44), (near + 28, 0)), "s", 2.5),
    ]


def _wall(place: Place) -> list[Shape]:
    reach = (
        TRUNK_WIDTH / 2 if place.anchor in TRUNK_SHARE or place.anchor is Anchor.PELVIS else LIMB_WIDTH / 2
    )
    x = place.x + place.ahead(Side.FRONT) * (reach + 1.5)
    return [Line(((x, 0), (x, 175)), "g", 3)]


def _counter(place: Place) -> list[Shape]:
    top = place.underside
    return [_box(place.x - 4, 0, 34, top)]


def _stool(place: Place) -> list[Shape]:
    seat = place.underside if place.underside > 20 else 44.0
    return [
        _box(place.x - 13, seat - 5, 26, 5),
        Line(((place.x - 10, seat - 5), (place.x - 12, 0)), "s", 2.5),
        Line(((place.x + 10, seat - 5), (place.x + 12, 0)), "s", 2.5),
    ]


def _cushions(place: Place) -> list[Shape]:
    top = max(place.underside, 6.0)
    return [Rect((place.x - 24, 0), (30, top), "p"), Rect((place.x - 30, 0), (44, top * 0.5), "p")]


def _bench(place: Place) -> list[Shape]:
    top = place.underside if place.underside > 8 else 40.0
    width = 44.0
    left = place.x - width / 2 if place.anchor not in (Anchor.HANDS, Anchor.NEAR_HAND) else place.x - 8
    return [
        _box(left, top - 6, width, 6),
        Line(((left + 6, top - 6), (left + 6, 0)), "s", 3),
        Line(((left + width - 6, top - 6), (left + width - 6, 0)), "s", 3),
    ]


def _step(place: Place) -> list[Shape]:
    top = place.underside if place.underside > 4 else 14.0
    return [_box(place.x - 14, 0, 34, top)]


def _small_ball(place: Place) -> list[Shape]:
    shift = -LIMB_WIDTH if place.anchor in (Anchor.NEAR_KNEE, Anchor.FAR_KNEE) else 0.0
    return [Circle((place.x + shift, place.y), 6, "p")]


def _stability_ball(place: Place) -> list[Shape]:
    if place.side is Side.BEHIND:  # between the back and a wall
        return [Circle((place.x - TRUNK_WIDTH / 2 - 13, place.y), 13, "p")]
    if place.side is Side.FRONT:  # held out in front, or under the forearms
        radius = max(place.underside / 2, 12.0)
        return [Circle((place.x + radius * 0.6, radius), radius, "p")]
    radius = max(place.underside / 2, 12.0)
    return [Circle((place.x, radius), radius, "p")]


def _band(place: Place) -> list[Shape]:
    side = place.side or Side.FRONT
    if side is Side.UNDER:
        feet = anchor_point(place.body, Anchor.FEET)
        return [Line(((place.x, place.y), (feet[0], max(feet[1] - 2, 0))), "r", 2)]
    if side is Side.ABOVE:
        end = (place.x + 6, place.y + 55)
    else:
        end = (place.x + place.ahead(Side.FRONT) * 48, place.y)
    return [
        Line(((place.x, place.y), end), "r", 2),
        Line(((end[0], end[1] - 8), (end[0], end[1] + 8)), "s", 3),
    ]


def _mini_band(place: Place) -> list[Shape]:
    return [Circle((place.x, place.y), LIMB_WIDTH / 2 + 2.5, "r")]


def _dumbbells(place: Place) -> list[Shape]:
    hands = ANCHOR_JOINTS.get(place.anchor, ())
    points = [place.body[name] for name in hands] if len(hands) > 1 else [(place.x, place.y)]
    return [Circle(point, 5, "w") for point in points]


def _kettlebell(place: Place) -> list[Shape]:
    return [
        Line(((place.x, place.y), (place.x, place.y - 5)), "s", 2.5),
        Circle((place.x, place.y - 11), 7, "w"),
    ]


def _barbell(place: Place) -> list[Shape]:
    return [Circle((place.x, place.y), 12, "p"), Circle((place.x, place.y), 3, "w")]


def _foam_roller(place: Place) -> list[Shape]:
    radius = max(place.underside / 2, 6.0)
    return [Circle((place.x, radius), radius, "p")]


def _cable_machine(place: Place) -> list[Shape]:
    column = place.x + place.ahead(Side.FRONT) * 55
    return [_box(column - 5, 0, 10, 170), Line(((place.x, place.y), (column, place.y)), "r", 1.5)]


def _machine(place: Place) -> list[Shape]:
    low, high = _body_span(place.body)
    hands = anchor_point(place.body, Anchor.HANDS)
    post = high + 8
    shapes: list[Shape] = [
        _box(low - 6, 0, post - low + 12, 5),
        Line(((post, 5), (post, max(hands[1], 30))), "s", 3),
    ]
    if place.anchor is Anchor.PELVIS and place.underside > 12:
        shapes.append(_box(place.x - 12, 5, 24, place.underside - 5))
    return shapes


def _stationary_bike(place: Place) -> list[Shape]:
    hands = anchor_point(place.body, Anchor.HANDS)
    feet = anchor_point(place.body, Anchor.FEET)
    seat = place.underside
    return [
        Line(((place.x - 10, seat), (place.x + 8, seat)), "s", 4),
        Line(((place.x, seat), (feet[0], 16), (hands[0], hands[1])), "s", 3),
        Circle((feet[0], 16), 11, "p"),
        Line(((feet[0] - 30, 0), (hands[0] + 10, 0)), "s", 4),
    ]


def _treadmill(place: Place) -> list[Shape]:
    hands = anchor_point(place.body, Anchor.HANDS)
    low, high = _body_span(place.body)
    front = high + 12
    return [
        _box(low - 30, 0, front - low + 30, 7),
        Line(((front, 7), (front + 6, max(hands[1], 70))), "s", 3),
    ]


def _pool(place: Place) -> list[Shape]:
    low, high = _body_span(place.body)
    return [Rect((low - 20, 0), (high - low + 40, place.y), "water")]


PROP_DRAWERS: dict[Prop, Callable[[Place], list[Shape]]] = {
    Equipment.MAT: _mat,
    Equipment.CHAIR: _chair,
    Equipment.WALL: _wall,
    Support.COUNTER: _counter,
    Equipment.BENCH: _bench,
    Support.CUSHIONS: _cushions,
    Support.STOOL: _stool,
    Equipment.STEP: _step,
    Equipment.SMALL_BALL: _small_ball,
    Equipment.STABILITY_BALL: _stability_ball,
    Equipment.RESISTANCE_BAND: _band,
    Equipment.MINI_BAND: _mini_band,
    Equipment.DUMBBELLS: _dumbbells,
    Equipment.KETTLEBELL: _kettlebell,
    Equipment.BARBELL: _barbell,
    Equipment.FOAM_ROLLER: _foam_roller,
    Equipment.CABLE_MACHINE: _cable_machine,
    Equipment.MACHINE: _machine,
    Equipment.STATIONARY_BIKE: _stationary_bike,
    Equipment.TREADMILL: _treadmill,
    Equipment.POOL: _pool,
}
