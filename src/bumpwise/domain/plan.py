"""A plan as values: weeks → days → sessions → items. ``json()`` is its JSON (design.md §6), what
is stored; ``document()`` is the same read into the typed contract (``domain/contract.py``), what
every reader after the domain gets. Building the JSON and validating it once is faster than
constructing the contract's models one by one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.contract import PlanDocument, prescribed_json
from bumpwise.domain.engine import Prescription, Reason, rule_ids, source_ids
from bumpwise.domain.exercise import Dose
from bumpwise.domain.vocab import Clearance, SessionKind

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


INTENSITY_WORDS = (N_("moderate"), N_("gentle"))
"""The intensity labels, which stay English in a plan (a key) and are translated where shown."""


@dataclass(frozen=True)
class Intensity:
    label: str
    talk_test: str
    rpe_min: int | None = None
    rpe_max: int | None = None

    def json(self) -> dict[str, object]:
        return {"label": self.label, "rpe": [self.rpe_min, self.rpe_max], "talk_test": _(self.talk_test)}

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

    def json(self) -> dict[str, object]:
        return {
            "exercise": {"attribution": None, **prescribed_json(self.prescription)},
            "dose": {**self.dose.model_dump(), "text": self.dose.describe()},
            "modifications": list(self.prescription.modifications),
            "substituted_for": self.substituted_for,
            "reasons": [r.as_dict() for r in self.reasons],
            "rules": rule_ids(self.reasons),
            "sources": source_ids(self.reasons),
            "cues": self.prescription.cues.model_dump(),
            "why": self.why,
            "block": self.block,
        }


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    title: str
    minutes: int
    intensity: Intensity
    items: tuple[Item, ...]

    def json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "title": self.title,
            "minutes": self.minutes,
            "intensity": self.intensity.json(),
            "items": [item.json() for item in self.items],
        }


@dataclass(frozen=True)
class Day:
    day: int
    date: date
    sessions: tuple[Session, ...]

    @property
    def rest(self) -> bool:
        return all(s.kind is SessionKind.PELVIC_FLOOR for s in self.sessions)

    def json(self) -> dict[str, object]:
        return {
            "day": self.day,
            "date": self.date.isoformat(),
            "weekday": WEEKDAYS[self.date.weekday()],
            "rest": self.rest,
            "sessions": [s.json() for s in self.sessions],
        }


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

    def json(self) -> dict[str, object]:
        return {**asdict(self), "balance_ratio": self.balance_ratio}


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

    def json(self) -> dict[str, object]:
        return {
            "week": self.index,
            "progression_level": self.progression_level,
            "stage_week": self.stage_week,
            "stage": self.stage_label,
            "start": self.days[0].date.isoformat(),
            "changes": list(self.changes),
            "notes": list(self.notes),
            "days": [d.json() for d in self.days],
            "totals": self.totals.json(),
        }


@dataclass(frozen=True)
class Plan:
    clearance: Clearance
    reasons: tuple[Reason, ...]
    weeks: tuple[Week, ...]
    next_step: str
    disclaimer: str
    requirements: tuple[Reason, ...] = field(default=())

    def json(self) -> dict[str, object]:
        return {
            "clearance": self.clearance.value,
            "reasons": [r.as_dict() for r in self.reasons],
            "next_step": self.next_step,
            "requirements": [r.as_dict() for r in self.requirements],
            "weeks": [w.json() for w in self.weeks],
            "disclaimer": self.disclaimer,
        }

    def document(self) -> PlanDocument:
        """The plan in its typed contract."""
        return PlanDocument.model_validate(self.json())
