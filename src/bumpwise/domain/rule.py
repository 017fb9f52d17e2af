"""A safety or planning rule as data: what it matches, what it does, and why.

Every condition in a ``Match`` must hold for the rule to apply (lists mean "any of"). The
profile part is checked once per person and stage week; the exercise part is checked against
the exercise's attributes as prescribed (after any modification).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from bumpwise.domain.exercise import Key, Slug, Strict, Text
from bumpwise.domain.stage import POSTPARTUM_WEEKS
from bumpwise.domain.terms import TermId
from bumpwise.domain.vocab import (
    AbdominalPressure,
    ActivityLevel,
    Clearance,
    Delivery,
    Impact,
    Load,
    Pattern,
    Position,
    StageKind,
)

DESIGN_SOURCE = "DESIGN"
"""The pseudo-source every design choice cites, so each reason names where it comes from."""

Week = Annotated[int, Field(ge=POSTPARTUM_WEEKS[0], le=POSTPARTUM_WEEKS[1])]
"""A stage week of either kind: 0 to the end of the postpartum range (pregnancy ends at 42)."""


class ExerciseMatch(Strict):
    id: list[Slug] | None = None
    except_id: list[Slug] | None = Field(
        default=None, description="Exercises the rule leaves alone; the rationale must say why."
    )
    pattern: list[Pattern] | None = None
    position: list[Position] | None = None
    asymmetric_lower_body: StrictBool | None = None
    wide_stance: StrictBool | None = None
    impact: list[Impact] | None = None
    spinal_flexion: StrictBool | None = None
    load: list[Load] | None = None
    abdominal_pressure: list[AbdominalPressure] | None = None
    balance_demanding: StrictBool | None = None
    high_effort: StrictBool | None = None
    running: StrictBool | None = None
    presses_on_abdomen: StrictBool | None = None

    @cached_property
    def constraints(self) -> tuple[tuple[str, frozenset[object]], ...]:
        """(attribute, accepted values) pairs, for fast matching."""
        pairs: list[tuple[str, frozenset[object]]] = []
        for name, value in self:
            if value is None or name == "except_id":
                continue
            accepted = frozenset(value) if isinstance(value, list) else frozenset({value})
            pairs.append((name, accepted))
        return tuple(pairs)


class Match(Strict):
    stage_kind: StageKind | None = None
    week_min: Week | None = None
    week_max: Week | None = None
    trimesters: list[Literal[1, 2, 3]] | None = None
    delivery: list[Delivery] | None = None
    has_any: list[TermId] | None = Field(
        default=None, description="Any of these conditions, symptoms or warning signs is reported."
    )
    symptoms_any: list[TermId] | None = Field(
        default=None, description="Any of these is reported as a current symptom (not as a condition)."
    )
    activity_levels: list[ActivityLevel] | None = None
    running_tests_incomplete: StrictBool | None = None
    running_ready: StrictBool | None = None
    exercise: ExerciseMatch | None = None

    @model_validator(mode="after")
    def _weeks_need_a_stage(self) -> Match:
        has_weeks = self.week_min is not None or self.week_max is not None
        if has_weeks and self.stage_kind is None:
            raise ValueError("week_min/week_max need stage_kind (pregnancy and postpartum weeks differ)")
        if self.trimesters is not None and self.stage_kind is not StageKind.PREGNANT:
            raise ValueError("trimesters need stage_kind: pregnant")
        return self


class Allow(Strict):
    """Why an exercise that no other rule restricts is there as written: the general recommendation."""

    type: Literal["allow"]


class Exclude(Strict):
    """The exercise must not be done as prescribed; adaptations are tried, else it is swapped."""

    type: Literal["exclude"]


class Modify(Strict):
    """Apply the exercise's variant of this key if it has a usable one; otherwise follow ``otherwise``."""

    type: Literal["modify"]
    variant: Key | None = None
    text: Text | None = None
    otherwise: Literal["text", "exclude", "keep"] = "text"

    @model_validator(mode="after")
    def _coherent(self) -> Modify:
        if self.variant is None and self.text is None:
            raise ValueError("a modify action needs a variant, a text, or both")
        if self.otherwise == "text" and self.text is None:
            raise ValueError("otherwise: text needs a text")
        return self


class Cap(Strict):
    """Lower the prescribed load to at most ``load``."""

    type: Literal["cap"]
    load: Load
    text: Text


Minutes = Annotated[int, Field(ge=0, le=1000)]
Count = Annotated[int, Field(ge=0, le=10)]
Days = Annotated[int, Field(ge=1, le=7)]
"""Days in a week."""


class PelvicFloorDailyParams(Strict):
    days_per_week: Days
    rest_day_minutes: Annotated[int, Field(ge=1, le=30)]


class AerobicMinutesParams(Strict):
    minutes_per_week: Minutes
    min_days: Days
    weekly_increase_minutes: Minutes


class BuildUpParams(Strict):
    start_minutes_per_week: Minutes
    weekly_increase_minutes: Minutes
    minutes_per_week: Minutes
    min_days: Days
    start_session_minutes: Annotated[int, Field(ge=5, le=90)]
    session_increase_minutes: Annotated[int, Field(ge=0, le=30)]


