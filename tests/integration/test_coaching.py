"""Coaching on both databases: consent by invite, the roster and its alerts, the audit log the
member sees, and swaps that the rules still judge."""

from __future__ import annotations

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import clients, coaching, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Forbidden, NotFound
from bumpwise.services.inputs import validated
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, new_account, onboarded_member

KB = default_knowledge()


def _coach_with_client(uow: UnitOfWork, rules: AccountRules, **member: object) -> tuple[Principal, Principal]:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    client = onboarded_member(uow, rules, **member)  # type: ignore[arg-type]
    invite = coaching.create_invite(uow, coach, NOW)
    coaching.accept_invite(uow, client, invite.code, NOW)
    return coach, client


def test_a_coach_sees_only_members_who_granted_access(uow: UnitOfWork, rules: AccountRules) -> None:
    coach, client = _coach_with_client(uow, rules)
    stranger = onboarded_member(uow, rules, name="Stranger")
    roster = clients.roster(uow, KB, coach, TODAY, NOW)
    assert [row.member_id for row in roster.clients] == [client.user_id]
    with pytest.raises(NotFound):
        clients.client_detail(uow, KB, coach, stranger.user_id, TODAY, NOW)


def test_revoking_the_grant_ends_access(uow: UnitOfWork, rules: AccountRules) -> None:
    coach, client = _coach_with_client(uow, rules)
    coaching.revoke_coach(uow, client, coach.user_id)
    with pytest.raises(NotFound):
        clients.client_detail(uow, KB, coach, client.user_id, TODAY, NOW)
    assert clients.roster(uow, KB, coach, TODAY, NOW).clients == []


def test_members_cannot_use_coach_services(uow: UnitOfWork, rules: AccountRules) -> None:
    _, client = _coach_with_client(uow, rules)
    with pytest.raises(Forbidden):
        clients.roster(uow, KB, client, TODAY, NOW)


def test_every_coach_read_is_in_the_members_audit_log(uow: UnitOfWork, rules: AccountRules) -> None:
    coach, client = _coach_with_client(uow, rules)
    clients.roster(uow, KB, coach, TODAY, NOW)
    clients.client_detail(uow, KB, coach, client.user_id, TODAY, NOW)
    log = coaching.my_audit(uow, client)
    assert {entry.action for entry in log} == {clients.READ_SUMMARY.english(), clients.READ_DETAIL.english()}
    assert all(entry.actor == "Coach Cara" for entry in log)


def test_roster_alerts_a_warning_sign_and_a_consult(uow: UnitOfWork, rules: AccountRules) -> None:
    coach, client = _coach_with_client(uow, rules)
    symptoms.check_in(
        uow, KB, client, validated(symptoms.CheckInInput, {"warning_signs": ["chest_pain"]}), NOW
    )
    _, consult = _coach_with_client(uow, rules, screening={"conditions": ["anaemia"]})
    coaching.accept_invite(uow, consult, coaching.create_invite(uow, coach, NOW).code, NOW)
    rows = {row.member_id: row for row in clients.roster(uow, KB, coach, TODAY, NOW).clients}
    assert [a.kind for a in rows[client.user_id].alerts] == ["warning_sign"]
    assert "consult_needed" in [a.kind for a in rows[consult.user_id].alerts]


def test_a_swap_to_an_excluded_exercise_is_refused_with_the_reason(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    coach, client = _coach_with_client(uow, rules, screening={"conditions": ["pelvic_girdle_pain"]})
    swap = validated(clients.SwapInput, {"from_exercise": "goblet-squat", "to_exercise": "reverse-lunge"})
    with pytest.raises(InputError) as refused:
        clients.add_swap(uow, KB, coach, client.user_id, swap, TODAY, NOW)
    assert refused.value.field == "to_exercise"
    assert "excluded" in refused.value.message and "pelvic girdle pain" in refused.value.message.lower()


def test_an_allowed_swap_changes_the_clients_plan(uow: UnitOfWork, rules: AccountRules) -> None:
    coach, client = _coach_with_client(uow, rules)
    with uow:
        _, plan = plan_for(uow, KB, client.user_id, TODAY, NOW)
    assert plan.current_week is not None
    days = plan.current_week.days
    strength = [i for d in days for s in d.sessions if s.kind == "strength" for i in s.items]
    planned = strength[0].exercise.id
    target = next(
        e.id
        for e in KB.exercises.values()
        if e.pattern == strength[0].exercise.pattern and e.id != planned and not e.equipment
    )
    swap = validated(clients.SwapInput, {"from_exercise": planned, "to_exercise": target, "note": "knees"})
    clients.add_swap(uow, KB, coach, client.user_id, swap, TODAY, NOW)
    with uow:
        _, plan = plan_for(uow, KB, client.user_id, TODAY, NOW)
    assert plan.current_week is not None
    ids = [i.exercise.id for i in plan.current_week.all_items()]
    assert planned not in ids and target in ids
    assert any("swapped" in entry.action for entry in coaching.my_audit(uow, client))
