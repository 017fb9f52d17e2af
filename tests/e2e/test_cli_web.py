"""The web app's commands: ``db upgrade``, ``seed-demo`` and ``serve``'s refusal of unsafe settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cli_support import run


def cli_env(database: Path) -> dict[str, str]:
    """The settings of a test run of the CLI on a fresh SQLite file."""
    return {
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": f"sqlite:///{database}",
        "BUMPWISE_CHEAP_PASSWORD_HASHING": "true",
    }


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'app.db'}"
    result = run("db", "upgrade", env={"BUMPWISE_ENV": "development", "BUMPWISE_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "data" / "app.db").execute("select name from sqlite_master")
    }
    assert {"users", "member_profiles", "symptom_reports", "alembic_version"} <= tables


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    result = run("db", "upgrade", env={"BUMPWISE_ENV": "development", "XDG_DATA_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bumpwise" / "bumpwise.db").exists()


def test_seed_demo_prints_the_logins_and_is_repeatable(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "demo.db")
    first = run("seed-demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "coach@example.com" in first.stdout and "pelvic girdle pain" in first.stdout
    assert "caesarean" in first.stdout
    assert run("seed-demo", env=env).stdout == first.stdout


def test_seed_demo_and_serve_refuse_unsafe_production_settings(tmp_path: Path) -> None:
    env = {"BUMPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    serve = run("serve", env=env)
    assert serve.returncode == 2 and "BUMPWISE_SECRET_KEY" in serve.stderr
    seed = run("seed-demo", env={**env, "BUMPWISE_SECRET_KEY": "s" * 40})
    assert seed.returncode == 2 and "development" in seed.stderr


def test_admin_grant_makes_an_existing_account_an_admin(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "app.db")
    seeded = run("seed-demo", env=env)
    assert seeded.returncode == 0 and "admin@example.com" in seeded.stdout, seeded.stderr
    unknown = run("admin", "grant", "nobody@example.org", env=env)
    assert unknown.returncode == 2 and "email" in unknown.stderr and "sign up first" in unknown.stderr
    granted = run("admin", "grant", "SAM@example.com", env=env)
    assert granted.returncode == 0 and "sam@example.com is now an admin" in granted.stdout
    row = sqlite3.connect(tmp_path / "app.db").execute(
        "select role from users where email = 'sam@example.com'"
    )
    assert row.fetchone() == ("admin",)
