"""View versions (persistence.view_versions), on SQLite and PostgreSQL: every write that can change
what an account's owner sees bumps the owner's version in the same transaction, flushed rows and
statements alike; a coach's rows bump the coach's clients; a rollback bumps nothing; the tables
left out are only those no kept page reads; the bump finds its accounts by index."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, Executable, delete, event, select, text, update

from bumpwise.adapters.security import digest
from bumpwise.persistence.base import Base
from bumpwise.persistence.callers import CallerReader
from bumpwise.persistence.models import (
    ApiToken,
    ArticleShare,
    CoachArticle,
    CoachGrant,
    ImportedExercise,
    MemberProfile,
    SessionLog,
    User,
)
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.persistence.view_versions import BUMPED_BY_DATABASE, UNSEEN, account_columns
from bumpwise.services import accounts, rendered
from bumpwise.services.accounts import AccountRules
from bumpwise.services.principal import Principal
from dbsupport import NOW, new_account, onboarded_member


def _version(uow: UnitOfWork, user_id: int) -> int:
    with uow:
        found = uow.session.scalar(select(User.view_version).where(User.id == user_id))
        assert found is not None
        return found


def _bumped_by(uow: UnitOfWork, user_id: int, statement: Executable) -> bool:
    """Whether committing ``statement`` alone raised the account's view version."""
    before = _version(uow, user_id)
    with uow:
        uow.session.execute(statement)
        uow.commit()
    return _version(uow, user_id) > before


def _coach_with_client(uow: UnitOfWork, rules: AccountRules) -> tuple[Principal, Principal, Principal]:
    coach, client = new_account(uow, rules, "coach", "Cora"), onboarded_member(uow, rules)
    stranger = onboarded_member(uow, rules, name="Ana")
    with uow:
        uow.session.add(CoachGrant(member_id=client.user_id, coach_id=coach.user_id, granted_at=NOW))
        uow.commit()
    return coach, client, stranger


def test_only_tables_no_kept_page_reads_are_left_out() -> None:
    tables = Base.metadata.tables
    assert set(tables) >= UNSEEN | BUMPED_BY_DATABASE, "every table named exists"
    assert not UNSEEN & BUMPED_BY_DATABASE
    watched = {name for name, table in tables.items() if account_columns(table) and name not in UNSEEN}
    for read_by_a_page in ("users", "member_profiles", "symptom_reports", "session_logs", "stored_plans"):
        assert read_by_a_page in watched
    for coach_side in (
        "coach_grants",
        "coach_swaps",
        "imported_exercises",
        "coach_articles",
        "article_shares",
    ):
        assert coach_side in watched


