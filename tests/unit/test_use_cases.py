"""Use cases on the in-memory unit of work (tests/fakeuow.py): plan caching, swaps in the stored
plan, the audit log, and the coach's alerts (pure, in the domain). Fast: no database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from builders import kb
from bumpwise.domain import audit_events
from bumpwise.domain.alerts import adherence, alerts_for, training_dates
from bumpwise.domain.audit_events import AuditEvent
from bumpwise.domain.contract import PlanDocument
from bumpwise.persistence.models import CoachSwap, MemberProfile, SymptomReport
from bumpwise.persistence.packing import pack
from bumpwise.services.coaching import my_audit, record_reads
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role
from fakeuow import FakeUnitOfWork

KB = kb()
TODAY = date(2026, 3, 4)
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
MEMBER = Principal(user_id=7, role=Role.MEMBER, display_name="Mia", email="mia@example.org")
COACH = Principal(user_id=8, role=Role.COACH, display_name="Coach Dana", email="dana@example.org")


def onboarded(uow: FakeUnitOfWork, **changes: object) -> None:
    fields: dict[str, object] = {
        "user_id": MEMBER.user_id,
        "stage_kind": "pregnant",
        "due_date": TODAY + timedelta(weeks=15),
        "birth_date": None,
        "delivery": None,
        "activity_level": "active",
        "equipment": ["dumbbells"],
        "days_per_week": 4,
        "minutes_per_session": 30,
        "conditions": [],
        "provider_cleared": False,
        "age": None,
        "return_to_running_tests": {},
        "screening_answered": True,
        "program_started_on": TODAY,
        "updated_at": NOW,
    }
    uow.health.profiles[MEMBER.user_id] = MemberProfile(**{**fields, **changes})


def look(uow: FakeUnitOfWork) -> PlanDocument:
    with uow:
        return plan_for(uow, KB, MEMBER.user_id, TODAY, NOW)[1]


def test_a_plan_is_built_once_then_read_back_until_something_changes() -> None:
    uow = FakeUnitOfWork()
    onboarded(uow)
    first = look(uow)
    assert uow.health.saves == 1 and first.weeks
    again = look(uow)
    assert uow.health.saves == 1 and again == first
    # The stored JSON is the contract's JSON, read back with validation.
    assert PlanDocument.model_validate(uow.health.plans[MEMBER.user_id].plan) == first
    uow.health.reports.append(
        SymptomReport(
            id=1,
            user_id=MEMBER.user_id,
            reported_at=NOW,
            symptoms=["pelvic_pain_flare"],
            warning_signs=[],
            has_warning=False,
            resolved_at=None,
        )
    )
    changed = look(uow)
    assert uow.health.saves == 2 and changed != first


def test_plan_for_leaves_the_commit_to_its_caller() -> None:
    uow = FakeUnitOfWork()
    onboarded(uow)
    look(uow)
    assert uow.commits == 0


def test_a_stored_plan_that_no_longer_reads_is_built_again() -> None:
    uow = FakeUnitOfWork()
    onboarded(uow)
    first = look(uow)
    stored = uow.health.plans[MEMBER.user_id]
    stored.plan_z = pack(json.dumps({**stored.plan, "weeks": "not weeks"}).encode())
    assert look(uow) == first and uow.health.saves == 2


def test_a_coach_swap_rebuilds_the_plan_with_the_planned_dose() -> None:
    uow = FakeUnitOfWork()
    onboarded(uow)
    week = look(uow).current_week
    assert week is not None
    planned = next(i for i in week.all_items() if i.block == "main" and i.exercise.pattern == "hinge")
    target = next(
        e.id
        for e in sorted(KB.exercises.values(), key=lambda e: e.id)
        if e.pattern == "hinge" and e.id != planned.exercise.id and not e.equipment
    )
    uow.coaching.swaps.append(
        CoachSwap(
            id=1, member_id=MEMBER.user_id, from_exercise=planned.exercise.id, to_exercise=target, note=""
        )
    )
    swapped = look(uow).current_week
    assert swapped is not None and uow.health.saves == 2
    items = [i for i in swapped.all_items() if i.substituted_for == planned.exercise.id]
    assert items and all(i.exercise.id == target and i.dose.sets == planned.dose.sets for i in items)
    assert items[0].reasons[0].rule == "coach-swap"


def test_a_coachs_reads_are_in_the_members_audit_log() -> None:
    uow = FakeUnitOfWork()
    with uow:
        record_reads(uow, COACH, [MEMBER.user_id, 99], AuditEvent(audit_events.WEEKLY_SUMMARY), NOW)
        uow.commit()
    entries = my_audit(uow, MEMBER)
    assert [(e.actor, e.action, e.at) for e in entries] == [("Coach Dana", "viewed your weekly summary", NOW)]


def test_alerts_say_what_a_coach_should_notice() -> None:
    uow = FakeUnitOfWork()
    onboarded(uow)
    plan = look(uow)
    week = plan.current_week
    assert week is not None
    training = [d.date for d in week.days if any(s.kind in ("strength", "cardio") for s in d.sessions)]
    end = week.days[-1].date + timedelta(days=1)
    planned = training_dates(week)
    missed = alerts_for(KB, plan.clearance, planned, held_by=(), logged=set(), recent_symptoms=[], day=end)
    assert [a.kind for a in missed] == ["missed_sessions"]
    assert missed[0].text.startswith(f"{len(training)} planned training days missed")
    assert adherence(planned, set(training[:1]), end) == (1, len(training))
    held = alerts_for(
        KB,
        plan.clearance,
        planned,
        held_by={"chest_pain"},
        logged=set(),
        recent_symptoms=[["back_pain"]] * 3,
        day=end,
    )
    assert [a.kind for a in held] == ["warning_sign", "symptom_trend"]
    assert "Plan on hold" in held[0].text and "3 of the last 3" in held[1].text
