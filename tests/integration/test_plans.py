"""Stored plans: built from today's stage week, kept while nothing changes, rebuilt when the week,
the profile or the latest symptoms change; a warning sign holds the plan until resolved."""

from __future__ import annotations

from datetime import timedelta

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import profiles, sessions, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.plans import plan_for
from dbsupport import NOW, TODAY, onboarded_member

KB = default_knowledge()


def _stored_fingerprint(uow: UnitOfWork, user_id: int) -> str:
    with uow:
        stored = uow.health.stored_plan(user_id)
        assert stored is not None
        return stored.fingerprint


def test_todays_session_comes_from_the_stage_week_of_the_due_date(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = onboarded_member(uow, rules)
    view = sessions.today(uow, KB, member, TODAY, NOW)
    assert view.header.stage == "Week 25 of pregnancy (trimester 2)"
    assert view.header.clearance == "cleared"
    assert view.day is not None and view.day.date == TODAY
    assert "not medical advice" in view.header.disclaimer


def test_the_plan_is_reused_until_the_stage_week_changes(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    sessions.today(uow, KB, member, TODAY, NOW)
    first = _stored_fingerprint(uow, member.user_id)
    sessions.today(uow, KB, member, TODAY + timedelta(days=3), NOW)
    assert _stored_fingerprint(uow, member.user_id) == first
    week = sessions.this_week(uow, KB, member, TODAY + timedelta(days=7), NOW)
    assert week.header.stage.startswith("Week 26")
    assert _stored_fingerprint(uow, member.user_id) != first


def test_a_non_urgent_symptom_adapts_the_plan(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    sessions.today(uow, KB, member, TODAY, NOW)
    before = _stored_fingerprint(uow, member.user_id)
    result = symptoms.check_in(
        uow, KB, member, validated(symptoms.CheckInInput, {"symptoms": ["pelvic_pain_flare"]}), NOW
    )
    assert not result.stop and result.adapted
    with uow:
        _, plan = plan_for(uow, KB, member.user_id, TODAY, NOW)
        uow.commit()  # plan_for saves a rebuilt plan; its caller commits
    assert _stored_fingerprint(uow, member.user_id) != before
    assert plan.current_week is not None
    items = list(plan.current_week.all_items())
    assert items and not any(i.exercise.asymmetric_lower_body for i in items)
    assert not any(i.exercise.wide_stance for i in items)


def test_a_warning_sign_holds_the_plan_until_marked_resolved(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    result = symptoms.check_in(
        uow, KB, member, validated(symptoms.CheckInInput, {"warning_signs": ["vaginal_bleeding"]}), NOW
    )
    assert result.stop
    assert "seek care" in result.headline.lower()
    held = sessions.today(uow, KB, member, TODAY, NOW)
    assert held.header.held and held.header.clearance == "seek_care_now" and held.day is None
    symptoms.resolve_warning(uow, KB, member, result.report.id, NOW)
    resumed = sessions.today(uow, KB, member, TODAY, NOW)
    assert not resumed.header.held and resumed.header.clearance == "cleared" and resumed.day is not None


def test_a_warning_sign_at_screening_holds_the_plan(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules, screening={"warning_signs": ["chest_pain"]})
    result = profiles.screening_result(uow, KB, member, TODAY)
    assert result["clearance"] == "seek_care_now" and result["held"]


def test_a_relative_contraindication_needs_the_provider_first(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules, screening={"conditions": ["twin_pregnancy"]})
    view = sessions.today(uow, KB, member, TODAY, NOW)
    assert view.header.clearance == "consult_provider" and view.day is None
    assert any(r.rule for r in view.header.reasons)


def test_postpartum_weeks_count_from_the_birth_date(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(
        uow,
        rules,
        details={
            "stage_kind": "postpartum",
            "due_date": None,
            "birth_date": TODAY - timedelta(weeks=8, days=2),
            "delivery": "caesarean",
        },
    )
    view = sessions.today(uow, KB, member, TODAY, NOW)
    assert view.header.stage == "Week 8 after a caesarean birth"


def test_logging_a_session_is_listed_with_today(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    entry = validated(
        sessions.LogInput,
        {
            "session_date": TODAY,
            "session_kind": "strength",
            "items_done": ["glute-bridge"],
            "rpe": 13,
            "minutes": 25,
        },
    )
    sessions.log_session(uow, KB, member, entry, TODAY, NOW)
    view = sessions.today(uow, KB, member, TODAY, NOW)
    assert [log.rpe for log in view.logs] == [13]
