"""A token's or a browser session's last-use stamp is committed without waiting for the disk, on
SQLite and PostgreSQL (issue 18: a member's first page in an hour waited for a WAL flush for it).
A stamp lost to a power cut only shows a token's last use older or ends an idle session sooner;
a read that stamps nothing lowers nothing, and the next unit of work is durable again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts
from bumpwise.services.accounts import AccountRules
from bumpwise.services.principal import Principal
from dbsupport import NOW, new_account, statements

LOWERED = ("SET LOCAL synchronous_commit = off", "PRAGMA synchronous=NORMAL")


def _lowered(seen: list[str]) -> bool:
    return any(statement.startswith(LOWERED) for statement in seen)


def _stamps_once_not_synced(
    engine: Engine, principal_at: Callable[[datetime], Principal | None], first: datetime, again: datetime
) -> Principal | None:
    """Who ``principal_at`` finds at ``first`` (stamping, with durability lowered) and again at
    ``again`` (within the interval: no stamp, nothing lowered); None when they differ."""
    with statements(engine) as seen:
        found = principal_at(first)
    assert _lowered(seen) and any(s.startswith("UPDATE") for s in seen)
    with statements(engine) as seen:
        found_again = principal_at(again)
    assert not _lowered(seen) and not any(s.startswith("UPDATE") for s in seen)
    return found if found == found_again else None


def test_a_token_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    raw = accounts.create_api_token(uow, member, "phone", NOW).token
    later = NOW + accounts.TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)
    read = functools.partial(accounts.api_token_principal, uow, raw)
    assert _stamps_once_not_synced(engine, read, later, later + timedelta(minutes=1)) == member
    with uow:
        stored = uow.accounts.token_caller(accounts.digest(raw))
    assert stored is not None and stored[2] == later


def test_a_session_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    token = accounts.start_web_session(uow, rules, member.user_id, NOW)
    later = NOW + accounts.SESSION_TOUCH_INTERVAL + timedelta(seconds=5)
    read = functools.partial(accounts.web_session_principal, uow, token)
    assert _stamps_once_not_synced(engine, read, later, later + timedelta(seconds=1)) == member
    with uow:
        stored = uow.accounts.session_caller(accounts.digest(token), later)
    assert stored is not None and stored[0] == later
