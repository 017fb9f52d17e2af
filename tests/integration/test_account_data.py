"""A member's data rights on both databases: export everything, delete everything."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.models import Base
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import account_data, calendar, clients, coaching, reminders, sessions, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Unauthorized
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from dbsupport import NOW, PASSWORD, TODAY, new_account, onboarded_member

KB = default_knowledge()
MEMBER_COLUMNS = ("user_id", "member_id")


def _member_with_history(uow: UnitOfWork, rules: AccountRules) -> int:
    coach = new_account(uow, rules, "coach", "Coach")
    member = onboarded_member(uow, rules, screening={"conditions": ["pelvic_girdle_pain"]})
    coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
    symptoms.check_in(uow, KB, member, validated(symptoms.CheckInInput, {"symptoms": ["back_pain"]}), NOW)
    entry = validated(sessions.LogInput, {"session_date": TODAY, "session_kind": "cardio", "minutes": 20})
    sessions.log_session(uow, KB, member, entry, TODAY, NOW)
    clients.client_detail(uow, KB, coach, member.user_id, TODAY, NOW)
    calendar.issue_feed(uow, member, NOW)
    chosen = {"time_zone": "Europe/Berlin", "session_time": "18:00", "weekly_summary": True}
    reminders.save_reminders(uow, member, validated(reminders.ReminderInput, chosen), NOW)
    return member.user_id


def _rows_about(uow: UnitOfWork, user_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with uow:
        for table in Base.metadata.sorted_tables:
            for name in MEMBER_COLUMNS:
                if name in table.c:
                    query = select(func.count()).select_from(table).where(table.c[name] == user_id)
                    counts[f"{table.name}.{name}"] = uow.session.scalar(query) or 0
    return counts


def test_export_holds_every_kind_of_data_and_is_json(uow: UnitOfWork, rules: AccountRules) -> None:
    user_id = _member_with_history(uow, rules)
    member = _principal(uow, user_id)
    data = account_data.export_account(uow, member, NOW).model_dump(mode="json")
    json.dumps(data)
    assert data["profile"]["conditions"] == ["pelvic_girdle_pain"]
    assert data["symptom_reports"][0]["symptoms"] == ["back_pain"]
    assert data["session_logs"][0]["minutes"] == 20
    assert data["stored_plan"]["plan"]["weeks"]
    assert data["coaches"][0]["coach"] == "Coach"
    assert data["audit_log"]
    assert data["calendar_feed"]["created_at"] == NOW.isoformat()
    assert data["reminder_settings"]["time_zone"] == "Europe/Berlin" and data["mail_sent"] == []


def test_delete_needs_the_password_and_leaves_no_health_data(uow: UnitOfWork, rules: AccountRules) -> None:
    user_id = _member_with_history(uow, rules)
    member = _principal(uow, user_id)
    assert any(_rows_about(uow, user_id).values())
    with pytest.raises(Unauthorized):
        account_data.delete_account(uow, rules, member, password="not the password")
    account_data.delete_account(uow, rules, member, password=PASSWORD)
    assert not any(_rows_about(uow, user_id).values()), _rows_about(uow, user_id)
    with uow:
        assert uow.accounts.user(user_id) is None


def _principal(uow: UnitOfWork, user_id: int) -> Principal:
    from bumpwise.services.accounts import principal_of

    with uow:
        user = uow.accounts.user(user_id)
        assert user is not None
        return principal_of(user)
