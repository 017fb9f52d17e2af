"""Forward kinematics: a resolved pose becomes named joint points, standing on the floor (y = 0).

Segment lengths are fixed here, so every position of a figure has the same body; the figure
faces +x and y points up (the SVG writer flips it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bumpwise.figures.model import Pose, View

Point = tuple[float, float]

TRUNK = 50.0
NECK = 7.0
HEAD_RADIUS = 9.0
UPPER_ARM = 28.0
FOREARM = 26.0
THIGH = 42.0
SHIN = 41.0
FOOT = 15.0
FRONT_FOOT = 7.0
HIP_HALF_WIDTH = 9.0
SHOULDER_HALF_WIDTH = 16.0
LIMB_WIDTH = 7.0
TRUNK_WIDTH = 15.0
"""Stroke widths: the trunk is drawn as a broad rounded line, limbs narrower."""

SEGMENTS: dict[str, tuple[str, str]] = {
    "trunk": ("pelvis", "neck"),
    "near_thigh": ("near_hip", "near_knee"),
    "near_shin": ("near_knee", "near_ankle"),
    "near_foot": ("near_ankle", "near_toe"),
    "far_thigh": ("far_hip", "far_knee"),
    "far_shin": ("far_knee", "far_ankle"),
    "far_foot": ("far_ankle", "far_toe"),
    "near_upper_arm": ("near_shoulder", "near_elbow"),
    "near_forearm": ("near_elbow", "near_hand"),
    "far_upper_arm": ("far_shoulder", "far_elbow"),
    "far_forearm": ("far_elbow", "far_hand"),
}
"""Named body segments as (from joint, to joint); their lengths never change between positions."""


def direction(angle: float) -> Point:
    radians = math.radians(angle)
    return math.cos(radians), math.sin(radians)


def along(start: Point, angle: float, length: float) -> Point:
    dx, dy = direction(angle)
    return start[0] + dx * length, start[1] + dy * length


def front_normal(trunk_angle: float) -> Point:
    """The way the belly faces: the trunk direction turned a quarter clockwise."""
    dx, dy = direction(trunk_angle)
    return dy, -dx


@dataclass(frozen=True)
class Body:
    """One position's joints, in figure units, resting on the floor."""

    joints: dict[str, Point]
    trunk_angle: float
    view: View

    def __getitem__(self, name: str) -> Point:
        return self.joints[name]


def pose_joints(pose: Pose, view: View) -> Body:
    seen = {segment.value: share for segment, share in pose.shorten.items()}
    pelvis = (0.0, 0.0)
    neck = along(pelvis, pose.trunk, TRUNK * seen.get("trunk", 1.0))
    side_x, side_y = front_normal(pose.trunk) if view is View.FRONT else (0.0, 0.0)
    joints: dict[str, Point] = {"pelvis": pelvis, "neck": neck}
    joints["head"] = along(neck, pose.head if pose.head is not None else pose.trunk, NECK + HEAD_RADIUS)
    for side, sign in (("near", -1.0), ("far", 1.0)):
        hip = (pelvis[0] + sign * side_x * HIP_HALF_WIDTH, pelvis[1] + sign * side_y * HIP_HALF_WIDTH)
        shoulder = (
            neck[0] + sign * side_x * SHOULDER_HALF_WIDTH,
            neck[1] + sign * side_y * SHOULDER_HALF_WIDTH,
        )
        thigh, shin, foot = pose.near_leg if side == "near" else pose.far_leg
        upper, fore = pose.near_arm if side == "near" else pose.far_arm
        knee = along(hip, thigh, THIGH * seen.get(f"{side}_thigh", 1.0))
        ankle = along(knee, shin, SHIN * seen.get(f"{side}_shin", 1.0))
        elbow = along(shoulder, upper, UPPER_ARM * seen.get(f"{side}_upper_arm", 1.0))
        joints |= {
            f"{side}_hip": hip,
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_toe": along(ankle, foot, FRONT_FOOT if view is View.FRONT else FOOT),
            f"{side}_shoulder": shoulder,
            f"{side}_elbow": elbow,
            f"{side}_hand": along(elbow, fore, FOREARM * seen.get(f"{side}_forearm", 1.0)),
        }
    return Body(_rest_on_floor(joints, pose.lift), pose.trunk, view)


def _rest_on_floor(joints: dict[str, Point], lift: float) -> dict[str, Point]:
    """Move the body so its lowest edge touches the floor (or floats ``lift`` above it)."""
    lowest = min(_bottom_edge(name, point) for name, point in joints.items())
    shift = lift - lowest
    return {name: (x, y + shift) for name, (x, y) in joints.items()}


def _bottom_edge(name: str, point: Point) -> float:
    if name == "head":
        return point[1] - HEAD_RADIUS
    if name in ("pelvis", "neck"):
        return point[1] - TRUNK_WIDTH / 2
    return point[1] - LIMB_WIDTH / 2


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def segment_angle(body: Body, segment: str) -> float:
    start, end = SEGMENTS[segment]
    (x0, y0), (x1, y1) = body[start], body[end]
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def bend(first: float, second: float) -> float:
    """``first - second`` folded into (-180, 180]: how far a joint turns from straight."""
    turn = (first - second) % 360
    return turn - 360 if turn > 180 else turn
