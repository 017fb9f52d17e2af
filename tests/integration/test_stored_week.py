"""Stored plans read in parts (issue 18), on SQLite and PostgreSQL: the API's week and today send
the stored week and day as stored, and today's page validates only its day. Each answer is the
one the whole validated plan gives, whether the plan was just built, read back, stored by an older
release in another layout, or held; a plan stored under another contract is rebuilt."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.models import StoredPlan
from bumpwise.persistence.packing import pack, plan_parts, unpack
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import plans, sessions
from bumpwise.services.accounts import AccountRules
from bumpwise.services.plans import day_plan_for, forget_read_plans, plan_for, stored_json
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, onboarded_member

KB = default_knowledge()
POSTPARTUM: dict[str, object] = {
    "stage_kind": "postpartum",
    "due_date": None,
    "birth_date": TODAY - timedelta(weeks=9, days=3),
    "delivery": "caesarean",
}
MEMBERS: dict[str, tuple[dict[str, object] | None, dict[str, object] | None]] = {
    "pregnant": (None, None),
    "postpartum after a caesarean": (POSTPARTUM, None),
    "pelvic girdle pain": (None, {"conditions": ["pelvic_girdle_pain"]}),
    "held by a warning sign": (None, {"warning_signs": ["chest_pain"]}),
    "to see her provider first": (None, {"conditions": ["twin_pregnancy"]}),
}
"""Each member's details and screening answers (None: the defaults)."""


def _member(uow: UnitOfWork, rules: AccountRules, who: str) -> Principal:
    details, screening = MEMBERS[who]
    return onboarded_member(uow, rules, details=details, screening=screening)


def _validated_week(uow: UnitOfWork, member: Principal) -> object:
    forget_read_plans()
    return json.loads(sessions.this_week(uow, KB, member, TODAY, NOW).model_dump_json())


def _sent_week(uow: UnitOfWork, member: Principal) -> object:
    forget_read_plans()
    return json.loads(sessions.this_week_json(uow, KB, member, TODAY, NOW))


def _stored_text(uow: UnitOfWork, member: Principal) -> bytes:
    with uow:
        stored = uow.health.stored_plan(member.user_id)
        assert stored is not None
        return unpack(stored.plan_z)


def _store_text(uow: UnitOfWork, member: Principal, text: bytes) -> None:
    with uow:
        uow.session.execute(
            update(StoredPlan).where(StoredPlan.user_id == member.user_id).values(plan_z=pack(text))
        )
        uow.commit()


def _saves(uow: UnitOfWork, member: Principal) -> object:
    with uow:
        stored = uow.health.stored_plan(member.user_id)
        return None if stored is None else (stored.fingerprint, stored.created_at)


@pytest.mark.parametrize("who", list(MEMBERS))
def test_the_week_sent_as_stored_is_the_validated_week(
    uow: UnitOfWork, rules: AccountRules, who: str
) -> None:
    member = _member(uow, rules, who)
    built = _sent_week(uow, member)  # the plan is built and stored by this read
    parts = plan_parts(_stored_text(uow, member))
    assert parts is not None
    assert built == _sent_week(uow, member) == _validated_week(uow, member)
    week = built["week"] if isinstance(built, dict) else None
    assert (week is None) == (parts.week is None)
    if week is not None:
        assert week["days"] and all(day["date"] for day in week["days"])


def test_a_plan_stored_in_an_older_layout_is_read_with_validation(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = onboarded_member(uow, rules, details=POSTPARTUM)
    expected = _validated_week(uow, member)
    text = _stored_text(uow, member)
    older = PlanDocument.model_validate_json(text).model_dump_json().encode()  # weeks before the disclaimer
    assert plan_parts(older) is None
    _store_text(uow, member, older)
    assert _sent_week(uow, member) == expected


def test_a_stored_week_that_does_not_read_is_never_sent(uow: UnitOfWork, rules: AccountRules) -> None:
    """The stored rest is validated: a document cut in the wrong place is read whole, and one that
    does not validate at all is built again."""
    member = onboarded_member(uow, rules)
    expected = _validated_week(uow, member)
    document = json.loads(_stored_text(uow, member))
    document.pop("disclaimer")
    _store_text(uow, member, json.dumps(document, separators=(",", ":")).encode())
    assert _sent_week(uow, member) == expected
    assert PlanDocument.model_validate_json(_stored_text(uow, member)).disclaimer


def test_a_plan_stored_under_another_contract_is_built_again(
    uow: UnitOfWork, rules: AccountRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = onboarded_member(uow, rules)
    expected = _validated_week(uow, member)
    before = _saves(uow, member)
    monkeypatch.setattr(plans, "contract_version", lambda: "another contract")
    assert _sent_week(uow, member) == expected
    after = _saves(uow, member)
    assert after != before and isinstance(after, tuple) and isinstance(before, tuple)
    assert after[0] != before[0]


def test_a_stored_plan_reads_back_as_the_plan(uow: UnitOfWork, rules: AccountRules) -> None:
    member = onboarded_member(uow, rules)
    with uow:
        _, plan = plan_for(uow, KB, member.user_id, TODAY, NOW)
    assert PlanDocument.model_validate_json(stored_json(plan)) == plan
    two_weeks = plan.model_copy(update={"weeks": plan.weeks * 2})
    with pytest.raises(ValueError, match="one stage week"):
        stored_json(two_weeks)


def _whole_plan(uow: UnitOfWork, member: Principal) -> PlanDocument:
    forget_read_plans()
    with uow:
        plan = plan_for(uow, KB, member.user_id, TODAY, NOW)[1]
        uow.commit()
    return plan


@pytest.mark.parametrize("who", list(MEMBERS))
def test_today_on_each_day_of_the_week_is_that_day_of_the_whole_plan(
    uow: UnitOfWork, rules: AccountRules, who: str
) -> None:
    member = _member(uow, rules, who)
    whole = _whole_plan(uow, member)
    week = whole.current_week
    on_days = [day.date for day in week.days] if week else [TODAY]
    assert plan_parts(_stored_text(uow, member)) is not None
    for on in on_days:
        forget_read_plans()
        view = sessions.today(uow, KB, member, on, NOW)
        assert view.day == whole.day_on(on)
        assert view.week_notes == (list(week.notes) if week else [])
        assert view.header.clearance == whole.clearance and view.header.reasons == whole.reasons
        assert view.header.disclaimer == whole.disclaimer
        forget_read_plans()
        sent = json.loads(sessions.today_json(uow, KB, member, on, NOW))
        assert sent == json.loads(view.model_dump_json())
        with uow:
            _, day_plan = day_plan_for(uow, KB, member.user_id, on, NOW)
        read = day_plan.current_week
        assert ([day.date for day in read.days] if read else []) == ([on] if week else [])


def test_a_day_whose_date_cannot_be_read_where_it_begins_is_read_with_the_whole_plan(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = onboarded_member(uow, rules, details=POSTPARTUM)
    whole = _whole_plan(uow, member)
    assert whole.current_week is not None
    text = _stored_text(uow, member)
    _store_text(uow, member, text.replace(b'\n,{"day":', b'\n,{ "day":'))
    for day in whole.current_week.days:
        forget_read_plans()
        assert sessions.today(uow, KB, member, day.date, NOW).day == day
        sent = json.loads(sessions.today_json(uow, KB, member, day.date, NOW))
        assert sent["day"] == json.loads(day.model_dump_json())
    with uow:
        _, day_plan = day_plan_for(uow, KB, member.user_id, TODAY, NOW)
    assert day_plan == whole
