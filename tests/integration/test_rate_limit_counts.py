"""Rate-limit counts (issue 18): committed without waiting for the disk, the rest of the database
keeping its durability, and pruned from the oldest rows without scanning every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from bumpwise.persistence.models import RateLimitHit
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import rate_limits
from bumpwise.services.errors import RateLimited

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _durability(uow: UnitOfWork) -> str:
    if uow.session.get_bind().dialect.name == "sqlite":
        return str(uow.session.execute(text("PRAGMA synchronous")).scalar())
    return str(uow.session.execute(text("SHOW synchronous_commit")).scalar())


def _count_rows(uow: UnitOfWork) -> int:
    with uow:
        return int(uow.session.execute(select(func.count()).select_from(RateLimitHit)).scalar_one())


def test_a_count_is_not_synced_and_the_next_unit_of_work_is_again(uow: UnitOfWork) -> None:
    with uow:
        configured = _durability(uow)
    assert configured in ("2", "on")  # SQLite FULL, PostgreSQL's default
    with uow:
        uow.not_durable()
        assert _durability(uow) in ("1", "off")
        uow.accounts.add(RateLimitHit(key="test", hit_at=NOW))
        uow.commit()
    with uow:
        assert _durability(uow) == configured
    with pytest.raises(RuntimeError), uow:
        uow.not_durable()
        uow.accounts.add(RateLimitHit(key="test", hit_at=NOW))
        uow.session.flush()
        raise RuntimeError("a failure inside the transaction")
    with uow:
        assert _durability(uow) == configured


def test_counting_still_refuses_past_the_limit(uow: UnitOfWork) -> None:
    for _ in range(2):
        rate_limits.count_request(uow, secret="s", action="a", who="192.0.2.1", limit=2, now=NOW)
    with pytest.raises(RateLimited) as refused:
        rate_limits.count_request(uow, secret="s", action="a", who="192.0.2.1", limit=2, now=NOW)
    assert refused.value.retry_after == 3600
    rate_limits.count_request(uow, secret="s", action="a", who="192.0.2.2", limit=2, now=NOW)


def test_old_counts_are_pruned_oldest_first_a_batch_at_a_time(uow: UnitOfWork) -> None:
    with uow:
        for seconds in range(150):  # 150 counts older than the hour, then 5 within it
            uow.accounts.add(RateLimitHit(key="old", hit_at=NOW - timedelta(hours=3, seconds=-seconds)))
        for minutes in range(5):
            uow.accounts.add(RateLimitHit(key="young", hit_at=NOW - timedelta(minutes=minutes)))
        uow.commit()
    rate_limits.count_request(uow, secret="s", action="a", who="x", limit=10, now=NOW)
    assert _count_rows(uow) == 150 - 100 + 5 + 1
    rate_limits.count_request(uow, secret="s", action="a", who="x", limit=10, now=NOW)
    assert _count_rows(uow) == 5 + 2
    with uow:
        keys = uow.session.scalars(select(RateLimitHit.key)).all()
    assert "old" not in keys and keys.count("young") == 5


def test_a_count_inside_a_held_transaction_keeps_the_holders_durability(uow: UnitOfWork) -> None:
    with uow:
        configured = _durability(uow)
        uow.accounts.add(RateLimitHit(key="holder", hit_at=NOW))
        uow.session.flush()
        rate_limits.count_request(uow.held(), secret="s", action="a", who="x", limit=5, now=NOW)
        assert _durability(uow) == configured
        uow.commit()
    assert _count_rows(uow) == 2


def test_the_lowered_level_never_stays_on_a_pooled_connection(uow: UnitOfWork) -> None:
    """The level is set back on the very connection that was lowered, as it returns to the pool:
    every connection the pool holds afterwards syncs as configured (it once was set back on
    whichever connection the pool handed out next, leaving the lowered one at NORMAL)."""
    with uow:
        configured = _durability(uow)
        engine = uow.session.get_bind()
    assert isinstance(engine, Engine)
    for _ in range(3):
        with uow:
            uow.not_durable()
            uow.accounts.add(RateLimitHit(key="test", hit_at=NOW))
            uow.commit()
            assert _durability(uow) == configured  # a new transaction here takes a connection again
    if engine.dialect.name != "sqlite":
        return
    held = [engine.connect() for _ in range(4)]  # more than were ever open at once above
    try:
        assert {str(c.execute(text("PRAGMA synchronous")).scalar()) for c in held} == {configured}
    finally:
        for connection in held:
            connection.close()
