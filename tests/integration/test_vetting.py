"""Becoming a coach, on both databases: only an admin invites; an invitation works once, for one
address, until it expires; every coach gets a stable public handle; the first admin is made by
the operator; migration 0004 keeps the rows stored before it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine, text

from bumpwise.adapters.security import digest
from bumpwise.domain.errors import InputError
from bumpwise.persistence import migrate
from bumpwise.persistence.db import normalise_url
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, admin, leads, vetting
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Forbidden, NotFound
from bumpwise.services.principal import Principal, Role
from dbsupport import NOW, PASSWORD, coach_invitation, fresh_postgres_schema, new_account, unique_email


def _sign_up_as_coach(
    uow: UnitOfWork, rules: AccountRules, token: str, email: str, when: datetime = NOW
) -> None:
    vetting.sign_up_as_coach(
        uow,
        rules,
        invitation=token,
        email=email,
        password=PASSWORD,
        display_name="Coach Cara",
        now=when,
    )


def test_members_and_coaches_cannot_invite_a_coach(uow: UnitOfWork, rules: AccountRules) -> None:
    for role in ("member", "coach"):
        with pytest.raises(Forbidden):
            vetting.invite_coach(
                uow, new_account(uow, rules, role), email=unique_email(), base_url="", deliver=print, now=NOW
            )


def test_an_invitation_expires(uow: UnitOfWork, rules: AccountRules) -> None:
    email = unique_email("coach")
    token = coach_invitation(uow, rules, email)
    late = NOW + timedelta(days=vetting.INVITATION_DAYS, seconds=1)
    with pytest.raises(NotFound) as error:
        _sign_up_as_coach(uow, rules, token, email, late)
    assert error.value.field == "invitation"
    with uow:
        assert uow.accounts.user_by_email(email) is None


def test_an_invitation_works_once_and_a_failed_sign_up_leaves_it_open(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    email = unique_email("coach")
    token = coach_invitation(uow, rules, email)
    with pytest.raises(InputError):  # a short password: nothing stored, the invitation still open
        vetting.sign_up_as_coach(
            uow, rules, invitation=token, email=email, password="short", display_name="C", now=NOW
        )
    assert vetting.invited_email(uow, token, NOW) == email
    _sign_up_as_coach(uow, rules, token, email)
    with pytest.raises(NotFound):
        vetting.invited_email(uow, token, NOW)
    member = new_account(uow, rules)
    with pytest.raises(NotFound):
        vetting.accept_invitation(uow, member, token, NOW)


def test_only_the_digest_of_the_link_is_stored(uow: UnitOfWork, rules: AccountRules) -> None:
    email = unique_email("coach")
    token = coach_invitation(uow, rules, email)
    with uow:
        row = uow.roles.invitation_by_hash(digest(token))
        assert row is not None and row.email == email and row.token_hash != token


def test_an_admin_or_coach_account_is_not_invited_again(uow: UnitOfWork, rules: AccountRules) -> None:
    operator = new_account(uow, rules, "admin")
    for existing in (new_account(uow, rules, "coach"), operator):
        with pytest.raises(InputError) as error:
            vetting.invite_coach(uow, operator, email=existing.email, base_url="", deliver=print, now=NOW)
        assert error.value.field == "email"


def test_a_mail_server_failure_still_shows_the_link(uow: UnitOfWork, rules: AccountRules) -> None:
    def refused(to: str, subject: str, body: str) -> None:
        raise ConnectionRefusedError("no mail server")

    operator = new_account(uow, rules, "admin")
    sent = vetting.invite_coach(
        uow, operator, email=unique_email(), base_url="https://x", deliver=refused, now=NOW
    )
    assert sent.mailed is False and sent.link.startswith("https://x/coach-invitation/")


def test_a_coachs_handle_is_readable_unique_and_stays_when_the_name_changes(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    first, second = (
        new_account(uow, rules, "coach", "Coach Cara!"),
        new_account(uow, rules, "coach", "Coach Cara"),
    )
    one, two = leads.own_page(uow, first, NOW).handle, leads.own_page(uow, second, NOW).handle
    assert one == "coach-cara" and two.startswith("coach-cara-") and one != two
    accounts.update_details(uow, first, display_name="Someone Else")
    assert leads.own_page(uow, first, NOW).handle == "coach-cara"
    assert leads.coach_page(uow, "Coach-Cara").coach_id == first.user_id


def test_set_role_to_coach_gives_a_page_and_back_to_member_hides_it(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    operator, member = new_account(uow, rules, "admin"), new_account(uow, rules, "member", "Dana")
    admin.set_role(uow, operator, member.user_id, "coach", NOW)
    handle = leads.coach_page(uow, "dana").handle
    admin.set_role(uow, operator, member.user_id, "member", NOW)
    with pytest.raises(NotFound):
        leads.coach_page(uow, handle)


def test_grant_admin_needs_an_existing_account(uow: UnitOfWork, rules: AccountRules) -> None:
    with pytest.raises(InputError) as error:
        admin.grant_admin(uow, "nobody@example.org")
    assert error.value.field == "email"
    member = new_account(uow, rules)
    assert admin.grant_admin(uow, member.email).role == "admin"


def test_migration_0004_keeps_leads_and_coaches_stored_before_it(tmp_path: object, database_url: str) -> None:
    urls = (
        [f"sqlite:///{tmp_path}/before.db"] if database_url.startswith("sqlite") else fresh_postgres_schema()
    )
    for url in urls:
        migrate.upgrade(url, "0003")
        engine = migrate_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, role, password_hash, created_at) VALUES "
                    "(7, 'c@example.org', 'C', 'coach', 'x', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO leads (email, consent_text, consented_at, source) VALUES "
                    "('l@example.org', 'yes', '2026-01-01 00:00:00', 'free-workout')"
                )
            )
        migrate.upgrade(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT handle FROM coach_pages")).scalars().all() == ["coach-7"]
            lead = connection.execute(text("SELECT coach_id, unsubscribe_hash FROM leads")).one()
            assert lead[0] is None and len(lead[1]) == 64
        migrate.downgrade(url, "0003")
        engine.dispose()


def migrate_engine(url: str) -> Engine:
    return create_engine(normalise_url(url))


def test_a_coach_made_outside_the_app_gets_a_page_on_first_use(uow: UnitOfWork, rules: AccountRules) -> None:
    member = new_account(uow, rules, "member", "Old Coach")
    with uow:
        user = uow.accounts.user(member.user_id)
        assert user is not None
        user.role = "coach"
        uow.commit()
    coach = Principal(member.user_id, Role.COACH, member.display_name, member.email)
    assert leads.own_page(uow, coach, NOW).handle == "old-coach"
    assert leads.own_page(uow, coach, NOW).handle == "old-coach"


def test_a_handle_that_cannot_be_one_is_a_404_without_a_query(uow: UnitOfWork) -> None:
    for handle in ("", "a" * 41, "has space", "nul\x00", "../x"):
        with pytest.raises(NotFound):
            leads.coach_page(uow, handle)
