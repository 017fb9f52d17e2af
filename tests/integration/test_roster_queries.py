"""The coach's roster reads a page of clients in a fixed number of queries (no query per client),
and its rows say the same as the client's own pages: stage, clearance, adherence, alerts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine, event

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import clients, coaching, sessions, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, new_account, onboarded_member

KB = default_knowledge()


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


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
