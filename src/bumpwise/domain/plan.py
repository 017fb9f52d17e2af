"""A plan as values: weeks → days → sessions → items; ``document()`` gives its typed contract
(``domain/contract.py``, the JSON shape of design.md §6)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from bumpwise.domain.contract import (
    PlanDay,
    PlanDocument,
    PlanIntensity,
    PlanItem,
    PlanSession,
    PlanTotals,
    PlanWeek,
    plan_dose,
    plan_exercise,
    plan_reason,
)
from bumpwise.domain.engine import Prescription, Reason, rule_ids, source_ids
from bumpwise.domain.exercise import Dose
from bumpwise.domain.vocab import Clearance, SessionKind

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Intensity:
    label: str
    talk_test: str
    rpe_min: int | None = None
    rpe_max: int | None = None

    def document(self) -> PlanIntensity:
        return PlanIntensity(label=self.label, rpe=(self.rpe_min, self.rpe_max), talk_test=self.talk_test)

    def describe(self) -> str:
        rpe = f"RPE {self.rpe_min}–{self.rpe_max}, " if self.rpe_min is not None else ""
        return f"{self.label} ({rpe}{self.talk_test})"


@dataclass(frozen=True)
class Item:
    prescription: Prescription
    dose: Dose
    block: str
    why: str
    substituted_for: str | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def exercise_id(self) -> str:
        return self.prescription.exercise.id

    def document(self) -> PlanItem:
        return PlanItem(
            exercise=plan_exercise(self.prescription),
            dose=plan_dose(self.dose),
            modifications=self.prescription.modifications,
            substituted_for=self.substituted_for,
            reasons=tuple(plan_reason(r) for r in self.reasons),
            rules=tuple(rule_ids(self.reasons)),
            sources=tuple(source_ids(self.reasons)),
            cues=self.prescription.cues,
            why=self.why,
            block=self.block,
        )


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    title: str
    minutes: int
    intensity: Intensity
    items: tuple[Item, ...]

    def document(self) -> PlanSession:
        return PlanSession(
            kind=self.kind,
            title=self.title,
            minutes=self.minutes,
            intensity=self.intensity.document(),
            items=tuple(item.document() for item in self.items),
        )


@dataclass(frozen=True)
class Day:
    day: int
    date: date
    sessions: tuple[Session, ...]

    @property
    def rest(self) -> bool:
        return all(s.kind is SessionKind.PELVIC_FLOOR for s in self.sessions)

    def document(self) -> PlanDay:
        return PlanDay(
            day=self.day,
            date=self.date,
            weekday=WEEKDAYS[self.date.weekday()],
            rest=self.rest,
            sessions=tuple(s.document() for s in self.sessions),
        )


@dataclass(frozen=True)
class Totals:
    moderate_minutes: int
    strength_sessions: int
    pelvic_floor_days: int
    posterior_volume: float
    anterior_volume: float
    cardio_days: int
    aerobic_minutes: int = 0
    strength_minutes: int = 0

    @property
    def balance_ratio(self) -> float | None:
        return round(self.posterior_volume / self.anterior_volume, 2) if self.anterior_volume else None

    def document(self) -> PlanTotals:
        return PlanTotals(**asdict(self), balance_ratio=self.balance_ratio)


@dataclass(frozen=True)
class Week:
    index: int
    stage_week: int
    stage_label: str
    days: tuple[Day, ...]
    totals: Totals
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    progression_level: int = 0

    def document(self) -> PlanWeek:
        return PlanWeek(
            week=self.index,
            progression_level=self.progression_level,
            stage_week=self.stage_week,
            stage=self.stage_label,
            start=self.days[0].date,
            changes=self.changes,
            notes=self.notes,
            days=tuple(d.document() for d in self.days),
            totals=self.totals.document(),
        )


@dataclass(frozen=True)
class Plan:
    clearance: Clearance
    reasons: tuple[Reason, ...]
    weeks: tuple[Week, ...]
    next_step: str
    disclaimer: str
    requirements: tuple[Reason, ...] = field(default=())

    def document(self) -> PlanDocument:
        """The plan in its typed contract: what every reader after the domain gets."""
        return PlanDocument(
            clearance=self.clearance,
            reasons=tuple(plan_reason(r) for r in self.reasons),
            next_step=self.next_step,
            requirements=tuple(plan_reason(r) for r in self.requirements),
            weeks=tuple(w.document() for w in self.weeks),
            disclaimer=self.disclaimer,
        )
