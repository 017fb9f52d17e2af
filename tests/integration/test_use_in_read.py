"""The one read of a caller (persistence.callers) records an API token's use, or a browser
session's activity, when it is due, in the same statement, on a server database: a member's first
request in an hour (a page after a minute, in the browser) no longer takes the full check in a
unit of work of its own (issue 18). On SQLite, whose read runs on the event loop, the read writes
nothing and leaves a due use to the full check. Either way a token or session that is expired,
unknown or idle is never stamped, and a use recorded within the interval is not recorded again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bumpwise.persistence.callers import CallerReader, TokenViewCaller
from bumpwise.persistence.models import ApiToken, User, WebSession
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, rendered
from bumpwise.services.accounts import SESSION_TOUCH_INTERVAL, TOKEN_TOUCH_INTERVAL, AccountRules
from bumpwise.services.principal import Principal
from bumpwise.services.rendered import Caller
from dbsupport import NOW, new_account

DUE = NOW + TOKEN_TOUCH_INTERVAL + timedelta(minutes=1)


@dataclass(frozen=True)
class Used:
    """A member, a token of hers last used at ``NOW`` (its full check recorded it; it lives 30
    days), and the one read of callers."""

    member: Principal
    raw: str
    reader: CallerReader


@pytest.fixture
def used(engine: Engine, uow: UnitOfWork, rules: AccountRules) -> Used:
    member = new_account(uow, rules)
    raw = accounts.create_api_token(uow, member, "phone", NOW, days=30).token
    assert accounts.api_token_principal(uow, raw, NOW) == member
    return Used(member, raw, CallerReader(engine))


def _last_used(uow: UnitOfWork, raw: str) -> datetime | None:
    with uow:
        return uow.session.scalar(
            select(ApiToken.last_used_at).where(ApiToken.token_hash == accounts.digest(raw))
        )


def _read_at(reader: CallerReader, raw: str, at: datetime) -> TokenViewCaller:
    """The token's one read at ``at``: a use before the hour before ``at`` is due."""
    found = reader.by_token(accounts.digest(raw), at, at - TOKEN_TOUCH_INTERVAL)
    assert found is not None
    return found


def _view_version(uow: UnitOfWork, user_id: int) -> int:
    with uow:
        version = uow.session.scalar(select(User.view_version).where(User.id == user_id))
    assert version is not None
    return version


def test_a_due_use_is_recorded_by_the_read_on_a_server_database_and_left_to_the_full_check_on_sqlite(
    used: Used, uow: UnitOfWork
) -> None:
    member, raw, reader = used.member, used.raw, used.reader
    found = rendered.token_caller(reader, raw, DUE)
    if reader.blocks_long:
        assert found == Caller(member, _view_version(uow, member.user_id))
        assert _last_used(uow, raw) == DUE
    else:
        assert found is None, "SQLite's read writes nothing: the full check records the use"
        assert _last_used(uow, raw) == NOW


def test_a_use_recorded_within_the_hour_is_not_recorded_again(used: Used, uow: UnitOfWork) -> None:
    member, raw, reader = used.member, used.raw, used.reader
    within = NOW + TOKEN_TOUCH_INTERVAL
    found = _read_at(reader, raw, within)
    assert found[2] == NOW and found[-1] is False
    assert rendered.token_caller(reader, raw, within) == Caller(member, _view_version(uow, member.user_id))
    assert _last_used(uow, raw) == NOW


def test_the_read_says_it_recorded_the_use_and_gives_the_use_before(used: Used) -> None:
    raw, reader = used.raw, used.reader
    first, again = _read_at(reader, raw, DUE), _read_at(reader, raw, DUE)
    assert first[2] == NOW and first[-1] is reader.blocks_long
    assert again[2] == (DUE if reader.blocks_long else NOW) and again[-1] is False


def test_an_expired_or_unknown_token_is_never_stamped(used: Used, uow: UnitOfWork) -> None:
    raw, reader = used.raw, used.reader
    expired = NOW + timedelta(days=31)
    assert rendered.token_caller(reader, raw, expired) is None
    assert _read_at(reader, raw, expired)[-1] is False
    assert _last_used(uow, raw) == NOW
    assert rendered.token_caller(reader, "bw_unknown", DUE) is None
    assert rendered.token_caller(reader, raw.removeprefix("bw_"), DUE) is None, "not a token at all"


def _session_seen_at(uow: UnitOfWork, token: str) -> datetime | None:
    with uow:
        return uow.session.scalar(
            select(WebSession.last_seen_at).where(WebSession.token_hash == accounts.digest(token))
        )


def test_a_session_s_due_activity_is_recorded_by_the_read_on_a_server_database(
    used: Used, uow: UnitOfWork, rules: AccountRules
) -> None:
    token = accounts.start_web_session(uow, rules, used.member.user_id, NOW)
    a_minute_on = NOW + SESSION_TOUCH_INTERVAL
    found = rendered.session_caller(used.reader, token, a_minute_on, idle=rules.idle)
    if used.reader.blocks_long:
        assert found == Caller(used.member, _view_version(uow, used.member.user_id))
        assert _session_seen_at(uow, token) == a_minute_on
    else:
        assert found is None, "SQLite's read writes nothing: the full check records the activity"
        assert _session_seen_at(uow, token) == NOW


def test_a_session_seen_within_the_minute_is_not_stamped_and_an_idle_one_is_left_to_the_full_check(
    used: Used, uow: UnitOfWork, rules: AccountRules
) -> None:
    token = accounts.start_web_session(uow, rules, used.member.user_id, NOW)
    within = NOW + SESSION_TOUCH_INTERVAL - timedelta(seconds=1)
    found = rendered.session_caller(used.reader, token, within, idle=rules.idle)
    assert found == Caller(used.member, _view_version(uow, used.member.user_id))
    idle = NOW + rules.idle
    assert rendered.session_caller(used.reader, token, idle, idle=rules.idle) is None
    assert _session_seen_at(uow, token) == NOW
    assert accounts.web_session_principal(uow, token, idle, idle=rules.idle) is None
    assert _session_seen_at(uow, token) is None, "the full check ended the idle session"
