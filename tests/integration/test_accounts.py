"""Accounts on both databases: sign-up, sign-in with a rate limit shared through the database,
sessions, API tokens and password resets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, password_reset
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Conflict, NotFound, RateLimited, Unauthorized
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Role
from dbsupport import NOW, PASSWORD, new_account, reset_token


def test_sign_up_stores_an_argon2id_hash_never_the_password(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    with uow:
        user = uow.accounts.user(member.user_id)
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_sign_up_refuses_a_second_account_with_the_same_email(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    with pytest.raises(Conflict):
        accounts.sign_up(
            uow,
            rules,
            email=member.email.upper(),
            password=PASSWORD,
            display_name="B",
            role=Role.MEMBER,
            now=NOW,
        )


def test_sign_up_refuses_admin_role_and_short_passwords(uow: UnitOfWork, rules: AccountRules) -> None:
    with pytest.raises(InputError) as error:
        accounts.sign_up(
            uow, rules, email="x@example.org", password="short", display_name="X", role=Role.MEMBER, now=NOW
        )
    assert error.value.field == "password"
    with pytest.raises(InputError) as error:
        accounts.sign_up(
            uow, rules, email="y@example.org", password=PASSWORD, display_name="Y", role=Role.ADMIN, now=NOW
        )
    assert error.value.field == "role"


def test_sign_in_is_rate_limited_after_repeated_failures(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    for _ in range(rules.signin.pair_allowed):
        with pytest.raises(Unauthorized):
            accounts.authenticate(
                uow, rules, email=member.email, password="wrong password", client="1.2.3.4", now=NOW
            )
    with pytest.raises(RateLimited):
        accounts.authenticate(uow, rules, email=member.email, password=PASSWORD, client="1.2.3.4", now=NOW)
    later = NOW + timedelta(seconds=rules.signin.window_seconds + 1)
    signed_in = accounts.authenticate(
        uow, rules, email=member.email, password=PASSWORD, client="1.2.3.4", now=later
    )
    assert signed_in.user_id == member.user_id


def test_web_sessions_and_api_tokens_resolve_to_their_owner(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules)
    session = accounts.start_web_session(uow, rules, member.user_id, NOW)
    assert accounts.web_session_principal(uow, session, NOW) == member
    accounts.end_web_session(uow, session)
    assert accounts.web_session_principal(uow, session, NOW) is None
    issued = accounts.create_api_token(uow, member, "laptop", NOW)
    assert accounts.api_token_principal(uow, issued.token, NOW) == member
    with uow:
        stored = uow.accounts.tokens_of(member.user_id)[0]
        assert stored.token_hash != issued.token
    accounts.revoke_api_token(uow, member, issued.details.id)
    assert accounts.api_token_principal(uow, issued.token, NOW) is None


def test_a_token_can_be_revoked_only_by_its_owner(uow: UnitOfWork, rules: AccountRules) -> None:
    owner, other = new_account(uow, rules), new_account(uow, rules)
    issued = accounts.create_api_token(uow, owner, "phone", NOW)
    with pytest.raises(NotFound):
        accounts.revoke_api_token(uow, other, issued.details.id)


def test_password_reset_link_works_once_and_signs_out_everywhere(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    member = new_account(uow, rules)
    session = accounts.start_web_session(uow, rules, member.user_id, NOW)
    token = reset_token(uow, rules, member.email)
    password_reset.reset_password(uow, rules, token=token, password="a brand new password", now=NOW)
    assert accounts.web_session_principal(uow, session, NOW) is None
    accounts.authenticate(
        uow, rules, email=member.email, password="a brand new password", client="c", now=NOW
    )
    with pytest.raises(NotFound):
        password_reset.reset_password(uow, rules, token=token, password="another new password", now=NOW)


def test_password_reset_for_an_unknown_email_sends_nothing(uow: UnitOfWork, rules: AccountRules) -> None:
    sent: list[str] = []
    password_reset.request_reset(
        uow,
        rules,
        MailLinks("http://x", lambda *a: sent.append(a[2])),
        email="nobody@example.org",
        now=NOW,
    )
    assert sent == []
