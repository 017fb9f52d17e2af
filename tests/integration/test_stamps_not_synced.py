"""A token's or a browser session's last-use stamp is committed without waiting for the disk, on
SQLite and PostgreSQL (issue 18: a member's first page in an hour waited for a WAL flush for it).
A stamp lost to a power cut only shows a token's last use older or ends an idle session sooner;
a read that stamps nothing lowers nothing, and the next unit of work is durable again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts
from bumpwise.services.accounts import AccountRules
from dbsupport import NOW, new_account

LOWERED = ("SET LOCAL synchronous_commit = off", "PRAGMA synchronous=NORMAL")


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def _lowered(seen: list[str]) -> bool:
    return any(statement.startswith(LOWERED) for statement in seen)


def test_a_token_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    raw = accounts.create_api_token(uow, member, "phone", NOW).token
    later = NOW + accounts.TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)
    with _statements(engine) as seen:
        assert accounts.api_token_principal(uow, raw, later) == member
    assert _lowered(seen) and any("UPDATE api_tokens" in s for s in seen)
    with _statements(engine) as seen:
        assert accounts.api_token_principal(uow, raw, later + timedelta(minutes=1)) == member
    assert not _lowered(seen) and not any("UPDATE" in s for s in seen)
    with uow:
        stored = uow.accounts.token_caller(accounts.digest(raw))
    assert stored is not None and stored[2] == later


def test_a_session_stamp_is_not_synced(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    token = accounts.start_web_session(uow, rules, member.user_id, NOW)
    later = NOW + accounts.SESSION_TOUCH_INTERVAL + timedelta(seconds=5)
    with _statements(engine) as seen:
        assert accounts.web_session_principal(uow, token, later) == member
    assert _lowered(seen) and any("UPDATE web_sessions" in s for s in seen)
    with _statements(engine) as seen:
        assert accounts.web_session_principal(uow, token, later + timedelta(seconds=1)) == member
    assert not _lowered(seen)
    with uow:
        stored = uow.accounts.session_caller(accounts.digest(token), later)
    assert stored is not None and stored[0] == later
