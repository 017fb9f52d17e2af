"""Database fixtures for the persistence, service, API and page tests, on SQLite and PostgreSQL.

``database_url`` is parametrized: every test that uses it runs on a fresh SQLite file and on a
fresh PostgreSQL schema (``BUMPWISE_TEST_POSTGRES_URL``, default the local ``test`` database),
each migrated once per session with Alembic. Every test starts with empty tables.

Locally, the PostgreSQL runs are skipped with a reason when the server cannot be reached; in CI
(``CI=true``) an unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, delete, event, select, text

from bumpwise.adapters.security import Passwords
from bumpwise.config import Settings
from bumpwise.domain.knowledge import default_knowledge as KB
from bumpwise.persistence import migrate
from bumpwise.persistence.db import make_engine, make_session_factory
from bumpwise.persistence.models import Base, SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, admin, leads, password_reset, profiles, sessions, vetting
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal, Role
from bumpwise.services.views import LogView
from cisupport import missing

POSTGRES_URL = os.environ.get(
    "BUMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def postgres_reachable(url: str) -> str | None:
    """None when a connection works, else the reason it does not."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any driver or network failure means unreachable
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def fresh_postgres_schema() -> Iterator[str]:
    problem = postgres_reachable(POSTGRES_URL)
    if problem is not None:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem})"
        missing(
            message,
            in_ci_too="; in CI the PostgreSQL tests must run",
            locally="; set BUMPWISE_TEST_POSTGRES_URL or start the server",
        )
    schema = f"bw_test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "bumpwise.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        yield url
        return
    for url in fresh_postgres_schema():
        migrate.upgrade(url)
        yield url


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "cheap_password_hashing": True,
        "migrate_on_start": False,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(settings_for(database_url))
    yield engine
    engine.dispose()


def empty_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def uow(engine: Engine) -> Iterator[UnitOfWork]:
    empty_tables(engine)
    yield UnitOfWork(make_session_factory(engine))


@pytest.fixture(scope="session")
def rules() -> AccountRules:
    return AccountRules(passwords=Passwords(cheap=True))


def unique_email(name: str = "member") -> str:
    return f"{name}-{secrets.token_hex(4)}@example.org"


def new_account(uow: UnitOfWork, rules: AccountRules, role: str = "member", name: str = "Mia") -> Principal:
    """An account with this role, made the way the app makes it: a member signs up; an admin is a
    member granted admin (``bumpwise admin grant``); a coach signs up with an admin's invitation."""
    email = unique_email(role)
    if role == Role.COACH:
        return invited_coach(uow, rules, email, name)
    member = accounts.sign_up(uow, rules, email=email, password=PASSWORD, display_name=name, now=NOW)
    if role == Role.ADMIN:
        admin.grant_admin(uow, email)
        return Principal(member.user_id, Role.ADMIN, member.display_name, member.email)
    return member


def coach_invitation(uow: UnitOfWork, rules: AccountRules, email: str) -> str:
    """A fresh admin's invitation for ``email``: the token of the link the admin is shown."""
    operator = new_account(uow, rules, "admin", "Admin")
    sent = vetting.invite_coach(uow, operator, email=email, base_url="", deliver=lambda *m: None, now=NOW)
    return sent.link.rsplit("/", 1)[-1]


def invited_coach(uow: UnitOfWork, rules: AccountRules, email: str, name: str) -> Principal:
    token = coach_invitation(uow, rules, email)
    return vetting.sign_up_as_coach(
        uow, rules, invitation=token, email=email, password=PASSWORD, display_name=name, now=NOW
    )


def onboarded_member(
    uow: UnitOfWork,
    rules: AccountRules,
    *,
    name: str = "Mia",
    details: dict[str, object] | None = None,
    screening: dict[str, object] | None = None,
) -> Principal:
    """A member who finished onboarding: 24 weeks pregnant on TODAY unless told otherwise."""
    member = new_account(uow, rules, "member", name)
    given: dict[str, object] = {
        "stage_kind": "pregnant",
        "due_date": date(2026, 6, 15),
        "activity_level": "active",
        "equipment": ["dumbbells", "chair"],
        "days_per_week": 4,
        "minutes_per_session": 30,
    }
    given.update(details or {})
    profiles.save_details(uow, KB(), member, validated(profiles.DetailsInput, given), NOW)
    answers = validated(profiles.ScreeningInput, screening or {})
    profiles.save_screening(uow, KB(), member, answers, NOW)
    return member


PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new password"
Mail = list[tuple[str, str, str]]
"""What a test's mail function was handed: (to, subject, body) per message."""


def reset_token(uow: UnitOfWork, rules: AccountRules, email: str, now: datetime = NOW) -> str:
    """Ask for a password reset for ``email``: the token of the link mailed."""
    sent: list[str] = []
    password_reset.request_reset(
        uow,
        rules,
        MailLinks("http://x", lambda *message: sent.append(message[2])),
        email=email,
        now=now,
    )
    return sent[0].split("/reset/")[1].split()[0]


def opted_in(uow: UnitOfWork, email: str, now: datetime) -> str:
    """A free-workout lead that has opted in (not confirmed): the token of the link mailed to it."""
    mailed: list[str] = []
    leads.start_opt_in(
        uow,
        email=email,
        page=None,
        answers={"weeks": 20},
        now=now,
        base_url="",
        deliver=lambda *message: mailed.append(message[2]),
    )
    return mailed[-1].split("/free-workout/confirm/")[1].split()[0]


def stored_notes(engine: Engine) -> list[str]:
    """The notes of every session log stored, sorted."""
    with engine.connect() as connection:
        return sorted(connection.execute(select(SessionLog.notes)).scalars())


def log_of(member: Principal, notes: str, items: list[str] | None = None) -> Callable[[UnitOfWork], LogView]:
    """The member's session log of today as a write, the way the log route hands it over."""
    entry = validated(
        sessions.LogInput,
        {
            "session_date": TODAY,
            "session_kind": "strength",
            "minutes": 20,
            "notes": notes,
            "items_done": items or [],
        },
    )
    return lambda uow: sessions.log_session(uow, KB(), member, entry, TODAY, NOW)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL of every statement ``engine`` sends inside the block (the driver's too)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
