"""View models shared by the JSON API and the HTML pages: one shape, two renderings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.persistence.models import SessionLog, SymptomReport


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
    rpe: int | None
    minutes: int | None
    notes: str
    created_at: datetime


class PlanHeader(BaseModel):
    """What every plan page says first: the stage, the clearance, and whether a warning holds it."""

    stage: str
    notice: str | None
    clearance: str
    headline: str
    next_step: str
    held: bool
    warnings: list[ReportView]
    reasons: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    disclaimer: str
    figure_query: str = ""
    """The stage for the exercise figures, as a query string (see services.figures.stage_query)."""


class TodayView(BaseModel):
    date: date
    header: PlanHeader
    day: dict[str, Any] | None
    week_notes: list[str]
    logs: list[LogView]
    checked_in_today: bool


class WeekView(BaseModel):
    header: PlanHeader
    week: dict[str, Any] | None
    logs: list[LogView]


def term(kb: KnowledgeBase, term_id: str) -> TermView:
    found = kb.warning_signs.get(term_id) or kb.symptoms.get(term_id) or kb.conditions.get(term_id)
    if found is None:
        return TermView(id=term_id, name=term_id.replace("_", " "), description="")
    return TermView(id=found.id, name=found.name, description=found.description)


def report_view(kb: KnowledgeBase, report: SymptomReport) -> ReportView:
    return ReportView(
        id=report.id,
        reported_at=report.reported_at,
        symptoms=[term(kb, s) for s in report.symptoms],
        warning_signs=[term(kb, s) for s in report.warning_signs],
        note=report.note,
        resolved_at=report.resolved_at,
    )


def log_view(log: SessionLog) -> LogView:
    return LogView(
        id=log.id,
        session_date=log.session_date,
        session_kind=log.session_kind,
        items_done=list(log.items_done),
        rpe=log.rpe,
        minutes=log.minutes,
        notes=log.notes,
        created_at=log.created_at,
    )
