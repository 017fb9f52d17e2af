"""Backups and their restore (issue 18, docs/deploy.md): the restore drill, on SQLite and on
PostgreSQL, through the real ``bumpwise db backup`` and ``db restore`` commands.

A member's account, profile and plan are backed up from one database and restored into a fresh
one; every table holds the same rows, and the member signs in and reads today from the copy.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bumpwise.persistence import migrate
from bumpwise.persistence.backup import table_counts
from bumpwise.persistence.db import make_engine, make_session_factory
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from bumpwise.web.app import create_app
from cli_support import run
from dbsupport import DATABASES, PASSWORD, POSTGRES_URL, onboarded_member, settings_for


@pytest.fixture(params=DATABASES)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Iterator[str]]:
    """Makes empty databases of one kind, each dropped afterwards."""
    made: list[str] = []

    def databases() -> Iterator[str]:
        while True:
            if request.param == "sqlite":
                yield f"sqlite:///{tmp_path / f'{secrets.token_hex(4)}.db'}"
                continue
            name = f"bw_backup_{secrets.token_hex(4)}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            made.append(name)
            yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    yield databases()
    with admin.connect() as connection:
        for name in made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def env(database_url: str) -> dict[str, str]:
    return {"BUMPWISE_ENV": "test", "BUMPWISE_DATABASE_URL": database_url}


def a_member_in(database_url: str, rules: AccountRules) -> str:
    migrate.upgrade(database_url)
    engine = make_engine(settings_for(database_url))
    try:
        member = onboarded_member(UnitOfWork(make_session_factory(engine)), rules)
    finally:
        engine.dispose()
    return member.email


def test_a_backup_restores_into_a_fresh_database_whole_and_usable(
    new_database: Iterator[str], rules: AccountRules, tmp_path: Path
) -> None:
    source, copy = next(new_database), next(new_database)
    email = a_member_in(source, rules)
    backup_file = tmp_path / "backup.dump"

    backed_up = run("db", "backup", "--out", str(backup_file), env=env(source))
    assert backed_up.returncode == 0, backed_up.stderr
    restored = run("db", "restore", str(backup_file), env=env(copy))
    assert restored.returncode == 0, restored.stderr

    counts = table_counts(copy)
    assert counts == table_counts(source) and counts["users"] >= 1 and counts["member_profiles"] >= 1
    assert "password" not in restored.stdout + backed_up.stdout
    app = create_app(settings_for(copy))
    try:
        with TestClient(app) as client:
            token = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})
            assert token.status_code == 201, token.text
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            today = client.get("/api/v1/me/today", headers=headers)
    finally:
        app.state.ctx.engine.dispose()
    assert today.status_code == 200, today.text


def test_a_restore_never_mixes_two_databases(
    new_database: Iterator[str], rules: AccountRules, tmp_path: Path
) -> None:
    source, occupied = next(new_database), next(new_database)
    a_member_in(source, rules)
    a_member_in(occupied, rules)
    before = table_counts(occupied)
    backup_file = tmp_path / "backup.dump"
    assert run("db", "backup", "--out", str(backup_file), env=env(source)).returncode == 0

    refused = run("db", "restore", str(backup_file), env=env(occupied))

    assert refused.returncode == 2
    assert "BUMPWISE_DATABASE_URL" in refused.stderr and "already has tables" in refused.stderr
    assert table_counts(occupied) == before


def test_a_missing_backup_file_is_named(tmp_path: Path) -> None:
    missing = run("db", "restore", str(tmp_path / "nope.dump"), env=env(f"sqlite:///{tmp_path / 'x.db'}"))
    assert missing.returncode == 2 and "nope.dump" in missing.stderr
