"""Today's session, this week's plan, and logging what was done."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from pydantic import Field

from bumpwise.domain import audit_events
from bumpwise.domain.audit_events import AuditEvent
from bumpwise.domain.catalog import N_, _, format_day
from bumpwise.domain.contract import PlanDay, PlanDocument, PlanWeek
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plain_words import plain
from bumpwise.domain.vocab import SessionKind, StageKind
from bumpwise.persistence.models import AuditEntry, SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.coach_library import library_ids_of_member
from bumpwise.services.errors import Conflict, NotFound
from bumpwise.services.figures import stage_query
from bumpwise.services.inputs import StrictInput
from bumpwise.services.plans import day_plan_for, plan_for, today_for, week_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import MemberState
from bumpwise.services.views import (
    LogView,
    PlanHeader,
    TodayView,
    WeekView,
    json_with,
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
    sets_done: int | None = Field(
        default=None, ge=0, le=200, description="Sets done in all, as counted by the session player"
    )
    notes: str = Field(default="", max_length=2000)
    records: list[ExerciseRecord] = Field(default_factory=list, max_length=60)


class DuplicateLog(Conflict):
    """The same kind of session is already logged for that day: asked first, never stored twice
    silently."""

    def __init__(self, existing: SessionLog) -> None:
        when = existing.created_at.strftime("%H:%M")
        super().__init__(
            _(
                "you already logged this %(kind)s session for %(day)s (at %(when)s UTC); log it again"
                " only if you did it twice",
                kind=plain(existing.session_kind),
                day=format_day(existing.session_date),
                when=when,
            ),
            "again",
        )
        self.existing = log_view(existing)


class LogChange(StrictInput):
    """An edit of a stored log: the fields sent are changed, the others kept."""

    session_date: date | None = None
    session_kind: SessionKind | None = None
    items_done: list[str] | None = Field(default=None, max_length=60)
    rpe: int | None = Field(default=None, ge=6, le=20, description="Borg scale 6–20; aim for 12–14")
    minutes: int | None = Field(default=None, ge=1, le=300)
    sets_done: int | None = Field(default=None, ge=0, le=200)
    notes: str | None = Field(default=None, max_length=2000)


def plan_header(kb: KnowledgeBase, state: MemberState, plan: PlanDocument) -> PlanHeader:
    text = kb.messages.clearances[plan.clearance]
    return PlanHeader(
        stage=state.stage.label,
        stage_kind=StageKind(state.stage.kind),
        delivery=state.stage.delivery,
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
        state, plan = day_plan_for(uow, kb, principal.user_id, day, now)
        return _today_view(uow, kb, principal.user_id, state, plan, day, plan.day_on(day))


def today_json(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime) -> bytes:
    """``today`` as the API's JSON, with a fresh stored plan's day as stored (``plans.today_for``)."""
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan, day_json = today_for(uow, kb, principal.user_id, day, now)
        view = _today_view(uow, kb, principal.user_id, state, plan, day, None)
    return json_with(view, "day", day_json)


def _today_view(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    user_id: int,
    state: MemberState,
    plan: PlanDocument,
    day: date,
    plan_day: PlanDay | None,
) -> TodayView:
    rows = uow.health.log_copies(user_id, since=day, limit=20)
    uow.commit()  # the plan, if it was built again
    logs = [named(kb, log_view(log)) for log in rows]
    week = plan.current_week
    return TodayView(
        date=day,
        header=plan_header(kb, state, plan),
        day=plan_day,
        week_notes=list(week.notes) if week else [],
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
        return _week_view(uow, kb, principal.user_id, state, plan, plan.current_week)


def this_week_json(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime
) -> bytes:
    """``this_week`` as the API's JSON, with a fresh stored plan's week as stored
    (``plans.week_for``)."""
    require_role(principal, Role.MEMBER)
    with uow:
        state, plan, week = week_for(uow, kb, principal.user_id, day, now)
        view = _week_view(uow, kb, principal.user_id, state, plan, None)
    return json_with(view, "week", week)


def _week_view(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    user_id: int,
    state: MemberState,
    plan: PlanDocument,
    week: PlanWeek | None,
) -> WeekView:
    rows = uow.health.log_copies(user_id, since=state.stage.week_start, limit=100)
    uow.commit()  # the plan, if it was built again
    logs = [log_view(x) for x in rows]
    return WeekView(header=plan_header(kb, state, plan), week=week, logs=logs, done=week_done(logs))


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
    _check_date(entry.session_date, day)
    named = {*entry.items_done, *(record.exercise for record in entry.records)}
    known = _known_exercises(uow, kb, principal.user_id, named)
    _check_items(known, entry.items_done)
    for index, record in enumerate(entry.records):
        if record.exercise not in known:
            message = _("%(id)r is not an exercise in the library", id=record.exercise)
            raise InputError(f"records[{index}].exercise", message)
    row = SessionLog(
        user_id=principal.user_id,
        session_date=entry.session_date,
        session_kind=entry.session_kind.value,
        items_done=list(dict.fromkeys(entry.items_done)),
        records=_recorded(entry.records),
        rpe=entry.rpe,
        minutes=entry.minutes,
        sets_done=entry.sets_done,
        notes=entry.notes.strip(),
        created_at=now,
    )
    with uow:
        existing = _same_session(uow, principal.user_id, entry) if ask_first else None
        if existing is not None:
            raise DuplicateLog(existing)
        uow.health.add_log(row)
        uow.commit()
        return log_view(row)


def _recorded(records: list[ExerciseRecord]) -> list[dict[str, str | int | float]]:
    """The records that hold at least one figure."""
    dumped = [r.model_dump(exclude_none=True) for r in records]
    return [r for r in dumped if r.keys() - {"exercise"}]


def _same_session(uow: UnitOfWork, user_id: int, entry: LogInput) -> SessionLog | None:
    logs = uow.health.logs(user_id, since=entry.session_date, limit=50)
    kind = entry.session_kind.value
    return next((x for x in logs if x.session_date == entry.session_date and x.session_kind == kind), None)


def list_logs(uow: UnitOfWork, principal: Principal, *, limit: int = 100, offset: int = 0) -> list[LogView]:
    """The member's logs, newest first, a page at a time (at most 500)."""
    require_role(principal, Role.MEMBER)
    with uow:
        rows = uow.health.logs(principal.user_id, limit=min(limit, 500), offset=offset)
        return [log_view(x) for x in rows]


