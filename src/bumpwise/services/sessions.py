"""Today's session, this week's plan, and logging what was done."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field

from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance, SessionKind, StageKind
from bumpwise.persistence.models import SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import Conflict
from bumpwise.services.figures import stage_query
from bumpwise.services.inputs import StrictInput
from bumpwise.services.plans import current_week, day_of, plan_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import MemberState
from bumpwise.services.views import (
    LogView,
    PlanHeader,
    TodayView,
    WeekView,
    log_view,
    report_view,
    week_done,
)

MAX_LOG_AGE = timedelta(days=60)


class ExerciseRecord(StrictInput):
    """What one exercise took: each figure optional, as the member recorded it."""

    exercise: str = Field(max_length=80)
    sets: int | None = Field(default=None, ge=1, le=20)
    reps: int | None = Field(default=None, ge=1, le=200)
    weight_kg: float | None = Field(default=None, ge=0, le=300)


class LogInput(StrictInput):
    session_date: date
    session_kind: SessionKind
    items_done: list[str] = Field(default_factory=list, max_length=60)
    rpe: int | None = Field(default=None, ge=6, le=20, description="Borg scale 6–20; aim for 12–14")
    minutes: int | None = Field(default=None, ge=1, le=300)
    notes: str = Field(default="", max_length=2000)
    records: list[ExerciseRecord] = Field(default_factory=list, max_length=60)


class DuplicateLog(Conflict):
    """The same kind of session is already logged for that day: asked first, never stored twice
    silently."""

    def __init__(self, existing: SessionLog) -> None:
        when = existing.created_at.strftime("%H:%M")
        super().__init__(
            f"you already logged this {existing.session_kind.replace('_', ' ')} session for "
            f"{existing.session_date:%A %-d %B} (at {when} UTC); log it again only if you did it twice",
            "again",
        )
        self.existing = log_view(existing)


def plan_header(kb: KnowledgeBase, state: MemberState, plan: dict[str, Any]) -> PlanHeader:
    text = kb.messages.clearances[Clearance(plan["clearance"])]
    return PlanHeader(
        stage=state.stage.label,
        stage_kind=StageKind(state.stage.kind),
        delivery=state.stage.delivery,
        notice=state.stage.notice,
        clearance=plan["clearance"],
        headline=text.headline,
        next_step=plan["next_step"],
        held=state.held,
        warnings=[report_view(kb, r, StageKind(state.stage.kind)) for r in state.warnings],
        reasons=plan["reasons"],
        requirements=plan["requirements"],
        disclaimer=plan["disclaimer"],
        figure_query=stage_query(state.profile.stage),
    )


def today(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime) -> TodayView:
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan = plan_for(uow, kb, principal.user_id, day, now)
        logs = [named(kb, log_view(log)) for log in uow.health.logs(principal.user_id, since=day, limit=20)]
    week = current_week(plan)
    return TodayView(
        date=day,
        header=plan_header(kb, state, plan),
        day=day_of(plan, day),
        week_notes=list(week["notes"]) if week else [],
        logs=[log for log in logs if log.session_date == day],
        checked_in_today=state.latest is not None and state.latest.reported_at.date() == day,
    )


def named(kb: KnowledgeBase, log: LogView) -> LogView:
    """The log with each record's exercise named in plain words."""
    for record in log.records:
        found = kb.exercises.get(str(record.get("exercise")))
        record["name"] = found.name if found else str(record.get("exercise", "")).replace("-", " ")
    return log


def this_week(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime) -> WeekView:
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan = plan_for(uow, kb, principal.user_id, day, now)
        rows = uow.health.logs(principal.user_id, since=state.stage.week_start, limit=100)
        logs = [log_view(x) for x in rows]
        return WeekView(
            header=plan_header(kb, state, plan), week=current_week(plan), logs=logs, done=week_done(logs)
        )


def log_session(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    entry: LogInput,
    day: date,
    now: datetime,
    *,
    ask_first: bool = False,
) -> LogView:
    """Store a session log. With ``ask_first`` (the page's form), a second log of the same kind
    on the same day is refused with ``DuplicateLog`` until the member says she did it twice; the
    API stores it (its clients make a retry safe with an Idempotency-Key)."""
    require_role(principal, Role.MEMBER)
    if entry.session_date > day:
        raise InputError("session_date", "is in the future")
    if entry.session_date < day - MAX_LOG_AGE:
        raise InputError("session_date", "is more than 60 days ago")
    for index, exercise_id in enumerate(entry.items_done):
        if exercise_id not in kb.exercises:
            raise InputError(f"items_done[{index}]", f"{exercise_id!r} is not an exercise in the library")
    for index, record in enumerate(entry.records):
        if record.exercise not in kb.exercises:
            message = f"{record.exercise!r} is not an exercise in the library"
            raise InputError(f"records[{index}].exercise", message)
    row = SessionLog(
        user_id=principal.user_id,
        session_date=entry.session_date,
        session_kind=entry.session_kind.value,
        items_done=list(dict.fromkeys(entry.items_done)),
        records=_recorded(entry.records),
        rpe=entry.rpe,
        minutes=entry.minutes,
        notes=entry.notes.strip(),
        created_at=now,
    )
    with uow:
        existing = _same_session(uow, principal.user_id, entry) if ask_first else None
        if existing is not None:
            raise DuplicateLog(existing)
        uow.health.add(row)
        uow.commit()
        return log_view(row)


def _recorded(records: list[ExerciseRecord]) -> list[dict[str, Any]]:
    """The records that hold at least one figure."""
    dumped = [r.model_dump(exclude_none=True) for r in records]
    return [r for r in dumped if r.keys() - {"exercise"}]


def _same_session(uow: UnitOfWork, user_id: int, entry: LogInput) -> SessionLog | None:
    logs = uow.health.logs(user_id, since=entry.session_date, limit=50)
    kind = entry.session_kind.value
    return next((x for x in logs if x.session_date == entry.session_date and x.session_kind == kind), None)


def list_logs(uow: UnitOfWork, principal: Principal, *, limit: int = 100) -> list[LogView]:
    require_role(principal, Role.MEMBER)
    with uow:
        return [log_view(x) for x in uow.health.logs(principal.user_id, limit=min(limit, 500))]