def test_a_flushed_row_and_a_statement_each_bump_the_member_and_nobody_else(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    mia, ana = onboarded_member(uow, rules), onboarded_member(uow, rules, name="Ana")
    before, others = _version(uow, mia.user_id), _version(uow, ana.user_id)
    with uow:
        uow.session.add(
            SessionLog(
                user_id=mia.user_id,
                session_date=date(2026, 3, 2),
                session_kind="strength",
                items_done=[],
                created_at=NOW,
            )
        )
        uow.commit()
    assert _version(uow, mia.user_id) > before
    profile = update(MemberProfile).where(MemberProfile.user_id == mia.user_id).values(age=33)
    assert _bumped_by(uow, mia.user_id, profile)
    assert _bumped_by(uow, mia.user_id, delete(SessionLog).where(SessionLog.user_id == mia.user_id))
    assert _version(uow, ana.user_id) == others


def test_a_rollback_bumps_nothing_and_a_token_touch_is_not_a_change(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    mia = onboarded_member(uow, rules)
    before = _version(uow, mia.user_id)
    with uow:
        uow.session.execute(update(MemberProfile).where(MemberProfile.user_id == mia.user_id).values(age=33))
        uow.rollback()
    with uow:
        uow.session.execute(update(ApiToken).where(ApiToken.user_id == mia.user_id).values(last_used_at=NOW))
        uow.commit()
    assert _version(uow, mia.user_id) == before


def test_a_coach_s_library_exercise_bumps_the_coach_s_clients_only(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    coach, client, stranger = _coach_with_client(uow, rules)
    before, others = _version(uow, client.user_id), _version(uow, stranger.user_id)
    with uow:
        lunge = {"source": "wger", "source_id": "1", "name": "Lunge", "data": {}, "review_needed": True}
        uow.session.add(ImportedExercise(imported_by=coach.user_id, imported_at=NOW, **lunge))
        uow.commit()
    assert _version(uow, client.user_id) > before
    confirmed = (
        update(ImportedExercise)
        .where(ImportedExercise.imported_by == coach.user_id)
        .values(confirmed_at=NOW, review_needed=False)
    )
    assert _bumped_by(uow, client.user_id, confirmed)
    assert _version(uow, stranger.user_id) == others


def test_a_coach_s_article_edit_bumps_whoever_it_was_shared_with(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    coach, _client, stranger = _coach_with_client(uow, rules)
    with uow:
        article = CoachArticle(
            coach_id=coach.user_id,
            slug="core",
            title="Core",
            summary="",
            tags="",
            stages="",
            body="",
            created_at=NOW,
            updated_at=NOW,
        )
        uow.session.add(article)
        uow.session.add(
            ArticleShare(
                coach_id=coach.user_id, member_id=stranger.user_id, path="/x", title="Core", shared_at=NOW
            )
        )
        uow.commit()
        article_id = article.id
    before = _version(uow, stranger.user_id)
    with uow:
        found = uow.session.get(CoachArticle, article_id)
        assert found is not None
        found.title = "Core, again"
        uow.commit()
    assert _version(uow, stranger.user_id) > before


def test_the_one_read_of_a_caller_agrees_with_the_unit_of_work_s_checks(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    raw = accounts.create_api_token(uow, mia, "phone", NOW).token
    accounts.api_token_principal(uow, raw, NOW)  # records its first use: no read below records one
    session = accounts.start_web_session(uow, rules, mia.user_id, NOW)
    reader, version = CallerReader(engine), _version(uow, mia.user_id)
    hour, minute = accounts.TOKEN_TOUCH_INTERVAL, accounts.SESSION_TOUCH_INTERVAL
    with uow:
        token_row = uow.accounts.token_caller(digest(raw))
        session_row = uow.accounts.session_caller(digest(session), NOW)
    assert reader.by_token(digest(raw), NOW, NOW - hour) == (*tuple(token_row or ()), version, False)
    idle = NOW - timedelta(minutes=30)
    assert reader.by_session(digest(session), NOW, NOW - minute, idle) == (
        *tuple(session_row or ()),
        version,
        False,
    )
    assert reader.by_token(digest("bw_unknown"), NOW, NOW - hour) is None
    later = NOW + timedelta(days=400)
    assert reader.by_session(digest(session), later, later - minute, later - timedelta(minutes=30)) is None
    accounts.api_token_principal(uow, raw, NOW + timedelta(hours=2))  # records the use
    caller = rendered.token_caller(reader, raw, NOW + timedelta(hours=2, minutes=1))
    assert caller is not None and caller.principal == mia and caller.view_version == version


def test_a_coach_s_deleted_account_bumps_the_clients_it_took_its_grants_from(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    coach, client, _stranger = _coach_with_client(uow, rules)
    before = _version(uow, client.user_id)
    with uow:
        found = uow.accounts.user(coach.user_id)
        assert found is not None
        uow.accounts.delete_user(found)
        uow.commit()
    assert _version(uow, client.user_id) > before


def _bump_statement(engine: Engine, uow: UnitOfWork, member: Principal) -> tuple[str, Any]:
    """The view-version ``UPDATE`` a profile write sends, with its parameters, as the driver got it."""
    seen: list[tuple[str, Any]] = []

    def on_execute(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE USERS SET VIEW_VERSION"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        with uow:
            uow.session.execute(
                update(MemberProfile).where(MemberProfile.user_id == member.user_id).values(age=33)
            )
            uow.commit()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert len(seen) == 1
    return seen[0]


def test_the_bump_finds_its_accounts_by_index_never_by_reading_every_user(
    engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    """An ``OR`` of ``IN`` subqueries made PostgreSQL scan all of ``users`` on every write (9-28 ms at
    100,000 members). The plan is asked with sequential scans priced out (PostgreSQL) or as
    SQLite plans it: ``users`` is only ever searched by its primary key."""
    member = onboarded_member(uow, rules)
    statement, parameters = _bump_statement(engine, uow, member)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on users" not in plan, plan
            assert "Index" in plan and "users" in plan, plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            steps = [row[-1] for row in cursor.fetchall()]
            assert not any(step.startswith("SCAN users") for step in steps), steps
            assert any(step.startswith("SEARCH users") for step in steps), steps
    finally:
        raw.rollback()
        raw.close()


def _triggers(engine: Engine, table: str) -> set[str]:
    """The events (INSERT, UPDATE, DELETE) some trigger on ``table`` fires after."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = (
                "SELECT event_manipulation FROM information_schema.triggers "
                "WHERE event_object_table = :table AND event_object_schema = current_schema() "
                "AND action_timing = 'AFTER'"
            )
            return set(connection.execute(text(query), {"table": table}).scalars())
        query = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"
        found = connection.execute(text(query), {"table": table}).scalars()
        return {event for sql in found for event in ("INSERT", "UPDATE", "DELETE") if f"AFTER {event}" in sql}


def test_each_table_left_to_the_database_has_its_triggers_at_head(engine: Engine) -> None:
    """A migration that rebuilds such a table on SQLite (Alembic's batch mode) drops them."""
    for table in BUMPED_BY_DATABASE:
        assert _triggers(engine, table) == {"INSERT", "UPDATE", "DELETE"}, table


LOG_INSERT = (
    "INSERT INTO session_logs (user_id, session_date, session_kind, items_done, records, notes, created_at)"
    " VALUES ({user_id}, '2026-03-02', 'strength', '[]', '[]', '', '2026-03-02 09:30:00')"
)


def _on_the_driver(
    engine: Engine, statement: str, parameters: dict[str, Any], *, commit: bool = True
) -> None:
    """Run ``statement`` on a bare driver connection: no session, no hooks."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        style = "%({})s" if engine.dialect.name == "postgresql" else ":{}"
        cursor.execute(statement.format(**{k: style.format(k) for k in parameters}), parameters)
        raw.commit() if commit else raw.rollback()
    finally:
        raw.close()


def test_a_log_written_around_the_session_still_bumps_its_member(
    engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    mia, ana = onboarded_member(uow, rules), onboarded_member(uow, rules, name="Ana")
    versions = {who.user_id: _version(uow, who.user_id) for who in (mia, ana)}

    def bumped() -> set[int]:
        now = {user_id: _version(uow, user_id) for user_id in versions}
        changed = {user_id for user_id, version in now.items() if version > versions[user_id]}
        versions.update(now)
        return changed

    _on_the_driver(engine, LOG_INSERT, {"user_id": mia.user_id}, commit=False)
    assert bumped() == set(), "a rollback takes the bump with it"
    _on_the_driver(engine, LOG_INSERT, {"user_id": mia.user_id})
    assert bumped() == {mia.user_id}
    moved = "UPDATE session_logs SET user_id = {new} WHERE user_id = {old}"
    _on_the_driver(engine, moved, {"new": ana.user_id, "old": mia.user_id})
    assert bumped() == {mia.user_id, ana.user_id}, "the member it left and the one it went to"
    _on_the_driver(engine, "UPDATE session_logs SET rpe = 13 WHERE user_id = {id}", {"id": ana.user_id})
    assert bumped() == {ana.user_id}
    _on_the_driver(engine, "DELETE FROM session_logs WHERE user_id = {id}", {"id": ana.user_id})
    assert bumped() == {ana.user_id}


def test_on_postgresql_a_log_s_bump_waits_for_the_commit(
    engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    """Two transactions logging for the same two members in opposite orders would deadlock if each
    insert locked its member's row at once; the bump is deferred to each commit, so neither waits
    while it writes, and both commit. (SQLite lets one transaction write at a time.)"""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time")
    mia, ana = onboarded_member(uow, rules), onboarded_member(uow, rules, name="Ana")
    before = {who.user_id: _version(uow, who.user_id) for who in (mia, ana)}
    insert_log = text(LOG_INSERT.format(user_id=":user_id"))
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            connection.execute(text("SET lock_timeout = '2s'"))
        first.execute(insert_log, {"user_id": mia.user_id})
        second.execute(insert_log, {"user_id": ana.user_id})
        first.execute(insert_log, {"user_id": ana.user_id})  # would wait on the second's lock of Ana
        second.execute(insert_log, {"user_id": mia.user_id})
        first.commit()
        second.commit()
    assert all(_version(uow, user_id) == version + 2 for user_id, version in before.items())


def _wait_until_waiting_on_a_lock(engine: Engine, pid: int) -> None:
    with engine.connect() as watcher:
        for _ in range(500):
            waiting = watcher.execute(
                text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar()
            watcher.rollback()
            if waiting:
                return
            time.sleep(0.01)
    raise AssertionError("the commit never waited for the held row")


def test_on_postgresql_a_commit_bumps_each_member_once_locking_them_by_id(
    engine: Engine, uow: UnitOfWork, rules: AccountRules
) -> None:
    """Two batches committing at once must lock their members' rows in one order, or they
    deadlock. The writer logs for the higher id first; while another connection holds the lower
    id's row, the writer's commit waits for it without having locked the higher one."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time, bumping with each statement")
    low, high = sorted(onboarded_member(uow, rules, name=n).user_id for n in ("Mia", "Ana"))
    before = {user_id: _version(uow, user_id) for user_id in (low, high)}
    insert_log = text(LOG_INSERT.format(user_id=":user_id"))
    lock = "SELECT 1 FROM users WHERE id = :id FOR NO KEY UPDATE"
    with engine.connect() as writer, engine.connect() as holder, engine.connect() as prober:
        for user_id in (high, low, high):
            writer.execute(insert_log, {"user_id": user_id})
        pid = writer.execute(text("SELECT pg_backend_pid()")).scalar_one()
        holder.execute(text(lock), {"id": low})
        committing = threading.Thread(target=writer.commit)
        committing.start()
        try:
            _wait_until_waiting_on_a_lock(engine, pid)
            prober.execute(text(lock + " NOWAIT"), {"id": high})  # raises if the writer holds it
            prober.rollback()
        finally:
            holder.rollback()
            committing.join(timeout=10)
    assert not committing.is_alive()
    assert {user_id: _version(uow, user_id) - version for user_id, version in before.items()} == {
        low: 1,
        high: 1,
    }
