"""A member's page reads her plan's inputs and her logs on the driver's cursor
(persistence.driver_sql.DriverSelect), on SQLite and PostgreSQL: the copies hold every column as
the session's own entities do, with JSON, dates and times converted alike, they stay outside the
session, and a select's own literal (a limit) is sent with it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import inspect, select

from bumpwise.persistence.driver_sql import DriverSelect
from bumpwise.persistence.models import MemberProfile, SessionLog, SymptomReport, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from dbsupport import NOW, TODAY, onboarded_member


def _columns(
    row: object, model: type[MemberProfile] | type[SymptomReport] | type[SessionLog]
) -> dict[str, object]:
    return {column.key: getattr(row, column.key) for column in model.__table__.c}


def _report(user_id: int, hours: int, warning: bool, resolved: bool = False) -> SymptomReport:
    return SymptomReport(
        user_id=user_id,
        reported_at=NOW - timedelta(hours=hours),
        symptoms=["pelvic_girdle_pain"] if not warning else [],
        warning_signs=["chest_pain"] if warning else [],
        has_warning=warning,
        note="niña «ok»",
        resolved_at=NOW if resolved else None,
    )


def test_plan_inputs_are_copies_of_every_column_outside_the_session(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    mia = onboarded_member(uow, rules, screening={"conditions": ["pelvic_girdle_pain"]})
    with uow:
        read = uow.health.plan_inputs(mia.user_id)
        assert read is not None and read.symptom_state == (None, [])
        assert read.stored_fingerprint is None and read.packed_plan is None
        for row in (
            _report(mia.user_id, 30, True),
            _report(mia.user_id, 20, True, True),
            _report(mia.user_id, 2, False),
        ):
            uow.health.add(row)
        uow.commit()
    with uow:
        read = uow.health.plan_inputs(mia.user_id)
        stored = uow.health.profile(mia.user_id)
        latest, open_warnings = uow.health.symptom_state(mia.user_id)
        assert read is not None and stored is not None and latest is not None
        assert _columns(read.profile, MemberProfile) == _columns(stored, MemberProfile)
        copied_latest, copied_open = read.symptom_state
        assert copied_latest is not None and _columns(copied_latest, SymptomReport) == _columns(
            latest, SymptomReport
        )
        assert [_columns(r, SymptomReport) for r in copied_open] == [
            _columns(r, SymptomReport) for r in open_warnings
        ]
        assert len(copied_open) == 1 and copied_open[0].warning_signs == ["chest_pain"]
        assert not read.has_coach and not read.has_swaps
        for copy in (read.profile, copied_latest, *copied_open):
            assert inspect(copy).transient and copy not in uow.session
        read.profile.days_per_week = 1
        uow.commit()
    with uow:
        stored = uow.health.profile(mia.user_id)
        assert stored is not None and stored.days_per_week == 4


def test_log_copies_are_the_logs_from_a_day_on_newest_first(uow: UnitOfWork, rules: AccountRules) -> None:
    mia = onboarded_member(uow, rules)
    with uow:
        for days_ago in (9, 3, 1, 1, 0):
            uow.health.add_log(
                SessionLog(
                    user_id=mia.user_id,
                    session_date=TODAY - timedelta(days=days_ago),
                    session_kind="strength",
                    items_done=["glute-bridge"],
                    records=[{"exercise": "goblet-squat", "sets": 3, "reps": 10, "weight_kg": 12.5}],
                    rpe=12,
                    notes="«bien»",
                    created_at=NOW,
                )
            )
        uow.commit()
    since = TODAY - timedelta(days=3)
    with uow:
        entities = [_columns(log, SessionLog) for log in uow.health.logs(mia.user_id, since=since, limit=3)]
        copies = uow.health.log_copies(mia.user_id, since=since, limit=3)
        assert [_columns(log, SessionLog) for log in copies] == entities
        assert len(copies) == 3 and all(isinstance(log.session_date, date) for log in copies)
        assert copies[0].records == [{"exercise": "goblet-squat", "sets": 3, "reps": 10, "weight_kg": 12.5}]


def test_a_driver_select_sends_its_own_literals(uow: UnitOfWork, rules: AccountRules) -> None:
    for name in ("Ana", "Bea", "Cleo"):
        onboarded_member(uow, rules, name=name)
    newest_two = DriverSelect(select(User.id).order_by(User.id.desc()).limit(2))
    with uow:
        expected = list(uow.session.scalars(select(User.id).order_by(User.id.desc()).limit(2)))
        assert [row[0] for row in newest_two.all(uow.session, {})] == expected
        assert newest_two.first(uow.session, {}) == (expected[0],)
