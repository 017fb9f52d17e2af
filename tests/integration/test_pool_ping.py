"""PostgreSQL connections are tested before reuse only after sitting idle in the pool: a
connection the server closed meanwhile is replaced, and the request that checks it out works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from bumpwise.persistence import db
from dbsupport import settings_for


def test_an_idle_connection_closed_by_the_server_is_replaced(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has no server to close a connection")
    engine = db.make_engine(settings_for(database_url))
    admin = create_engine(db.normalise_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as connection:  # checked in a moment ago: reused without a test
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() == first
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(db, "PING_AFTER_IDLE", timedelta(0))  # as if it sat idle for long
        with engine.connect() as connection:
            second = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        engine.dispose()
        admin.dispose()
