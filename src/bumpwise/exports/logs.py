"""The activity log: sessions done and symptoms reported, with the member's stage (docs/log-format.md).

``parse_log`` is the one door in for a log file: it checks the shape, the ranges and every id
against the knowledge base, and raises ``InputError`` naming the field. The web app builds an
``ActivityLog`` straight from its rows (see ``csv_json.log_from_records``).

``ActivityLog.clock`` turns the due date and/or the birth date (or a stage on a day) into the
stage on any day, with the web app's arithmetic (``bumpwise.domain.stage.StageClock``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Strict
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.stage import Stage, StageClock, check_stage, clock_at
from bumpwise.domain.validation import json_object, validate_input
from bumpwise.domain.vocab import Delivery, SessionKind, StageKind

LOG_FORMAT: Literal[1] = 1
MAX_ENTRIES = 20_000

Note = Annotated[str, Field(max_length=2000)]


class ItemDone(Strict):
    """One exercise done in a session; ``sets`` may be left out (see the log format)."""

    exercise: Annotated[str, Field(min_length=1, max_length=120)]
    sets: Annotated[int, Field(ge=1, le=20)] | None = None


class LoggedSession(Strict):
    date: dt.date
    kind: SessionKind
    minutes: Annotated[int, Field(ge=1, le=300)] | None = None
    rpe: Annotated[int, Field(ge=6, le=20, description="Borg scale 6–20; aim for 12–14")] | None = None
    items: list[ItemDone] = Field(default_factory=list, max_length=60)
    notes: Note = ""

    @field_validator("items", mode="before")
    @classmethod
    def _plain_ids(cls, value: Any) -> Any:
        """An item may be just the exercise id: ``"bird-dog"`` means ``{"exercise": "bird-dog"}``."""
        if isinstance(value, list):
            return [{"exercise": v} if isinstance(v, str) else v for v in value]
        return value


class SymptomReport(Strict):
    date: dt.date
    symptoms: list[str] = Field(default_factory=list, max_length=40)
    warning_signs: list[str] = Field(default_factory=list, max_length=40)
    note: Note = ""
    reported_at: dt.datetime | None = None
    """The time of the check-in, when known (the web app records it)."""
    resolved_at: dt.datetime | None = None
    """When a warning sign was marked checked and resolved."""

    @property
    def ids(self) -> tuple[str, ...]:
        return (*self.warning_signs, *self.symptoms)


class StageOn(Strict):
    """The stage on a given day, which is taken as the first day of that stage week."""

    kind: StageKind
    week: int
    delivery: Delivery | None = None
    on: dt.date

    def as_stage(self) -> Stage:
        return Stage(kind=self.kind, week=self.week, delivery=self.delivery)


class ActivityLog(Strict):
    format: Literal[1] = LOG_FORMAT
    due_date: dt.date | None = None
    birth_date: dt.date | None = None
    delivery: Delivery | None = None
    stage: StageOn | None = None
    sessions: list[LoggedSession] = Field(default_factory=list, max_length=MAX_ENTRIES)
    symptoms: list[SymptomReport] = Field(default_factory=list, max_length=MAX_ENTRIES)

    @model_validator(mode="after")
    def _one_anchor(self) -> ActivityLog:
        dates = self.due_date is not None or self.birth_date is not None
        if self.stage is not None and dates:
            raise ValueError("give either stage or due_date/birth_date, not both")
        if self.stage is None and not dates:
            raise ValueError("give the stage (kind, week, on), a due_date, or a birth_date with delivery")
        if self.birth_date is not None and self.delivery is None:
            raise ValueError("delivery is required with birth_date: vaginal or caesarean")
        if self.birth_date is None and self.delivery is not None:
            raise ValueError("delivery applies only with birth_date")
        return self

    def clock(self) -> StageClock:
        if self.stage is None:
            return StageClock(self.due_date, self.birth_date, self.delivery)
        return clock_at(self.stage.as_stage(), self.stage.on)

    def last_date(self) -> dt.date | None:
        days = [s.date for s in self.sessions] + [r.date for r in self.symptoms]
        return max(days) if days else None


def parse_log_json(text: str, kb: KnowledgeBase) -> ActivityLog:
    return parse_log(json_object(text, N_("log")), kb)


def parse_log(data: Any, kb: KnowledgeBase) -> ActivityLog:
    log = validate_input(ActivityLog, data, N_("log"))
    if log.stage is not None:
        _check_stage_on(log.stage)
    _check_ids(log, kb)
    return log


def _check_stage_on(stage: StageOn) -> None:
    """The week range and the delivery, with the same messages as a profile's ``stage``."""
    check_stage(stage.as_stage())


def _check_ids(log: ActivityLog, kb: KnowledgeBase) -> None:
    for i, session in enumerate(log.sessions):
        for j, item in enumerate(session.items):
            if item.exercise not in kb.exercises:
                raise InputError(
                    f"sessions[{i}].items[{j}].exercise",
                    N_("%(value)s is not an exercise in the library (see `bumpwise exercises list`)"),
                    values={"value": repr(item.exercise)},
                )
    for i, report in enumerate(log.symptoms):
        _check_terms(f"symptoms[{i}].symptoms", report.symptoms, sorted(kb.symptoms))
        _check_terms(f"symptoms[{i}].warning_signs", report.warning_signs, sorted(kb.warning_signs))


def _check_terms(field: str, ids: list[str], known: list[str]) -> None:
    for k, term_id in enumerate(ids):
        if term_id not in known:
            raise InputError(
                f"{field}[{k}]", N_("%(value)s is not known"), known, values={"value": repr(term_id)}
            )
