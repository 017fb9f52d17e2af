"""On PostgreSQL a unit of work reads without a transaction until its first write (issue 18: a
member's page that only reads sent BEGIN and COMMIT for nothing); from that write on, every
statement is in one transaction, committed or rolled back whole, as before. SQLite is as it was."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, func, insert, select, text

from bumpwise.persistence import reads_first
from bumpwise.persistence.models import User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from dbsupport import NOW, new_account


@pytest.fixture
def postgres(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's transactions only: SQLite's driver begins at the first write itself")


def _driver(uow: UnitOfWork) -> Any:
    return uow.session.connection().connection.driver_connection


def _status(uow: UnitOfWork) -> TransactionStatus:
    return TransactionStatus(_driver(uow).info.transaction_status)


def _user_row(email: str) -> dict[str, object]:
    return {
        "email": email,
        "password_hash": "not-a-real-hash",
        "role": "member",
        "display_name": "Row",
        "created_at": NOW,
    }


def _users(uow: UnitOfWork) -> int:
    return uow.session.execute(select(func.count()).select_from(User)).scalar_one()


@pytest.fixture
def member_email(uow: UnitOfWork, rules: AccountRules) -> str:
    member = new_account(uow, rules)
    with uow:
        user = uow.accounts.user(member.user_id)
        assert user is not None
        return user.email


@pytest.mark.usefixtures("postgres")
def test_reads_leave_no_transaction_open_and_a_commit_sends_nothing(
    uow: UnitOfWork, member_email: str
) -> None:
    with uow:
        assert uow.accounts.user_by_email(member_email) is not None
        assert _status(uow) == TransactionStatus.IDLE
        uow.commit()


@pytest.mark.usefixtures("postgres")
def test_the_first_write_begins_one_transaction_that_holds_every_later_statement(
    uow: UnitOfWork, member_email: str
) -> None:
    with uow:
        before = _users(uow)
        uow.session.execute(insert(User).values(**_user_row("first@example.com")))
        assert _status(uow) == TransactionStatus.INTRANS
        uow.session.execute(insert(User).values(**_user_row("second@example.com")))
        assert _users(uow) == before + 2  # its own rows, seen inside the transaction
        uow.rollback()
    with uow:
        assert _users(uow) == before  # neither write stayed: they were one transaction
        uow.session.execute(insert(User).values(**_user_row("kept@example.com")))
        uow.commit()
    with uow:
        assert uow.accounts.user_by_email("kept@example.com") is not None


@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize(
    "statement",
    [
        "SELECT id FROM users FOR UPDATE",
        "SELECT id FROM users FOR SHARE",
        "SELECT set_config('application_name', 'bumpwise', true)",
        "SET LOCAL synchronous_commit = off",
    ],
)
def test_a_read_that_locks_or_sets_for_its_transaction_begins_it(
    uow: UnitOfWork, member_email: str, statement: str
) -> None:
    with uow:
        uow.session.execute(text(statement))
        assert _status(uow) == TransactionStatus.INTRANS


@pytest.mark.usefixtures("postgres")
def test_a_unit_of_work_not_durable_still_lowers_its_own_commit_only(uow: UnitOfWork) -> None:
    with uow:
        uow.not_durable()
        assert uow.session.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        uow.commit()
    with uow:
        assert uow.session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"


@pytest.mark.usefixtures("postgres")
def test_a_connection_back_in_the_pool_is_transactional_for_its_next_user(
    uow: UnitOfWork, engine: Engine, member_email: str
) -> None:
    with uow:
        uow.accounts.user_by_email(member_email)
        assert _driver(uow).autocommit
    with engine.connect() as connection:  # outside a session, as the migrations and the bench
        driver: Any = connection.connection.driver_connection
        assert not driver.autocommit
        connection.execute(text("SELECT 1"))
        assert driver.info.transaction_status == TransactionStatus.INTRANS
        connection.rollback()


@pytest.mark.usefixtures("postgres")
def test_a_session_with_an_isolation_level_of_its_own_keeps_its_transaction(
    uow: UnitOfWork, member_email: str
) -> None:
    with uow:
        uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        uow.accounts.user_by_email(member_email)
        assert _status(uow) == TransactionStatus.INTRANS


def test_only_plain_selects_are_read_outside_a_transaction() -> None:
    assert reads_first.plain_read("SELECT users.id FROM users WHERE users.id = %(id)s")
    assert reads_first.plain_read("  select 1")
    for statement in (
        "INSERT INTO users (email) VALUES (%(email)s)",
        "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone",
        "SELECT id FROM users WHERE id = 1 FOR NO KEY UPDATE",
        "select id from users for key share",
        "SELECT pg_advisory_xact_lock(1)",
        "SAVEPOINT sa_savepoint_1",
    ):
        assert not reads_first.plain_read(statement), statement


def test_sqlite_sessions_are_as_they_were(engine: Engine, uow: UnitOfWork, member_email: str) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's engine only")
    with uow:
        uow.accounts.user_by_email(member_email)
        assert not _driver(uow).in_transaction  # its driver begins at the first write, as ever
        uow.session.execute(insert(User).values(**_user_row("sqlite@example.com")))
        assert _driver(uow).in_transaction
        uow.rollback()
    with uow:
        assert uow.accounts.user_by_email("sqlite@example.com") is None
