"""The JSON contract of design.md §6, built from domain values. Shared by the CLI and the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum

from pydantic import BaseModel, ConfigDict

from bumpwise.domain.engine import Prescription, Verdict
from bumpwise.domain.exercise import LIBRARY_ORIGIN, Attribution, Cues, Exercise, SafetyAttributes
from bumpwise.domain.vocab import (
    Clearance,
    Equipment,
    Muscle,
    Pattern,
    SessionKind,
    StageKind,
)


class Contract(BaseModel):
    """A frozen part of the plan contract: what services, views, exports, templates and the API
    read, and what is stored as JSON and validated when read back (an unknown key is an error)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PlanReason(Contract):
    """One rule's part in a decision: the rule id, its sources (``source`` is the first) and why."""

    rule: str
    source: str
    sources: tuple[str, ...]
    text: str
    design_choice: bool = False
    conflict: str | None = None


class PlanDose(Contract):
    """The dose as planned (``text`` says it in words): exactly one of reps, hold_seconds, minutes."""

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_side: bool = False
    rest_seconds: int = 60
    text: str


class PlanExercise(SafetyAttributes):
    """An exercise as prescribed: after its variants, with the safety attributes rules match on
    (``SafetyAttributes``, the same model the library's exercises use)."""

    model_config = Contract.model_config

    id: str
    name: str
    summary: str
    pattern: Pattern
    primary_muscles: tuple[Muscle, ...]
    secondary_muscles: tuple[Muscle, ...]
    equipment: tuple[Equipment, ...]
    difficulty: int
    origin: str
    attribution: Attribution | None = None
    """Another library's exercise: its source, licence and author (None for bumpwise's own)."""
    applied_variants: tuple[str, ...] = ()

    @property
    def drawn(self) -> bool:
        """Whether there is a figure of it: every exercise of bumpwise's library has one, an
        imported exercise none."""
        return self.origin == LIBRARY_ORIGIN


class PlanItem(Contract):
    exercise: PlanExercise
    dose: PlanDose
    modifications: tuple[str, ...]
    substituted_for: str | None = None
    reasons: tuple[PlanReason, ...]
    rules: tuple[str, ...]
    sources: tuple[str, ...]
    cues: Cues
    why: str
    block: str


class PlanIntensity(Contract):
    label: str
    rpe: tuple[int | None, int | None]
    talk_test: str


class PlanSession(Contract):
    kind: SessionKind
    title: str
    minutes: int
    intensity: PlanIntensity
    items: tuple[PlanItem, ...]


class PlanDay(Contract):
    day: int
    date: date
    weekday: str
    rest: bool
    sessions: tuple[PlanSession, ...]


class PlanTotals(Contract):
    moderate_minutes: int
    aerobic_minutes: int
    strength_minutes: int
    strength_sessions: int
    pelvic_floor_days: int
    posterior_volume: float
    anterior_volume: float
    balance_ratio: float | None
    cardio_days: int


class PlanWeek(Contract):
    week: int
    progression_level: int
    stage_week: int
    stage: str
    start: date
    changes: tuple[str, ...]
    notes: tuple[str, ...]
    days: tuple[PlanDay, ...]
    totals: PlanTotals

    def day_on(self, on: date) -> PlanDay | None:
        return next((d for d in self.days if d.date == on), None)

    def all_items(self) -> Iterable[PlanItem]:
        """Every item of the week, day by day, session by session."""
        return (item for day in self.days for session in day.sessions for item in session.items)


class PlanDocument(Contract):
    """The whole plan (design.md §6): clearance and why, what to do next, the weeks, the disclaimer."""

    clearance: Clearance
    reasons: tuple[PlanReason, ...]
    next_step: str
    requirements: tuple[PlanReason, ...]
    weeks: tuple[PlanWeek, ...]
    disclaimer: str

    @property
    def current_week(self) -> PlanWeek | None:
        return self.weeks[0] if self.weeks else None

    def day_on(self, on: date) -> PlanDay | None:
        """The day ``on`` in the plan's first week, if it is one."""
        week = self.current_week
        return week.day_on(on) if week is not None else None


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def exercise_json(exercise: Exercise, attributes: Mapping[str, object] | None = None) -> dict[str, object]:
    """EXERCISE: the id, name, pattern, muscles, equipment and the safety attributes (as prescribed),
    as JSON: what ``PlanExercise`` and the library's rows are validated from."""
    facts = attributes if attributes is not None else exercise.attributes()
    data: dict[str, object] = {
        "id": exercise.id,
        "name": exercise.name,
        "summary": exercise.summary,
        "pattern": exercise.pattern.value,
        "primary_muscles": [m.value for m in exercise.primary_muscles],
        "secondary_muscles": [m.value for m in exercise.secondary_muscles],
        "equipment": [e.value for e in exercise.equipment],
    }
    for name, value in facts.items():
        if name not in ("id", "pattern"):
            data[name] = _plain(value)
    data["difficulty"] = exercise.difficulty
    data["origin"] = exercise.origin
    if exercise.attribution is not None:
        data["attribution"] = exercise.attribution.model_dump(mode="json")
    return data


def exercise_detail_json(exercise: Exercise, stage_kind: StageKind | None = None) -> dict[str, object]:
    """The exercise in full; with ``stage_kind``, only the variants that apply to that stage."""
    data = exercise_json(exercise)
    data["cues"] = exercise.cues.model_dump()
    data["dose"] = {**exercise.dose.model_dump(), "text": exercise.dose.describe()}
    data["variants"] = [
        v.model_dump(mode="json", exclude_defaults=True)
        for v in exercise.variants
        if stage_kind is None or stage_kind in v.applies_to
    ]
    data["regressions"] = list(exercise.regressions)
    data["progressions"] = list(exercise.progressions)
    data["substitutes"] = list(exercise.substitutes)
    data["sources"] = list(exercise.sources)
    return data


def prescribed_json(prescription: Prescription) -> dict[str, object]:
    data = exercise_json(prescription.exercise, prescription.attributes)
    data["name"] = prescription.name
    data["summary"] = prescription.summary
    data["equipment"] = [e.value for e in prescription.equipment]
    data["applied_variants"] = [v.key for v in prescription.variants]
    return data


def verdict_json(verdict: Verdict) -> dict[str, object]:
    return {
        "exercise": verdict.exercise.id,
        "verdict": verdict.status,
        "prescribed": prescribed_json(verdict.prescription) if verdict.prescription else None,
        "modifications": list(verdict.prescription.modifications) if verdict.prescription else [],
        "cues": verdict.prescription.cues.model_dump() if verdict.prescription else None,
        "missing_equipment": [e.value for e in verdict.missing_equipment],
        "reasons": [reason.as_dict() for reason in verdict.reasons],
    }
