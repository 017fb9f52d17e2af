"""Issue 10 (points 2, 5, 7 in part, 11): credentials end when they should, sign-in limits that
a stranger cannot use against the owner, keyed and pruned failure rows, idle and absolute session
lifetimes, token expiry, session lists, e-mail changes and sign-ups that reveal no account, and
request limits kept in the database. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bumpwise.adapters.security import keyed
from bumpwise.domain.errors import InputError
from bumpwise.persistence.models import LoginAttempt, RateLimitHit, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import (
    account_data,
    accounts,
    email_change,
    password_reset,
    rate_limits,
    registration,
    signin_limits,
)
from bumpwise.services.accounts import AccountRules, Credential
from bumpwise.services.errors import NotFound, RateLimited, Unauthorized
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal, Role
from bumpwise.services.signin_limits import SigninLimits
from dbsupport import NEW_PASSWORD, NOW, PASSWORD, Mail, new_account, reset_token


@pytest.fixture
def keyed_rules(rules: AccountRules) -> AccountRules:
    return replace(rules, secret="s" * 40)


def _mailbox() -> tuple[Mail, MailLinks]:
    sent: Mail = []
    return sent, MailLinks("http://x", lambda to, subject, body: sent.append((to, subject, body)))


def _sign_in(
    uow: UnitOfWork, rules: AccountRules, email: str, password: str, client: str, at: datetime = NOW
) -> Principal:
    return accounts.authenticate(uow, rules, email=email, password=password, client=client, now=at)


def _fail(uow: UnitOfWork, rules: AccountRules, email: str, client: str, at: datetime = NOW) -> None:
    with pytest.raises(Unauthorized):
        _sign_in(uow, rules, email, "wrong password", client, at)


# Point 2: password change and reset end sessions, tokens and older links


@pytest.mark.parametrize(
    ("kept", "still_in"),
    [("session", [True, False, False, False]), ("token", [False, False, True, False])],
    ids=["from-a-browser", "through-a-token"],
)
def test_password_change_keeps_only_the_credential_it_was_made_with(
    uow: UnitOfWork, rules: AccountRules, kept: str, still_in: list[bool]
) -> None:
    """Two browser sessions and two API tokens; the change is made from the first of one kind."""
    member = new_account(uow, rules)
    sessions = [accounts.start_web_session(uow, rules, member.user_id, NOW) for _ in range(2)]
    tokens = [accounts.create_api_token(uow, member, name, NOW).token for name in ("laptop", "phone")]
    keep = Credential(session_token=sessions[0]) if kept == "session" else Credential(api_token=tokens[0])
    accounts.change_password(uow, rules, member, current=PASSWORD, new=NEW_PASSWORD, keep=keep)
    signed_in = [accounts.web_session_principal(uow, s, NOW) == member for s in sessions]
    signed_in += [accounts.api_token_principal(uow, t, NOW) == member for t in tokens]
    assert signed_in == still_in


def test_password_reset_ends_every_session_and_token(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    session = accounts.start_web_session(uow, rules, member.user_id, NOW)
    token = accounts.create_api_token(uow, member, "laptop", NOW).token
    link = reset_token(uow, rules, member.email)
    password_reset.reset_password(uow, rules, token=link, password=NEW_PASSWORD, now=NOW)
    assert accounts.web_session_principal(uow, session, NOW) is None
    assert accounts.api_token_principal(uow, token, NOW) is None


def test_a_newer_reset_link_ends_the_older_ones(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    first = reset_token(uow, rules, member.email)
    second = reset_token(uow, rules, member.email, NOW + timedelta(minutes=1))
    assert not password_reset.reset_is_valid(uow, first, NOW)
    with pytest.raises(NotFound):
        password_reset.reset_password(uow, rules, token=first, password=NEW_PASSWORD, now=NOW)
    password_reset.reset_password(uow, rules, token=second, password=NEW_PASSWORD, now=NOW)
    with pytest.raises(NotFound):
        password_reset.reset_password(uow, rules, token=second, password="another new password", now=NOW)


def test_using_a_link_or_changing_the_password_ends_every_link(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    link = reset_token(uow, rules, member.email)
    accounts.change_password(uow, rules, member, current=PASSWORD, new=NEW_PASSWORD)
    assert not password_reset.reset_is_valid(uow, link, NOW)


# Point 5: limits that cannot lock out the owner or a shared address


def test_a_stranger_guessing_wrong_does_not_lock_out_the_owner(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    rules = keyed_rules
    member = new_account(uow, rules)
    for _ in range(rules.signin.pair_allowed):
        _fail(uow, rules, member.email, "203.0.113.66")
    with pytest.raises(RateLimited) as limited:
        _sign_in(uow, rules, member.email, PASSWORD, "203.0.113.66")
    assert 0 < limited.value.retry_after <= rules.signin.window_seconds
    assert _sign_in(uow, rules, member.email, PASSWORD, "198.51.100.7") == member


def test_guesses_from_one_shared_address_do_not_shut_out_its_other_users(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    rules = keyed_rules
    victim, neighbour = new_account(uow, rules), new_account(uow, rules)
    for _ in range(rules.signin.pair_allowed):
        _fail(uow, rules, victim.email, "192.0.2.1")
    assert _sign_in(uow, rules, neighbour.email, PASSWORD, "192.0.2.1") == neighbour


def test_many_addresses_guessing_one_account_are_slowed_not_locked(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    limits = SigninLimits(pair_allowed=5, slowdown_email=8, slowdown_seconds=10)
    rules = replace(rules, secret="s" * 40, signin=limits)
    member = new_account(uow, rules)
    for n in range(limits.slowdown_email):
        _fail(uow, rules, member.email, f"203.0.113.{n}")
    with pytest.raises(RateLimited) as slowed:
        _sign_in(uow, rules, member.email, PASSWORD, "198.51.100.7", NOW + timedelta(seconds=3))
    assert slowed.value.retry_after == 7
    later = NOW + timedelta(seconds=limits.slowdown_seconds)
    assert _sign_in(uow, rules, member.email, PASSWORD, "198.51.100.7", later) == member


def test_one_address_spraying_many_accounts_is_slowed(uow: UnitOfWork, rules: AccountRules) -> None:
    limits = SigninLimits(slowdown_client=6, slowdown_seconds=10)
    rules = replace(rules, secret="s" * 40, signin=limits)
    member = new_account(uow, rules)
    for n in range(limits.slowdown_client):
        _fail(uow, rules, f"someone{n}@example.org", "192.0.2.9")
    with pytest.raises(RateLimited):
        _sign_in(uow, rules, member.email, PASSWORD, "192.0.2.9", NOW + timedelta(seconds=1))
    assert _sign_in(uow, rules, member.email, PASSWORD, "192.0.2.9", NOW + timedelta(seconds=11)) == member


# Point 7 (login_attempts): keyed by an HMAC, pruned, gone with the account


def test_failed_sign_ins_are_keyed_by_an_hmac_never_the_email_or_a_bare_hash(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    member = new_account(uow, keyed_rules)
    _fail(uow, keyed_rules, member.email, "203.0.113.5")
    with uow:
        row = uow.session.scalars(select(LoginAttempt)).one()
    assert row.email_key == keyed("s" * 40, "signin-email", member.email)
    assert row.email_key != hashlib.sha256(member.email.encode()).hexdigest()
    assert row.client_key != hashlib.sha256(b"203.0.113.5").hexdigest()
    assert member.email not in (row.email_key, row.client_key) and row.user_id == member.user_id


def test_expired_failures_are_pruned(uow: UnitOfWork, keyed_rules: AccountRules) -> None:
    _fail(uow, keyed_rules, "nobody@example.org", "203.0.113.5")
    _fail(uow, keyed_rules, "nobody@example.org", "203.0.113.5", NOW + timedelta(hours=1))
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1


def test_failures_against_an_account_are_deleted_with_it(uow: UnitOfWork, keyed_rules: AccountRules) -> None:
    member = new_account(uow, keyed_rules)
    _fail(uow, keyed_rules, member.email, "203.0.113.5")
    account_data.delete_account(uow, keyed_rules, member, password=PASSWORD)
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


# Point 11: sessions, tokens, e-mail change, sign-up, request limits


def test_an_idle_session_ends_and_an_active_one_ends_at_its_absolute_lifetime(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = new_account(uow, rules)
    idle = accounts.start_web_session(uow, rules, member.user_id, NOW)
    assert accounts.web_session_principal(uow, idle, NOW + timedelta(minutes=29), idle=rules.idle) == member
    assert accounts.web_session_principal(uow, idle, NOW + timedelta(minutes=60), idle=rules.idle) is None
    active = accounts.start_web_session(uow, rules, member.user_id, NOW)
    at = NOW
    while at < NOW + timedelta(hours=rules.session_hours) - timedelta(minutes=20):
        at += timedelta(minutes=20)
        assert accounts.web_session_principal(uow, active, at, idle=rules.idle) == member
    assert accounts.web_session_principal(uow, active, NOW + timedelta(hours=12), idle=rules.idle) is None


def test_tokens_expire_after_the_chosen_days_within_the_maximum(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    default = accounts.create_api_token(uow, member, "laptop", NOW, lifetime=rules.tokens)
    assert default.details.expires_at == NOW + timedelta(days=rules.tokens.default_days)
    week = accounts.create_api_token(uow, member, "week", NOW, days=7, lifetime=rules.tokens)
    assert accounts.api_token_principal(uow, week.token, NOW + timedelta(days=6)) == member
    assert accounts.api_token_principal(uow, week.token, NOW + timedelta(days=7)) is None
    with pytest.raises(InputError) as refused:
        accounts.create_api_token(uow, member, "forever", NOW, days=rules.tokens.max_days + 1)
    assert refused.value.field == "expires_in_days"


def test_own_sessions_are_listed_ended_one_by_one_or_all_with_the_tokens(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member, other = new_account(uow, rules), new_account(uow, rules)
    here = accounts.start_web_session(uow, rules, member.user_id, NOW, "Firefox on Linux")
    phone = accounts.start_web_session(uow, rules, member.user_id, NOW, "Safari on iPhone")
    token = accounts.create_api_token(uow, member, "laptop", NOW).token
    listed = accounts.list_web_sessions(uow, member, NOW, here)
    assert sorted((s.user_agent, s.current) for s in listed) == [
        ("Firefox on Linux", True),
        ("Safari on iPhone", False),
    ]
    phone_id = next(s.id for s in listed if not s.current)
    with pytest.raises(NotFound):
        accounts.end_web_session_by_id(uow, other, phone_id, NOW)
    accounts.end_web_session_by_id(uow, member, phone_id, NOW)
    assert accounts.web_session_principal(uow, phone, NOW) is None
    accounts.sign_out_everywhere(uow, member)
    assert accounts.web_session_principal(uow, here, NOW) is None
    assert accounts.api_token_principal(uow, token, NOW) is None


def test_an_email_change_needs_the_password_and_a_link_that_works_once(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    member = new_account(uow, keyed_rules)
    sent, mail = _mailbox()

    def change(password: str) -> None:
        email_change.request_email_change(
            uow, keyed_rules, member, mail, new_email="new-home@example.org", password=password
        )

    with pytest.raises(Unauthorized):
        change("not it at all")
    assert sent == []
    change(PASSWORD)
    assert accounts.account(uow, member).email == member.email
    (to, _, body) = sent[0]
    token = body.split("/account/email/")[1].split()[0]
    assert to == "new-home@example.org"
    assert email_change.confirm_email_change(uow, keyed_rules, token).email == "new-home@example.org"
    with pytest.raises(NotFound):
        email_change.confirm_email_change(uow, keyed_rules, token)


def test_an_email_change_to_a_taken_address_looks_the_same_and_tells_its_owner(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    member, owner = new_account(uow, keyed_rules), new_account(uow, keyed_rules)
    sent, mail = _mailbox()
    email_change.request_email_change(
        uow, keyed_rules, member, mail, new_email=owner.email, password=PASSWORD
    )
    assert len(sent) == 1
    assert sent[0][0] == owner.email and "/account/email/" not in sent[0][2]
    assert accounts.account(uow, member).email == member.email


def test_sign_up_with_a_taken_email_answers_alike_and_tells_the_owner(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    owner = new_account(uow, keyed_rules)
    sent, mail = _mailbox()

    def sign_up(email: str, client: str) -> registration.SignedUp:
        account = registration.NewAccount(email, PASSWORD, "Someone", Role.MEMBER)
        return registration.register_with_token(
            uow, keyed_rules, account, mail, token_name="API token", client=client, now=NOW
        )

    fresh = sign_up("fresh@example.org", "a")
    taken = sign_up(owner.email.upper(), "b")
    assert set(taken.model_dump()) == set(fresh.model_dump())
    assert set(taken.user.model_dump()) == set(fresh.user.model_dump())
    assert taken.user.id == fresh.user.id + 1 and taken.token.token.startswith("bw_")
    assert accounts.api_token_principal(uow, taken.token.token, NOW) is None
    assert taken.user.email_verified_at is None and fresh.user.email_verified_at is None
    # a free address gets its confirmation link, a taken one's owner a note: one message each
    assert [to for to, _, _ in sent] == ["fresh@example.org", owner.email]
    assert "/confirm-email/" in sent[0][2] and "/confirm-email/" not in sent[1][2]
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(User)) == 2


def test_requests_are_counted_in_the_database_and_refused_with_a_wait(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:

    def count(minutes: int) -> None:
        rate_limits.count_request(
            uow,
            secret=keyed_rules.secret,
            action="signup",
            who="192.0.2.4",
            limit=2,
            now=NOW + timedelta(minutes=minutes),
        )

    count(0)
    count(10)
    with pytest.raises(RateLimited) as refused:
        count(20)
    assert refused.value.retry_after == 40 * 60
    count(61)
    with uow:
        keys = uow.session.scalars(select(RateLimitHit.key)).all()
    assert all("192.0.2.4" not in key for key in keys) and len(keys) == 2


def test_reset_requests_are_limited_per_email_whether_or_not_it_has_an_account(
    uow: UnitOfWork, keyed_rules: AccountRules
) -> None:
    _, mail = _mailbox()
    for n in range(keyed_rules.requests.resets_per_email_per_hour):
        password_reset.request_reset(
            uow, keyed_rules, mail, email="nobody@example.org", now=NOW, client=f"c{n}"
        )
    with pytest.raises(RateLimited):
        password_reset.request_reset(uow, keyed_rules, mail, email="nobody@example.org", now=NOW, client="c9")


def test_a_browser_that_signed_in_before_is_never_slowed_down(uow: UnitOfWork, rules: AccountRules) -> None:
    limits = SigninLimits(slowdown_email=3, slowdown_client=3, slowdown_seconds=10)
    rules = replace(rules, secret="s" * 40, signin=limits)
    member = new_account(uow, rules)
    proof = signin_limits.device_proof(rules.secret, member.email, NOW - timedelta(days=30))
    for n in range(10):  # a guesser re-arming the slow-down every 10 s, from ever new addresses
        _fail(uow, rules, member.email, f"203.0.113.{n}", NOW + timedelta(seconds=n * 10))
    at = NOW + timedelta(seconds=95)
    with pytest.raises(RateLimited):
        _sign_in(uow, rules, member.email, PASSWORD, "198.51.100.7", at)
    signed_in = accounts.authenticate(
        uow, rules, email=member.email, password=PASSWORD, client="198.51.100.7", now=at, device=proof
    )
    assert signed_in == member
    forged = [
        signin_limits.device_proof("another secret" * 3, member.email, NOW),
        signin_limits.device_proof(rules.secret, "someone-else@example.org", NOW),
        signin_limits.device_proof(rules.secret, member.email, NOW - timedelta(days=91)),
        "not a proof",
    ]
    for proof in forged:
        assert not signin_limits.is_known_device(rules.secret, member.email, proof, at)