def _check_date(session_date: date, day: date) -> None:
    if session_date > day:
        raise InputError("session_date", N_("is in the future"))
    if session_date < day - MAX_LOG_AGE:
        raise InputError("session_date", N_("is more than 60 days ago"))


def _known_exercises(
    uow: UnitOfWork, kb: KnowledgeBase, user_id: int, named: Collection[str] | None = None
) -> Collection[str]:
    """What a member may log: the library's exercises and the reviewed ones of her coaches (read
    only when ``named``, the ids to be checked, holds one that is not in the library)."""
    if named is not None and all(exercise_id in kb.exercises for exercise_id in named):
        return kb.exercises.keys()
    with uow:
        return {*kb.exercises, *library_ids_of_member(uow, user_id)}


def _check_items(known: Collection[str], items: list[str]) -> None:
    for index, exercise_id in enumerate(items):
        if exercise_id not in known:
            raise InputError(
                f"items_done[{index}]", _("%(id)r is not an exercise in the library", id=exercise_id)
            )


def _own_log(uow: UnitOfWork, principal: Principal, log_id: int) -> SessionLog:
    """The member's own log; another person's log is as unknown as a missing one."""
    row = uow.health.log(log_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound(N_("no session log with this id"), "log_id")
    return row


def get_log(uow: UnitOfWork, principal: Principal, log_id: int) -> LogView:
    require_role(principal, Role.MEMBER)
    with uow:
        return log_view(_own_log(uow, principal, log_id))


def edit_log(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    log_id: int,
    change: LogChange,
    day: date,
    now: datetime,
) -> LogView:
    """Only the member who logged it edits a log (a coach never does); the audit trail records
    what changed, from what to what."""
    require_role(principal, Role.MEMBER)
    fields = {name: getattr(change, name) for name in change.model_fields_set}
    if fields.get("session_date") is not None:
        _check_date(fields["session_date"], day)
    for name in ("session_date", "session_kind", "items_done", "notes"):
        if name in fields and fields[name] is None:
            raise InputError(name, "cannot be empty")
    if "items_done" in fields:
        _check_items(_known_exercises(uow, kb, principal.user_id), fields["items_done"])
        fields["items_done"] = list(dict.fromkeys(fields["items_done"]))
    if "session_kind" in fields:
        fields["session_kind"] = fields["session_kind"].value
    if "notes" in fields:
        fields["notes"] = fields["notes"].strip()
    with uow:
        row = _own_log(uow, principal, log_id)
        changed = [name for name, value in fields.items() if getattr(row, name) != value]
        if changed:
            changes = [_change(name, getattr(row, name), fields[name]) for name in changed]
            event = audit_events.log_edited(row.id, str(row.session_date), changes)
            for name in changed:
                setattr(row, name, fields[name])
            row.updated_at = now
            _audit(uow, principal, event, now)
        view = log_view(row)
        uow.commit()
        return view


def delete_log(uow: UnitOfWork, principal: Principal, log_id: int, now: datetime) -> None:
    """The log goes; the audit trail keeps that it was there and what it said."""
    require_role(principal, Role.MEMBER)
    with uow:
        row = _own_log(uow, principal, log_id)
        described = audit_events.log_deleted(
            row.id, str(row.session_date), row.session_kind, len(row.items_done), row.minutes, row.rpe
        )
        uow.health.delete_log(row)
        _audit(uow, principal, described, now)
        uow.commit()


def _change(name: str, before: object, after: object) -> tuple[str, str | None, str | None]:
    """A field's change for the audit line: the notes' text is never kept, only that they changed."""
    if name == "notes":
        return ("notes", None, None)
    if name == "items_done":
        name, before, after = "exercises", _length(before), _length(after)
    return (name, None if before is None else str(before), None if after is None else str(after))


def _length(value: object) -> int:
    return len(value) if isinstance(value, list) else 0


def _audit(uow: UnitOfWork, principal: Principal, event: AuditEvent, now: datetime) -> None:
    uow.coaching.add(
        AuditEntry(
            member_id=principal.user_id,
            actor_id=principal.user_id,
            actor_name=principal.display_name,
            action=event.english()[:200],
            event=event.stored(),
            at=now,
        )
    )
