"""The per-process cache of parsed stored plans: keyed by member and fingerprint, so it never
serves one member's plan to another, and a changed profile, swap or check-in is never answered
from it (the fingerprint changes and the plan is rebuilt, then cached under the new one). It is off
unless configured; these tests turn it on as a deployment that sets ``plan_cache_size`` would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, update

from bumpwise.config import Settings
from bumpwise.domain.alerts import training_dates
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.vocab import SessionKind
from bumpwise.persistence.db import make_session_factory
from bumpwise.persistence.models import StoredPlan
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import clients, coaching, profiles, sessions, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.plan_cache import PlanCache
from bumpwise.services.plans import PLANS, Refreshed, plan_for, refresh_stored_plans
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, new_account, onboarded_member

KB = default_knowledge()
CONFIGURED_SIZE = 1024


@pytest.fixture(autouse=True)
def plan_cache_on() -> Iterator[None]:
    PLANS.size = CONFIGURED_SIZE
    PLANS.clear()
    yield
    PLANS.size = Settings.model_fields["plan_cache_size"].default
    PLANS.clear()


def test_by_default_no_parsed_plan_is_kept_for_the_garbage_collector_to_scan(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    PLANS.size = Settings.model_fields["plan_cache_size"].default
    member = onboarded_member(uow, rules)
    first, again = _served(uow, member), _served(uow, member)
    assert len(PLANS) == 0 and first is not again and first == again == _stored(uow, member.user_id)[1]


def _stored(uow: UnitOfWork, user_id: int) -> tuple[str, PlanDocument]:
    with uow:
        stored = uow.health.stored_plan(user_id)
        assert stored is not None
        return stored.fingerprint, PlanDocument.model_validate(stored.plan)


def _served(uow: UnitOfWork, member: Principal) -> PlanDocument:
    with uow:
        plan = plan_for(uow, KB, member.user_id, TODAY, NOW)[1]
        uow.commit()  # the plan, if it was built again (as every use case does)
        return plan


def _same_pattern_without_equipment(planned: str) -> str:
    pattern = KB.exercises[planned].pattern
    same_pattern = (e for e in KB.exercises.values() if e.pattern == pattern and e.id != planned)
    return next(e.id for e in same_pattern if not e.equipment)


def _strength_items(plan: PlanDocument) -> list[str]:
    days = plan.weeks[0].days
    strength = [s for d in days for s in d.sessions if s.kind is SessionKind.STRENGTH]
    return [i.exercise.id for s in strength for i in s.items]


def test_a_second_read_is_served_from_the_cache_and_equals_the_stored_plan(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    PLANS.clear()
    member = onboarded_member(uow, rules)
    first = _served(uow, member)
    fingerprint, stored = _stored(uow, member.user_id)
    assert PLANS.get(member.user_id, fingerprint) is first
    again = _served(uow, member)
    assert again is first and again == stored


def test_two_members_with_the_same_fingerprint_never_share_a_cached_plan(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    PLANS.clear()
    mia = onboarded_member(uow, rules, name="Mia")
    ana = onboarded_member(uow, rules, name="Ana")
    mias = _served(uow, mia)
    mia_fingerprint, _ = _stored(uow, mia.user_id)
    _served(uow, ana)
    ana_fingerprint, anas_stored = _stored(uow, ana.user_id)
    assert mia_fingerprint == ana_fingerprint  # same profile, same day: only the key's member id differs
    PLANS.clear()
    _served(uow, mia)  # Mia's plan is now the only one cached under this fingerprint
    anas = _served(uow, ana)
    assert anas is not mias and anas == anas_stored
    assert PLANS.get(ana.user_id, ana_fingerprint) is anas
    assert PLANS.get(mia.user_id, mia_fingerprint) is not anas


def test_a_profile_change_is_never_answered_from_the_cache(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    before = _served(uow, member)
    old_fingerprint, _ = _stored(uow, member.user_id)
    details = {
        "stage_kind": "pregnant",
        "due_date": "2026-06-15",
        "activity_level": "active",
        "equipment": ["dumbbells", "chair"],
        "days_per_week": 2,
        "minutes_per_session": 30,
    }
    profiles.save_details(uow, KB, member, validated(profiles.DetailsInput, details), NOW)
    after = _served(uow, member)
    new_fingerprint, stored = _stored(uow, member.user_id)
    assert new_fingerprint != old_fingerprint
    assert after is not before and after == stored
    assert PLANS.get(member.user_id, new_fingerprint) is after


def test_a_check_in_is_never_answered_from_the_cache(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    before = _served(uow, member)
    answer = validated(symptoms.CheckInInput, {"symptoms": ["pelvic_pain_flare"]})
    symptoms.check_in(uow, KB, member, answer, NOW)
    after = _served(uow, member)
    assert after is not before and after == _stored(uow, member.user_id)[1]
    warning = validated(symptoms.CheckInInput, {"warning_signs": ["vaginal_bleeding"]})
    symptoms.check_in(uow, KB, member, warning, NOW)
    held = sessions.today(uow, KB, member, TODAY, NOW)
    assert held.header.held and held.header.clearance != before.clearance


def test_a_coachs_swap_is_never_answered_from_the_cache(uow: UnitOfWork, rules: AccountRules) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    member = onboarded_member(uow, rules)
    coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
    before = _served(uow, member)
    planned = _strength_items(before)[0]
    target = _same_pattern_without_equipment(planned)
    swap = validated(clients.SwapInput, {"from_exercise": planned, "to_exercise": target})
    clients.add_swap(uow, KB, coach, member.user_id, swap, TODAY, NOW)
    after = _served(uow, member)
    assert planned in _strength_items(before) and planned not in _strength_items(after)
    assert target in _strength_items(after) and after == _stored(uow, member.user_id)[1]


def test_swaps_and_coach_libraries_are_read_only_for_a_member_who_has_them(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    member = onboarded_member(uow, rules)

    def own_reads() -> set[str]:
        """The tables read by a statement of their own (not as a part of the profile's)."""
        statements = _statements_of(engine, lambda: _served(uow, member), table="FROM")
        return {s.split()[1].split(".")[0] for s in statements if not s.startswith("SELECT member_profiles")}

    assert not own_reads() & {"coach_swaps", "coach_grants"}  # none: the profile's read said so
    coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
    assert "coach_grants" in own_reads() and "coach_swaps" not in own_reads()
    planned = _strength_items(_served(uow, member))[0]
    target = _same_pattern_without_equipment(planned)
    swap = validated(clients.SwapInput, {"from_exercise": planned, "to_exercise": target})
    clients.add_swap(uow, KB, coach, member.user_id, swap, TODAY, NOW)
    assert {"coach_grants", "coach_swaps"} <= own_reads()
    assert target in _strength_items(_served(uow, member))


def test_the_cache_keeps_the_most_recently_used_plans_up_to_its_size() -> None:
    cache: PlanCache[str] = PlanCache(size=2)
    cache.put(1, "a", "one")
    cache.put(2, "a", "two")
    assert cache.get(1, "a") == "one"  # now the most recent
    cache.put(3, "a", "three")
    assert cache.get(2, "a") is None and cache.get(1, "a") == "one" and len(cache) == 2
    assert cache.get(3, "b") is None
    cache.forget(1)
    assert cache.get(1, "a") is None
    off: PlanCache[str] = PlanCache(size=0)
    off.put(1, "a", "one")
    assert off.get(1, "a") is None


def test_refreshing_stored_plans_rebuilds_only_what_changed_and_then_reads_rebuild_nothing(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    members = [onboarded_member(uow, rules, name=f"Member {i}") for i in range(3)]
    factory = make_session_factory(engine)

    def new_uow() -> UnitOfWork:
        return UnitOfWork(factory)

    first = refresh_stored_plans(new_uow, KB, TODAY, NOW, batch=2)
    assert (first.checked, first.rebuilt) == (3, 3)
    assert refresh_stored_plans(new_uow, KB, TODAY, NOW, batch=2) == Refreshed(3, 0)
    next_week = TODAY + timedelta(days=7)
    assert refresh_stored_plans(new_uow, KB, next_week, NOW, batch=2) == Refreshed(3, 3)
    fingerprints = {m.user_id: _stored(uow, m.user_id)[0] for m in members}
    for member in members:
        sessions.today(uow, KB, member, next_week, NOW)  # served from what the refresh stored
    assert {m.user_id: _stored(uow, m.user_id)[0] for m in members} == fingerprints


def test_refreshing_fills_in_the_roster_summary_of_plans_stored_without_it(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules, name="Member")
    sessions.today(uow, KB, member, TODAY, NOW)
    with engine.begin() as connection:  # as stored before migration 0018
        connection.execute(update(StoredPlan).values(roster_summary=None))
    factory = make_session_factory(engine)
    assert refresh_stored_plans(lambda: UnitOfWork(factory), KB, TODAY, NOW) == Refreshed(1, 0)
    with uow:
        (summary,) = uow.health.stored_summaries([member.user_id]).values()
    week = sessions.this_week(uow, KB, member, TODAY, NOW).week
    assert summary.training_days == tuple(training_dates(week)) and summary.training_days


def test_the_coach_library_changing_changes_the_fingerprint(uow: UnitOfWork, rules: AccountRules) -> None:
    """A coach confirming (or correcting) an exercise in their library is a new plan input for
    every client of that coach, and only for them; the plan is rebuilt, never served stale."""
    from pathlib import Path

    from bumpwise.services import coach_library
    from bumpwise.services.coach_library import AttributeValues

    PLANS.clear()
    coach = new_account(uow, rules, "coach", "Cora")
    member = onboarded_member(uow, rules)
    stranger = onboarded_member(uow, rules, name="Stranger")
    coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
    sample = Path(__file__).resolve().parents[1] / "data" / "wger_sample.json"
    coach_library.import_uploaded(uow, coach, [("s.json", sample.read_bytes())], "wger", NOW)
    _served(uow, member), _served(uow, stranger)
    before, other_before = _stored(uow, member.user_id)[0], _stored(uow, stranger.user_id)[0]
    entry = coach_library.library(uow, coach)[0]
    coach_library.confirm_attributes(uow, coach, entry.id, validated(AttributeValues, {"impact": "low"}), NOW)
    _served(uow, member), _served(uow, stranger)
    confirmed = _stored(uow, member.user_id)[0]
    assert confirmed != before and _stored(uow, stranger.user_id)[0] == other_before
    coach_library.confirm_attributes(
        uow, coach, entry.id, validated(AttributeValues, {"impact": "high"}), NOW
    )
    _served(uow, member)
    assert _stored(uow, member.user_id)[0] not in (before, confirmed), "a correction changes it again"


def _statements_of(engine: Engine, read: Callable[[], object], table: str = "stored_plans") -> list[str]:
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return [s for s in seen if table in s]


def test_a_stored_plan_is_read_with_the_profile_in_one_statement_and_parsed_once(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    stored = _served(uow, member)
    PLANS.clear()  # as in another worker, or after a restart

    unseen = _statements_of(engine, lambda: _served(uow, member))
    parsed = PLANS.get(member.user_id, _stored(uow, member.user_id)[0])
    cached = _statements_of(engine, lambda: _served(uow, member))

    for statements in (unseen, cached):
        assert len(statements) == 1
        assert "plan_z" in statements[0] and "member_profiles" in statements[0]
    assert parsed is not None and parsed == stored
    assert _served(uow, member) is parsed  # kept: not parsed again


def _symptom_states(uow: UnitOfWork, user_id: int) -> tuple[Any, Any]:
    """The symptom state as read with the plan inputs, and as read on its own, by report ids."""

    def ids(state: tuple[Any, list[Any]]) -> tuple[int | None, list[int]]:
        latest, warnings = state
        return (latest.id if latest else None), [r.id for r in warnings]

    with uow:
        inputs = uow.health.plan_inputs(user_id)
        assert inputs is not None
        return ids(inputs.symptom_state), ids(uow.health.symptom_state(user_id))


def test_the_symptom_state_is_read_with_the_plan_inputs_and_open_warnings_always_reach_the_plan(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    """One row per check-in the state holds: none, the latest, then two open warning signs (one
    older than the latest, one resolved in between), each as the separate read finds them."""
    member = onboarded_member(uow, rules)
    with_inputs, alone = _symptom_states(uow, member.user_id)
    assert with_inputs == alone == (None, [])

    def check_in(answers: dict[str, list[str]], minutes: int) -> int:
        entry = validated(symptoms.CheckInInput, answers)
        return symptoms.check_in(uow, KB, member, entry, NOW + timedelta(minutes=minutes)).report.id

    first_warning = check_in({"warning_signs": ["vaginal_bleeding"]}, 1)
    resolved = check_in({"warning_signs": ["chest_pain"]}, 2)
    symptoms.resolve_warning(uow, KB, member, resolved, NOW + timedelta(minutes=3))
    second_warning = check_in({"warning_signs": ["calf_pain_or_swelling"]}, 4)
    latest = check_in({"symptoms": ["pelvic_pain_flare"]}, 5)

    with_inputs, alone = _symptom_states(uow, member.user_id)
    assert with_inputs == alone == (latest, [first_warning, second_warning])
    assert len(_statements_of(engine, lambda: _served(uow, member), table="symptom_reports")) == 1
    held = sessions.today(uow, KB, member, TODAY, NOW)
    assert held.header.held and [w.id for w in held.header.warnings] == [first_warning, second_warning]


def test_a_cached_plan_is_not_served_once_another_process_stored_another(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = onboarded_member(uow, rules)
    first = _served(uow, member)
    fingerprint, _ = _stored(uow, member.user_id)
    with uow:
        uow.session.execute(
            update(StoredPlan).where(StoredPlan.user_id == member.user_id).values(fingerprint="another")
        )
        uow.commit()
    assert PLANS.get(member.user_id, fingerprint) is first

    again = _served(uow, member)

    assert again is not first and again == first  # built again, and stored again under its own
    assert _stored(uow, member.user_id)[0] == fingerprint
