"""The pose data format: a small 2D rig posed by absolute segment angles, and the figures built from it.

Angles are degrees, counter-clockwise from the direction the person faces (+x), with y up: a
standing trunk is 90, a thigh hanging straight down is -90, a trunk lying on its back with the
head to the left is 180. ``near`` limbs are the side nearer the viewer (side view) or the
viewer's left (front view). A pose may extend another (``from``) and replace what it names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from bumpwise.domain.exercise import Key, Slug, Strict
from bumpwise.domain.vocab import Equipment, Position

Angle = Annotated[float, Field(ge=-360, le=360)]
PoseName = Annotated[str, Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"


class Support(StrEnum):
    """What a figure may lean on or sit on that is not equipment (the member need not own it)."""

    COUNTER = "counter"
    CUSHIONS = "cushions"
    STOOL = "stool"


Prop = Equipment | Support
"""What can be drawn beside the body: the equipment an exercise uses, or a support."""


class Anchor(StrEnum):
    """The body point a prop is placed at."""

    PELVIS = "pelvis"
    CHEST = "chest"
    UPPER_BACK = "upper_back"
    SHOULDER = "shoulder"
    HEAD = "head"
    NEAR_HAND = "near_hand"
    FAR_HAND = "far_hand"
    HANDS = "hands"
    NEAR_ELBOW = "near_elbow"
    NEAR_KNEE = "near_knee"
    FAR_KNEE = "far_knee"
    KNEES = "knees"
    NEAR_FOOT = "near_foot"
    FAR_FOOT = "far_foot"
    FEET = "feet"


class Side(StrEnum):
    """Where a wall, post or band anchor stands relative to the anchor point."""

    FRONT = "front"
    BEHIND = "behind"
    UNDER = "under"
    ABOVE = "above"


class Segment(StrEnum):
    TRUNK = "trunk"
    NEAR_THIGH = "near_thigh"
    NEAR_SHIN = "near_shin"
    FAR_THIGH = "far_thigh"
    FAR_SHIN = "far_shin"
    NEAR_UPPER_ARM = "near_upper_arm"
    NEAR_FOREARM = "near_forearm"
    FAR_UPPER_ARM = "far_upper_arm"
    FAR_FOREARM = "far_forearm"


class PropPlacement(Strict):
    prop: Prop
    at: Anchor | None = None
    side: Side | None = None


class Limb(Strict):
    """Segment angles of one leg (thigh, shin, foot) or one arm (upper arm, forearm)."""

    thigh: Angle | None = None
    shin: Angle | None = None
    foot: Angle | None = None
    upper: Angle | None = None
    fore: Angle | None = None


class PoseData(Strict):
    from_: PoseName | None = Field(default=None, alias="from")
    position: Position | None = None
    trunk: Angle | None = None
    head: Angle | None = None
    near_leg: tuple[Angle, Angle, Angle] | None = None
    far_leg: tuple[Angle, Angle, Angle] | None = None
    near_arm: tuple[Angle, Angle] | None = None
    far_arm: tuple[Angle, Angle] | None = None
    lift: float | None = Field(default=None, ge=0, le=120)
    """Raise the body this far off the floor (hanging, in water); otherwise its lowest point rests on it."""
    shorten: dict[Segment, Annotated[float, Field(ge=0, le=1)]] | None = None
    """Segments seen end-on in this view, as the share of their length that shows (front views)."""
    says: Annotated[str, Field(min_length=3, max_length=160)] | None = None
    """The position in words, for the figure's text description."""


class Pose(Strict):
    """A fully resolved pose."""

    name: PoseName
    position: Position
    trunk: Angle
    head: Angle | None = None
    near_leg: tuple[Angle, Angle, Angle]
    far_leg: tuple[Angle, Angle, Angle]
    near_arm: tuple[Angle, Angle]
    far_arm: tuple[Angle, Angle]
    lift: float = 0
    shorten: dict[Segment, float] = Field(default_factory=dict)
    says: str


class Frame(Strict):
    """One position of the movement: a named pose, optionally with some angles replaced."""

    pose: PoseName
    set: PoseData = PoseData()

    @model_validator(mode="after")
    def _no_nesting(self) -> Frame:
        if self.set.from_ is not None:
            raise ValueError("a frame's set cannot use 'from'; name the pose in 'pose'")
        return self


FrameList = Annotated[list[PoseName | Frame], Field(min_length=1, max_length=3)]
PropList = list[Prop | PropPlacement]


class FigureChange(Strict):
    """What a variant changes about the exercise's figure; the rest is inherited."""

    view: View | None = None
    pin: Anchor | None = None
    frames: FrameList | None = None
    props: PropList | None = None


class FigureData(Strict):
    """A knowledge/figures/<exercise id>.yaml file."""

    exercise: Slug
    view: View
    pin: Anchor = Anchor.FEET
    """The body point that stays put from one position to the next."""
    frames: FrameList
    props: PropList = Field(default_factory=list)
    variants: dict[Key, FigureChange] = Field(default_factory=dict)


class FigureSpec(Strict):
    """The figure of one exercise or variant, with inheritance resolved."""

    exercise: Slug
    variant: Key | None
    view: View
    pin: Anchor
    frames: tuple[Pose, ...]
    props: tuple[PropPlacement, ...]
