"""SQLite's durability level (issue 18): an acknowledged write survives a power loss only when the
write-ahead log is synced at each commit, ``synchronous=FULL``, the default; ``NORMAL`` is a setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bumpwise.persistence.db import make_engine
from dbsupport import settings_for

LEVELS = {"NORMAL": 1, "FULL": 2}


@pytest.mark.parametrize("level", [None, "NORMAL", "FULL"])
def test_every_connection_gets_wal_and_the_configured_synchronous_level(
    tmp_path: Path, level: str | None
) -> None:
    overrides = {} if level is None else {"sqlite_synchronous": level}
    engine = make_engine(settings_for(f"sqlite:///{tmp_path / 'sync.db'}", **overrides))
    try:
        for _ in range(2):  # a second pooled connection too
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                wanted = LEVELS[level or "FULL"]
                assert connection.execute(text("PRAGMA synchronous")).scalar() == wanted
    finally:
        engine.dispose()


def test_another_level_is_refused_naming_the_setting() -> None:
    with pytest.raises(ValueError, match="sqlite_synchronous"):
        settings_for("sqlite:///x.db", sqlite_synchronous="OFF")
