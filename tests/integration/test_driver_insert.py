"""The session log written on the driver's cursor (persistence.driver_insert), on SQLite and
PostgreSQL: it reads back through the ORM exactly as it was built, a column left out takes its
default, it belongs to the session's transaction, and no table the database does not bump for can
be written that way; the statement is still seen by the engine's listeners."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, Table, event

from bumpwise.persistence.driver_insert import DriverInsert
from bumpwise.persistence.models import MemberProfile, SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from dbsupport import NOW, onboarded_member

COLUMNS = [column.key for column in SessionLog.__table__.c]


def _log(user_id: int, **values: object) -> SessionLog:
    given: dict[str, object] = {
        "user_id": user_id,
        "session_date": date(2026, 3, 1),
        "session_kind": "strength",
        "items_done": ["glute-bridge", "bird-dög"],
        "created_at": NOW,
    }
    return SessionLog(**(given | values))


def test_a_log_reads_back_through_the_orm_as_it_was_built(uow: UnitOfWork, rules: AccountRules) -> None:
    mia = onboarded_member(uow, rules)
    records = [{"exercise": "goblet-squat", "sets": 3, "reps": 10, "weight_kg": 12.5}]
    built = _log(mia.user_id, records=records, rpe=13, minutes=35, sets_done=9, notes="felt «strong»")
    with uow:
        uow.health.add_log(built)
        uow.commit()
    with uow:
        found = uow.health.log(built.id)
        assert found is not None
        stored = {c: getattr(found, c) for c in COLUMNS}
    assert stored == {c: getattr(built, c) for c in COLUMNS}
    assert stored["created_at"].utcoffset() == timedelta(0)


def test_a_column_left_out_takes_its_default_and_a_rollback_takes_the_log(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    mia = onboarded_member(uow, rules)
    with uow:
        bare = _log(mia.user_id)
        uow.health.add_log(bare)
        dropped = _log(mia.user_id, session_date=date(2026, 3, 2))
        uow.health.add_log(dropped)
        assert dropped.id > bare.id
        uow.rollback()
    with uow:
        assert uow.health.log(bare.id) is None and uow.health.log(dropped.id) is None
        kept = _log(mia.user_id)
        uow.health.add_log(kept)
        uow.commit()
    with uow:
        found = uow.health.log(kept.id)
        assert found is not None and found.records == [] and found.notes == "" and found.rpe is None


def test_the_insert_is_seen_by_whatever_watches_the_engine_s_statements(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    seen: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        with uow:
            uow.health.add_log(_log(mia.user_id))
            uow.commit()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert "INSERT INTO SESSION_LOGS" in seen


def test_a_table_the_database_does_not_bump_for_is_refused() -> None:
    profiles: Table = MemberProfile.__table__  # type: ignore[assignment]  # a mapped class's own table
    with pytest.raises(ValueError, match="member_profiles is not bumped by the database"):
        DriverInsert(profiles)
