"""The coach's roster reads a page of clients in a fixed number of queries (no query per client),
and its rows say the same as the client's own pages: stage, clearance, adherence, alerts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, update

from bumpwise.domain.alerts import training_dates
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.models import StoredPlan
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import clients, coaching, sessions, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.plans import forget_read_plans
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, new_account, onboarded_member, statements

KB = default_knowledge()


def _clients(
    uow: UnitOfWork, rules: AccountRules, coach: Principal, count: int, start: int
) -> list[Principal]:
    members = []
    for index in range(start, start + count):
        details: dict[str, object] = {"days_per_week": 2 + index % 4}
        member = onboarded_member(uow, rules, name=f"Client {index:02d}", details=details)
        coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
        members.append(member)
    return members


def test_a_roster_page_costs_the_same_queries_for_two_clients_as_for_eight(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    _clients(uow, rules, coach, 2, 0)
    clients.roster(uow, KB, coach, TODAY, NOW)  # stores the plans
    with statements(engine) as few:
        clients.roster(uow, KB, coach, TODAY, NOW)
    _clients(uow, rules, coach, 6, 2)
    clients.roster(uow, KB, coach, TODAY, NOW)
    with statements(engine) as many:
        roster = clients.roster(uow, KB, coach, TODAY, NOW)
    assert len(roster.clients) == 8
    assert len(many) == len(few)


def test_roster_rows_match_each_clients_own_view(uow: UnitOfWork, rules: AccountRules) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    members = _clients(uow, rules, coach, 3, 0)
    held, logged, quiet = members
    symptoms.check_in(uow, KB, held, validated(symptoms.CheckInInput, {"warning_signs": ["chest_pain"]}), NOW)
    for days_ago in (0, 1, 3):
        entry = validated(
            sessions.LogInput,
            {"session_date": (TODAY - timedelta(days=days_ago)).isoformat(), "session_kind": "strength"},
        )
        sessions.log_session(uow, KB, logged, entry, TODAY, NOW)
    stranger = onboarded_member(uow, rules, name="Stranger")
    rows = {row.member_id: row for row in clients.roster(uow, KB, coach, TODAY, NOW).clients}
    assert set(rows) == {m.user_id for m in members} and stranger.user_id not in rows
    for member in members:
        own = sessions.this_week(uow, KB, member, TODAY, NOW)
        row = rows[member.user_id]
        assert (row.stage, row.clearance) == (own.header.stage, own.header.clearance)
    assert [a.kind for a in rows[held.user_id].alerts] == ["warning_sign"]
    assert rows[logged.user_id].last_session == TODAY
    assert rows[quiet.user_id].last_session is None and rows[quiet.user_id].sessions_done == 0


def test_a_roster_page_parses_no_stored_plan(uow: UnitOfWork, rules: AccountRules, engine: Engine) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    _clients(uow, rules, coach, 3, 0)
    first = clients.roster(uow, KB, coach, TODAY, NOW)  # builds and stores the plans
    forget_read_plans()  # as a worker that has read none of them
    with statements(engine) as sent:
        again = clients.roster(uow, KB, coach, TODAY, NOW)
    assert not [s for s in sent if "plan_z" in s]
    assert again.clients == first.clients
    assert all(row.sessions_planned > 0 for row in again.clients)


def test_a_warning_sign_shows_on_the_roster_at_once_and_goes_when_resolved(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    (member,) = _clients(uow, rules, coach, 1, 0)

    def kinds() -> list[str]:
        (row,) = clients.roster(uow, KB, coach, TODAY, NOW).clients
        return [alert.kind for alert in row.alerts]

    assert "warning_sign" not in kinds()
    entry = validated(symptoms.CheckInInput, {"warning_signs": ["chest_pain"]})
    report = symptoms.check_in(uow, KB, member, entry, NOW).report
    assert kinds()[0] == "warning_sign"
    symptoms.resolve_warning(uow, KB, member, report.id, NOW + timedelta(minutes=5))
    assert "warning_sign" not in kinds()


def test_a_logged_session_counts_on_the_roster_at_once(uow: UnitOfWork, rules: AccountRules) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    (member,) = _clients(uow, rules, coach, 1, 0)
    day = training_dates(sessions.this_week(uow, KB, member, TODAY, NOW).week)[-1]
    (before,) = clients.roster(uow, KB, coach, day, NOW).clients
    entry = validated(sessions.LogInput, {"session_date": day.isoformat(), "session_kind": "strength"})
    sessions.log_session(uow, KB, member, entry, day, NOW)
    (after,) = clients.roster(uow, KB, coach, day, NOW).clients
    assert (before.sessions_done, after.sessions_done) == (0, 1)
    assert after.last_session == day


def test_plans_stored_without_the_summary_or_with_a_stale_one_are_read_right_and_filled_in(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    old, stale = _clients(uow, rules, coach, 2, 0)
    right = {row.member_id: row for row in clients.roster(uow, KB, coach, TODAY, NOW).clients}
    with engine.begin() as connection:  # as a release before the summary, or during a rolling deploy
        wrong = {"fingerprint": "an older plan", "training_days": []}
        for member, summary in ((old, None), (stale, wrong)):
            of_member = StoredPlan.user_id == member.user_id
            connection.execute(update(StoredPlan).where(of_member).values(roster_summary=summary))
    forget_read_plans()
    rows = {row.member_id: row for row in clients.roster(uow, KB, coach, TODAY, NOW).clients}
    assert rows == right
    with statements(engine) as sent:
        assert {row.member_id: row for row in clients.roster(uow, KB, coach, TODAY, NOW).clients} == right
    assert not [s for s in sent if "plan_z" in s]
