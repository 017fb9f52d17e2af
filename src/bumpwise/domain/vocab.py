"""Closed vocabularies the code reasons about.

These ids are public API (design.md §3 and §4). Conditions, warning signs and symptoms are
open-ended clinical vocabularies and live in the knowledge data instead; these enums are the
ones the engine itself branches on or the exercise schema constrains.
"""

from __future__ import annotations

from enum import StrEnum


class StageKind(StrEnum):
    PREGNANT = "pregnant"
    POSTPARTUM = "postpartum"


class Delivery(StrEnum):
    VAGINAL = "vaginal"
    CAESAREAN = "caesarean"


class ActivityLevel(StrEnum):
    INACTIVE = "inactive"
    ACTIVE = "active"
    VIGOROUS = "vigorous"


class Clearance(StrEnum):
    """Ordered from least to most restrictive; see ``CLEARANCE_SEVERITY``."""

    CLEARED = "cleared"
    CONSULT_PROVIDER = "consult_provider"
    NOT_CLEARED = "not_cleared"
    SEEK_CARE_NOW = "seek_care_now"


CLEARANCE_SEVERITY: dict[Clearance, int] = {
    Clearance.CLEARED: 0,
    Clearance.CONSULT_PROVIDER: 1,
    Clearance.NOT_CLEARED: 2,
    Clearance.SEEK_CARE_NOW: 3,
}


class ConditionClass(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    MODIFIER = "modifier"


class Equipment(StrEnum):
    MAT = "mat"
    CHAIR = "chair"
    WALL = "wall"
    SMALL_BALL = "small_ball"
    STABILITY_BALL = "stability_ball"
    RESISTANCE_BAND = "resistance_band"
    MINI_BAND = "mini_band"
    DUMBBELLS = "dumbbells"
    KETTLEBELL = "kettlebell"
    BARBELL = "barbell"
    BENCH = "bench"
    STEP = "step"
    CABLE_MACHINE = "cable_machine"
    MACHINE = "machine"
    STATIONARY_BIKE = "stationary_bike"
    TREADMILL = "treadmill"
    POOL = "pool"
    FOAM_ROLLER = "foam_roller"


ALWAYS_AVAILABLE: frozenset[Equipment] = frozenset({Equipment.MAT, Equipment.WALL})


class Pattern(StrEnum):
    HINGE = "hinge"
    SQUAT = "squat"
    LUNGE = "lunge"
    KNEE_FLEXION = "knee_flexion"
    BRIDGE = "bridge"
    HIP_ABDUCTION = "hip_abduction"
    PUSH_HORIZONTAL = "push_horizontal"
    PUSH_VERTICAL = "push_vertical"
    PULL_HORIZONTAL = "pull_horizontal"
    PULL_VERTICAL = "pull_vertical"
    CARRY = "carry"
    ANTI_EXTENSION = "anti_extension"
    ANTI_ROTATION = "anti_rotation"
    DEEP_CORE = "deep_core"
    PELVIC_FLOOR = "pelvic_floor"
    MOBILITY = "mobility"
    CARDIO = "cardio"


class SessionKind(StrEnum):
    STRENGTH = "strength"
    CARDIO = "cardio"
    PELVIC_FLOOR = "pelvic_floor"
    MOBILITY = "mobility"


class Position(StrEnum):
    STANDING = "standing"
    SEATED = "seated"
    KNEELING = "kneeling"
    QUADRUPED = "quadruped"
    PLANK = "plank"
    SUPINE = "supine"
    RECLINED = "reclined"
    PRONE = "prone"
    SIDE_LYING = "side-lying"
    HANGING = "hanging"
    INVERTED = "inverted"


class Impact(StrEnum):
    LOW = "low"
    HIGH = "high"


class Load(StrEnum):
    """External load as prescribed. ``light`` is roughly what a baby in a car seat weighs or less."""

    NONE = "none"
    LIGHT = "light"
    MODERATE = "moderate"
    HEAVY = "heavy"


LOAD_ORDER: dict[Load, int] = {Load.NONE: 0, Load.LIGHT: 1, Load.MODERATE: 2, Load.HEAVY: 3}


class AbdominalPressure(StrEnum):
    """How hard the movement pushes on the abdominal wall (doming risk)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Muscle(StrEnum):
    GLUTES = "glutes"
    HAMSTRINGS = "hamstrings"
    QUADRICEPS = "quadriceps"
    ADDUCTORS = "adductors"
    HIP_ABDUCTORS = "hip_abductors"
    HIP_FLEXORS = "hip_flexors"
    CALVES = "calves"
    CHEST = "chest"
    LATS = "lats"
    UPPER_BACK = "upper_back"
    SHOULDERS = "shoulders"
    BICEPS = "biceps"
    TRICEPS = "triceps"
    FOREARMS = "forearms"
    SPINAL_ERECTORS = "spinal_erectors"
    RECTUS_ABDOMINIS = "rectus_abdominis"
    OBLIQUES = "obliques"
    TRANSVERSE_ABDOMINIS = "transverse_abdominis"
    PELVIC_FLOOR = "pelvic_floor"
    DIAPHRAGM = "diaphragm"
    HEART_AND_LUNGS = "heart_and_lungs"


POSTERIOR_THIGH: frozenset[Muscle] = frozenset({Muscle.GLUTES, Muscle.HAMSTRINGS})
ANTERIOR_THIGH: frozenset[Muscle] = frozenset({Muscle.QUADRICEPS})