class StrengthSessionsParams(Strict):
    min_sessions: Annotated[int, Field(ge=0, le=7)]


class IntensityParams(Strict):
    rpe_min: Annotated[int, Field(ge=6, le=20)]
    rpe_max: Annotated[int, Field(ge=6, le=20)]


class ThighBalanceParams(Strict):
    ratio_min: Annotated[float, Field(gt=0, le=5)]
    ratio_max: Annotated[float, Field(gt=0, le=5)]


class ProgressionParams(Strict):
    max_set_increase_per_week: Count
    weeks_per_step: Annotated[int, Field(ge=1, le=12)]
    max_level: Count


class NoParams(Strict):
    """A requirement that needs no numbers (``progression_hold``)."""


RecoveryPhaseName = Literal["early", "rebuild", "build"]
RECOVERY_PHASES: tuple[RecoveryPhaseName, ...] = ("early", "rebuild", "build")
"""Postpartum phases from the gentlest; when two are in force, the earlier (stricter) one wins."""


class RecoveryPhaseParams(Strict):
    """A postpartum phase: which session templates it uses (planning.yaml ``phase_templates``,
    when it has its own) and how hard and how many sets its strength work may be."""

    phase: RecoveryPhaseName
    max_difficulty: Annotated[int, Field(ge=1, le=5)]
    max_sets: Annotated[int, Field(ge=1, le=10)]


Requirement = Literal[
    "pelvic_floor_daily",
    "aerobic_minutes",
    "strength_sessions",
    "intensity",
    "build_up",
    "thigh_balance",
    "progression",
    "progression_hold",
    "recovery_phase",
]


class Require(Strict):
    """A plan-level requirement; the planner reads its numbers from ``params``, typed per
    requirement so that a misspelt number is a data error, not a silent default."""

    type: Literal["require"]
    requirement: Requirement
    params: Strict


class RequirePelvicFloorDaily(Require):
    requirement: Literal["pelvic_floor_daily"]
    params: PelvicFloorDailyParams


class RequireAerobicMinutes(Require):
    requirement: Literal["aerobic_minutes"]
    params: AerobicMinutesParams


class RequireStrengthSessions(Require):
    requirement: Literal["strength_sessions"]
    params: StrengthSessionsParams


class RequireIntensity(Require):
    requirement: Literal["intensity"]
    params: IntensityParams


class RequireBuildUp(Require):
    requirement: Literal["build_up"]
    params: BuildUpParams


class RequireThighBalance(Require):
    requirement: Literal["thigh_balance"]
    params: ThighBalanceParams


class RequireProgression(Require):
    requirement: Literal["progression"]
    params: ProgressionParams


class RequireProgressionHold(Require):
    requirement: Literal["progression_hold"]
    params: NoParams = NoParams()


class RequireRecoveryPhase(Require):
    requirement: Literal["recovery_phase"]
    params: RecoveryPhaseParams


AnyRequire = Annotated[
    RequirePelvicFloorDaily
    | RequireAerobicMinutes
    | RequireStrengthSessions
    | RequireIntensity
    | RequireBuildUp
    | RequireThighBalance
    | RequireProgression
    | RequireProgressionHold
    | RequireRecoveryPhase,
    Field(discriminator="requirement"),
]


class Refer(Strict):
    """Who to see, and what it holds back.

    ``scope: screening`` rules set the clearance; ``scope: running`` rules only hold back the
    return to running. A screening rule with ``blocks_running`` does both.
    """

    type: Literal["refer"]
    scope: Literal["screening", "running"] = "screening"
    clearance: Clearance = Clearance.CLEARED
    to: Text
    liftable_by_provider: bool = False
    blocks_running: bool = False

    @model_validator(mode="after")
    def _running_scope_sets_no_clearance(self) -> Refer:
        if self.scope == "running" and self.clearance is not Clearance.CLEARED:
            raise ValueError("a running-scope rule cannot change the clearance; use scope: screening")
        return self


Action = Annotated[Allow | Exclude | Modify | Cap | AnyRequire | Refer, Field(discriminator="type")]


class Rule(Strict):
    id: Slug
    summary: Text
    rationale: Text
    sources: list[str] = Field(min_length=1)
    design_choice: bool = False
    conflict: Text | None = Field(
        default=None,
        description="Where sources disagree: what each says and that the stricter wins.",
    )
    match: Match
    action: Action

    @model_validator(mode="after")
    def _design_choice_is_labelled(self) -> Rule:
        cites_design = DESIGN_SOURCE in self.sources
        if self.design_choice != cites_design:
            raise ValueError(
                f"design_choice: true and the source {DESIGN_SOURCE} go together "
                "(a rule not backed by a guideline must say so)"
            )
        if isinstance(self.action, Exclude | Modify | Cap) and self.match.exercise is None:
            raise ValueError(f"a {self.action.type} rule needs an exercise match")
        return self
