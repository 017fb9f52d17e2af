"""Today's session, this week's plan, and logging what was done."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import Field

from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import SessionKind, StageKind
from bumpwise.persistence.models import SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.figures import stage_query
from bumpwise.services.inputs import StrictInput
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import MemberState
from bumpwise.services.views import LogView, PlanHeader, TodayView, WeekView, log_view, report_view

MAX_LOG_AGE = timedelta(days=60)


class LogInput(StrictInput):
    session_date: date
    session_kind: SessionKind
    items_done: list[str] = Field(default_factory=list, max_length=60)
    rpe: int | None = Field(default=None, ge=6, le=20, description="Borg scale 6–20; aim for 12–14")
    minutes: int | None = Field(default=None, ge=1, le=300)
    notes: str = Field(default="", max_length=2000)


def plan_header(kb: KnowledgeBase, state: MemberState, plan: PlanDocument) -> PlanHeader:
    text = kb.messages.clearances[plan.clearance]
    return PlanHeader(
        stage=state.stage.label,
        stage_kind=StageKind(state.stage.kind),
        notice=state.stage.notice,
        clearance=plan.clearance,
        headline=text.headline,
        next_step=plan.next_step,
        held=state.held,
        warnings=[report_view(kb, r, StageKind(state.stage.kind)) for r in state.warnings],
        reasons=plan.reasons,
        requirements=plan.requirements,
        disclaimer=plan.disclaimer,
        figure_query=stage_query(state.profile.stage),
    )


def today(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime) -> TodayView:
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan = plan_for(uow, kb, principal.user_id, day, now)
        logs = [log_view(log) for log in uow.health.logs(principal.user_id, since=day, limit=20)]
        uow.commit()  # the plan, if it was built again
    week = plan.current_week
    return TodayView(
        date=day,
        header=plan_header(kb, state, plan),
        day=plan.day_on(day),
        week_notes=list(week.notes) if week else [],
        logs=[log for log in logs if log.session_date == day],
        checked_in_today=state.latest is not None and state.latest.reported_at.date() == day,
    )


def this_week(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime) -> WeekView:
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan = plan_for(uow, kb, principal.user_id, day, now)
        logs = uow.health.logs(principal.user_id, since=state.stage.week_start, limit=100)
        uow.commit()  # the plan, if it was built again
        return WeekView(
            header=plan_header(kb, state, plan), week=plan.current_week, logs=[log_view(x) for x in logs]
        )


def log_session(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, entry: LogInput, day: date, now: datetime
) -> LogView:
    require_role(principal, Role.MEMBER)
    if entry.session_date > day:
        raise InputError("session_date", "is in the future")
    if entry.session_date < day - MAX_LOG_AGE:
        raise InputError("session_date", "is more than 60 days ago")
    for index, exercise_id in enumerate(entry.items_done):
        if exercise_id not in kb.exercises:
            raise InputError(f"items_done[{index}]", f"{exercise_id!r} is not an exercise in the library")
    row = SessionLog(
        user_id=principal.user_id,
        session_date=entry.session_date,
        session_kind=entry.session_kind.value,
        items_done=list(dict.fromkeys(entry.items_done)),
        rpe=entry.rpe,
        minutes=entry.minutes,
        notes=entry.notes.strip(),
        created_at=now,
    )
    with uow:
        uow.health.add(row)
        uow.commit()
        return log_view(row)


def list_logs(uow: UnitOfWork, principal: Principal, *, limit: int = 100) -> list[LogView]:
    require_role(principal, Role.MEMBER)
    with uow:
        return [log_view(x) for x in uow.health.logs(principal.user_id, limit=min(limit, 500))]
