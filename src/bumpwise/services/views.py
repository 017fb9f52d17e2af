"""View models shared by the JSON API and the HTML pages: one shape, two renderings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar

from pydantic import BaseModel

from bumpwise.domain.contract import PlanDay, PlanReason, PlanWeek
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.terms import Term
from bumpwise.domain.vocab import Clearance, ConditionClass, Delivery, StageKind
from bumpwise.persistence.models import SessionLog, SymptomReport
from bumpwise.persistence.repositories.health import LogCopy

ViewT = TypeVar("ViewT", bound=BaseModel)


def view_of(view: type[ViewT], row: object, **derived: object) -> ViewT:
    """``view`` of a stored row: each of its fields the row holds under the same name, validated,
    and the fields given as ``derived`` (what the view words or computes differently)."""
    stored = {name: getattr(row, name) for name in view.model_fields if name not in derived}
    return view.model_validate({**stored, **derived})


class TermView(BaseModel):
    id: str
    name: str
    description: str


class ReportView(BaseModel):
    id: int
    reported_at: datetime
    symptoms: list[TermView]
    warning_signs: list[TermView]
    note: str
    resolved_at: datetime | None


class LogView(BaseModel):
    id: int
    session_date: date
    session_kind: str
    items_done: list[str]
    records: list[dict[str, str | int | float]] = []
    """Per exercise: sets, reps and weight in kg, as recorded (and its name, on the pages)."""
    rpe: int | None
    minutes: int | None
    sets_done: int | None = None
    notes: str
    created_at: datetime
    updated_at: datetime | None = None


class PlanHeader(BaseModel):
    """What every plan page says first: the stage, the clearance, and whether a warning holds it."""

    stage: str
    stage_kind: StageKind
    """Pregnant or postpartum: what the page may link to (an article is written for a stage)."""
    delivery: Delivery | None = None
    """After the birth, how it was: a caesarean article is linked only after a caesarean."""
    notice: str | None
    clearance: Clearance
    headline: str
    next_step: str
    held: bool
    warnings: list[ReportView]
    reasons: tuple[PlanReason, ...]
    requirements: tuple[PlanReason, ...]
    disclaimer: str
    figure_query: str = ""
    """The stage for the exercise figures, as a query string (see services.figures.stage_query)."""


class TodayView(BaseModel):
    date: date
    header: PlanHeader
    day: PlanDay | None
    week_notes: list[str]
    logs: list[LogView]
    checked_in_today: bool


class WeekDone(BaseModel):
    """What the logs of this week add up to, beside what the plan asks (``week.totals``)."""

    minutes: int
    strength_sessions: int
    sessions: int
    days: list[date]


class WeekView(BaseModel):
    header: PlanHeader
    week: PlanWeek | None
    logs: list[LogView]
    done: WeekDone | None = None


def json_with(model: BaseModel, name: str, value_json: bytes | None) -> bytes:
    """The model's JSON with its field ``name`` holding ``value_json``, JSON already written (None
    writes null): the field goes last, whatever its place in the model."""
    rest = model.model_dump_json(exclude={name}).encode()
    separator = b"," if rest != b"{}" else b""
    return rest[:-1] + separator + f'"{name}":'.encode() + (value_json or b"null") + b"}"


def week_done(logs: list[LogView]) -> WeekDone:
    return WeekDone(
        minutes=sum(log.minutes or 0 for log in logs),
        strength_sessions=sum(1 for log in logs if log.session_kind == "strength"),
        sessions=len(logs),
        days=sorted({log.session_date for log in logs}),
    )


def term(kb: KnowledgeBase, term_id: str, stage: StageKind | None = None) -> TermView:
    """A term in plain words; a warning sign or symptom in the words of ``stage`` when given."""
    reportable = kb.reportable(term_id)
    if reportable is not None:
        wording = reportable.worded_for(stage)
        return TermView(id=term_id, name=wording.name, description=wording.description)
    found = kb.conditions.get(term_id)
    if found is None:
        return TermView(id=term_id, name=term_id.replace("_", " "), description="")
    return _term_of(found)


def stage_terms(
    kb: KnowledgeBase, term_ids: Iterable[str], stage: StageKind, delivery: Delivery | None = None
) -> list[TermView]:
    """The warning signs or symptoms among ``term_ids`` a person at ``stage`` (after a
    ``delivery``, when known) can report, worded for that stage."""
    return [
        term(kb, i, stage)
        for i in term_ids
        if (t := kb.reportable(i)) is not None and t.applies(stage, delivery)
    ]


class ScreeningQuestions(BaseModel):
    """The questions a screening asks for one stage, in the order it asks them, and the equipment
    to choose from: only what can apply to the stage (no pregnancy question after the birth)."""

    stage_kind: StageKind
    warning_signs: list[TermView]
    symptoms: list[TermView]
    absolute: list[TermView]
    relative: list[TermView]
    modifiers: list[TermView]
    running_tests: list[TermView]
    """The return-to-running tests: asked only after the birth."""
    equipment: list[TermView]


def screening_questions(
    kb: KnowledgeBase, stage: StageKind, delivery: Delivery | None = None
) -> ScreeningQuestions:
    """The screening of ``stage`` (after a ``delivery``, when known), in that stage's words."""
    conditions = [c for c in kb.conditions.values() if stage in c.applies_to]

    def of_class(kind: ConditionClass) -> list[TermView]:
        return [_term_of(c) for c in conditions if c.condition_class is kind]

    postpartum = stage is StageKind.POSTPARTUM
    return ScreeningQuestions(
        stage_kind=stage,
        warning_signs=stage_terms(kb, kb.warning_signs, stage, delivery),
        symptoms=stage_terms(kb, kb.symptoms, stage, delivery),
        absolute=of_class(ConditionClass.ABSOLUTE),
        relative=of_class(ConditionClass.RELATIVE),
        modifiers=of_class(ConditionClass.MODIFIER),
        running_tests=[_term_of(t) for t in kb.running_tests.values()] if postpartum else [],
        equipment=equipment_choices(kb),
    )


def equipment_choices(kb: KnowledgeBase) -> list[TermView]:
    """The equipment a person can say they have, in plain words."""
    return [_term_of(e) for e in kb.equipment.values()]


def _term_of(found: Term) -> TermView:
    return TermView(id=found.id, name=found.name, description=found.description)


def report_view(kb: KnowledgeBase, report: SymptomReport, stage: StageKind | None = None) -> ReportView:
    return ReportView(
        id=report.id,
        reported_at=report.reported_at,
        symptoms=[term(kb, s, stage) for s in report.symptoms],
        warning_signs=[term(kb, s, stage) for s in report.warning_signs],
        note=report.note,
        resolved_at=report.resolved_at,
    )


def log_view(log: SessionLog | LogCopy) -> LogView:
    return view_of(LogView, log, items_done=list(log.items_done), records=list(log.records or []))
