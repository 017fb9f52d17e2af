"""The coach's side: the roster, a client's detail, and swaps. Every read is audited.

``client_access`` is the one check that a coach may see a member: the member's grant must exist.
Without it the member does not exist as far as this coach can tell (404).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from bumpwise.domain import audit_events
from bumpwise.domain.alerts import Alert, adherence, alerts_for, training_dates
from bumpwise.domain.audit_events import AuditEvent
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.contract import PlanWeek
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.suggestions import swap_choices
from bumpwise.domain.swaps import check_swap
from bumpwise.domain.vocab import Clearance, StageKind
from bumpwise.persistence.models import CoachSwap, SymptomReport, User
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.coach_library import coach_knowledge
from bumpwise.services.coaching import record_reads
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.plans import PlanSummary, plan_for, plan_summaries_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import MemberState, member_state
from bumpwise.services.sessions import plan_header
from bumpwise.services.symptoms import worded_report
from bumpwise.services.views import LogView, PlanHeader, ReportView, log_view, term

ROSTER_PAGE = 50
ROSTER_REPORTS = 5  # per client: the symptom trend's window
READ_SUMMARY = AuditEvent(audit_events.ROSTER_SUMMARY)
READ_DETAIL = AuditEvent(audit_events.CLIENT_DETAIL)


class RosterRow(BaseModel):
    member_id: int
    display_name: str
    stage: str | None
    stage_week: int | None
    clearance: Clearance | None
    last_session: date | None
    sessions_done: int
    sessions_planned: int
    alerts: list[Alert]


class Roster(BaseModel):
    clients: list[RosterRow]
    total: int
    offset: int
    limit: int


class SwapInput(StrictInput):
    from_exercise: str = Field(min_length=1, max_length=80)
    to_exercise: str = Field(min_length=1, max_length=80)
    note: str = Field(default="", max_length=300)


class SwapView(BaseModel):
    id: int
    from_exercise: str
    to_exercise: str
    from_name: str
    """The exercises' names (the id of one no longer in the library)."""
    to_name: str
    note: str
    created_at: datetime


class SwapChoice(BaseModel):
    """An exercise the rules in force leave usable for the client now (``domain.suggestions``)."""

    id: str
    name: str
    adapted: bool = False
    """Offered in an adapted form (the rules change how it is done for this client)."""


class ClientDetail(BaseModel):
    member_id: int
    display_name: str
    profile: dict[str, object] | None
    """The client's profile JSON, with the names of its conditions and symptoms and the dates."""
    header: PlanHeader | None
    week: PlanWeek | None
    logs: list[LogView]
    reports: list[ReportView]
    swaps: list[SwapView]
    alerts: list[Alert]
    swap_choices: list[SwapChoice] = []
    planned: list[SwapChoice] = []
    """The exercises of this week's plan, each once: what a swap may replace."""


def choices_for(profile: Profile, kb: KnowledgeBase) -> list[SwapChoice]:
    return [
        SwapChoice(id=v.exercise.id, name=v.exercise.name, adapted=v.status == "modified")
        for v in swap_choices(profile, kb)
    ]


def swap_view(swap: CoachSwap, kb: KnowledgeBase) -> SwapView:
    return SwapView(
        id=swap.id,
        from_exercise=swap.from_exercise,
        to_exercise=swap.to_exercise,
        from_name=exercise_name(kb, swap.from_exercise),
        to_name=exercise_name(kb, swap.to_exercise),
        note=swap.note,
        created_at=swap.created_at,
    )


def exercise_name(kb: KnowledgeBase, exercise_id: str) -> str:
    exercise = kb.exercises.get(exercise_id)
    return exercise.name if exercise is not None else exercise_id


def planned_exercises(week: PlanWeek | None, kb: KnowledgeBase) -> list[SwapChoice]:
    ids = sorted({item.exercise.id for item in week.all_items()}) if week is not None else []
    return [SwapChoice(id=i, name=exercise_name(kb, i)) for i in ids]


def client_alerts(
    kb: KnowledgeBase,
    state: MemberState,
    plan: PlanSummary,
    logged: Collection[date],
    reports: Sequence[SymptomReport],
    day: date,
) -> list[Alert]:
    """The client's alerts (``domain.alerts``) from what is stored about them: ``logged`` the days
    they logged a session this week (or more), ``reports`` their newest check-ins, newest first."""
    held_by = {s for r in state.warnings for s in r.warning_signs} if state.held else set()
    return alerts_for(
        kb,
        plan.clearance,
        plan.training_days,
        held_by=held_by,
        logged=logged,
        recent_symptoms=[list(r.symptoms) for r in reports],
        day=day,
    )


def client_access(uow: UnitOfWork, principal: Principal, member_id: int) -> User:
    """Inside an open unit of work: the member, if this coach holds their grant."""
    require_role(principal, Role.COACH)
    member = uow.accounts.user(member_id)
    if member is None or uow.coaching.grant(member_id, principal.user_id) is None:
        raise NotFound(N_("no client with this id has granted you access"), "member_id")
    return member


def roster(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    day: date,
    now: datetime,
    *,
    offset: int = 0,
    limit: int = ROSTER_PAGE,
) -> Roster:
    """A page of the coach's clients with their stage, adherence and alerts, read for the whole
    page at once (a fixed number of queries, whatever the page size). Nothing here grows with a
    client's history: of the plan, its clearance and this week's training days (stored beside
    it); of the logs, this week's dates and the latest; the newest check-ins and any warning
    sign still open, read fresh on every view (so a warning sign shows at once)."""
    require_role(principal, Role.COACH)
    with uow:
        members = list(uow.coaching.clients_of(principal.user_id, limit=limit, offset=max(offset, 0)))
        ids = [m.id for m in members]
        profiles = {i: row for i, row in uow.health.profiles(ids).items() if row.screening_answered}
        plans = plan_summaries_for(uow, kb, list(profiles.values()), day, now) if profiles else {}
        onboarded = list(plans)
        days = [d for _, plan in plans.values() for d in plan.training_days]
        logged = uow.health.logged_dates(onboarded, min(days)) if days else {}
        last = uow.health.last_logged(onboarded) if onboarded else {}
        reports = uow.health.newest_reports(onboarded, ROSTER_REPORTS) if onboarded else {}
        rows = [
            _roster_row(
                kb,
                m,
                plans.get(m.id),
                ClientLogs(logged.get(m.id, set()), last.get(m.id), reports.get(m.id, [])),
                day,
            )
            for m in members
        ]
        record_reads(uow, principal, ids, READ_SUMMARY, now)
        total = uow.coaching.client_count(principal.user_id)
        uow.commit()
    return Roster(clients=rows, total=total, offset=offset, limit=limit)


@dataclass(frozen=True)
class ClientLogs:
    """What the roster reads of a client's history."""

    logged: set[date]
    last_session: date | None
    reports: list[SymptomReport]


def _roster_row(
    kb: KnowledgeBase,
    member: User,
    planned: tuple[MemberState, PlanSummary] | None,
    history: ClientLogs,
    day: date,
) -> RosterRow:
    empty = RosterRow(
        member_id=member.id,
        display_name=member.display_name,
        stage=None,
        stage_week=None,
        clearance=None,
        last_session=None,
        sessions_done=0,
        sessions_planned=0,
        alerts=[],
    )
    if planned is None:
        return empty.model_copy(
            update={"alerts": [Alert(kind="onboarding", text=_("Has not finished onboarding"))]}
        )
    state, plan = planned
    done, planned_days = adherence(plan.training_days, history.logged, day)
    return empty.model_copy(
        update={
            "stage": state.stage.label,
            "stage_week": state.stage.week,
            "clearance": plan.clearance,
            "last_session": history.last_session,
            "sessions_done": done,
            "sessions_planned": planned_days,
            "alerts": client_alerts(kb, state, plan, history.logged, history.reports, day),
        }
    )


def client_detail(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, member_id: int, day: date, now: datetime
) -> ClientDetail:
    with uow:
        member = client_access(uow, principal, member_id)
        logs = uow.health.logs(member_id, limit=50)
        reports = uow.health.reports(member_id, limit=50)
        own = coach_knowledge(uow, kb, principal.user_id)
        detail = ClientDetail(
            member_id=member.id,
            display_name=member.display_name,
            profile=None,
            header=None,
            week=None,
            logs=[log_view(x) for x in logs],
            reports=[worded_report(uow, kb, r) for r in reports],
            swaps=[swap_view(s, own) for s in uow.coaching.swaps_of(member_id)],
            alerts=[],
        )
        row = uow.health.profile(member_id)
        if row is not None and row.screening_answered:
            state, plan = plan_for(uow, kb, member_id, day, now)
            detail = detail.model_copy(
                update={
                    "profile": {
                        **state.profile.model_dump(mode="json"),
                        # names in the words of the client's stage, for the page (ids stay for the API)
                        "condition_names": [term(kb, c).name for c in state.profile.conditions],
                        "symptom_names": [
                            term(kb, s, StageKind(state.stage.kind)).name for s in state.profile.symptoms
                        ],
                        "due_date": row.due_date,
                        "birth_date": row.birth_date,
                    },
                    "header": plan_header(kb, state, plan),
                    "swap_choices": choices_for(state.profile, own),
                    "planned": planned_exercises(plan.current_week, own),
                    "week": plan.current_week,
                    "alerts": client_alerts(
                        kb,
                        state,
                        PlanSummary(plan.clearance, tuple(training_dates(plan.current_week))),
                        {log.session_date for log in logs},
                        reports[:ROSTER_REPORTS],
                        day,
                    ),
                }
            )
        record_reads(uow, principal, [member_id], READ_DETAIL, now)
        uow.commit()
    return detail


@unique_race_retried
def add_swap(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    member_id: int,
    swap: SwapInput,
    day: date,
    now: datetime,
) -> SwapView:
    """Swap an exercise in the client's plan; refused with the rules' reasons when excluded."""
    with uow:
        client_access(uow, principal, member_id)
        state = member_state(uow, kb, member_id, day)
        own = coach_knowledge(uow, kb, principal.user_id)
        verdict = check_swap(state.profile, own, swap.from_exercise, swap.to_exercise)
        existing = next(
            (s for s in uow.coaching.swaps_of(member_id) if s.from_exercise == swap.from_exercise), None
        )
        if existing is not None:
            uow.coaching.delete_swap(existing)
        row = CoachSwap(
            member_id=member_id,
            coach_id=principal.user_id,
            from_exercise=swap.from_exercise,
            to_exercise=swap.to_exercise,
            note=swap.note.strip(),
            created_at=now,
        )
        uow.coaching.add(row)
        event = audit_events.swapped(
            swap.from_exercise,
            own.exercises[swap.from_exercise].name,
            verdict.exercise.id,
            verdict.exercise.name,
        )
        record_reads(uow, principal, [member_id], event, now)
        uow.commit()
        return swap_view(row, own)


def remove_swap(uow: UnitOfWork, principal: Principal, member_id: int, swap_id: int, now: datetime) -> None:
    with uow:
        client_access(uow, principal, member_id)
        swap = uow.coaching.swap(swap_id)
        if swap is None or swap.member_id != member_id:
            raise NotFound(N_("no such swap"), "swap_id")
        uow.coaching.delete_swap(swap)
        record_reads(uow, principal, [member_id], AuditEvent(audit_events.SWAP_REMOVED), now)
        uow.commit()
