"""E-mail verification in the services, on both databases: the link's life (fresh, expired,
used, forged, stale), the data rights it opens, and the migration that starts old accounts
unconfirmed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from bumpwise.persistence import migrate
from bumpwise.persistence.models import Lead, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import account_data, email_verification, leads
from bumpwise.services.accounts import AccountRules
from bumpwise.services.email_verification import LINK_HOURS
from bumpwise.services.errors import Conflict, NotFound, RateLimited
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal
from dbsupport import NOW, PASSWORD, fresh_postgres_schema, new_account, opted_in

Mail = list[tuple[str, str, str]]


@pytest.fixture
def mailbox() -> Mail:
    return []


def _link(rules: AccountRules, member: Principal, mailbox: Mail) -> str:
    """The token of a link mailed at ``NOW``."""
    email_verification.mail_confirmation(
        rules,
        MailLinks("http://x/", lambda *m: mailbox.append(m)),
        user_id=member.user_id,
        email=member.email,
        now=NOW,
    )
    to, _, body = mailbox[-1]
    assert to == member.email and "http://x/confirm-email/" in body
    return body.split("/confirm-email/")[1].split()[0]


def _verified_at(uow: UnitOfWork, member: Principal) -> object:
    with uow:
        user = uow.accounts.user(member.user_id)
        assert user is not None
        return user.email_verified_at


def test_a_fresh_link_confirms_until_it_expires(uow: UnitOfWork, rules: AccountRules, mailbox: Mail) -> None:
    member, late = new_account(uow, rules), new_account(uow, rules, name="Late")
    just_in_time = NOW + timedelta(hours=LINK_HOURS)
    view = email_verification.confirm_email(uow, rules, _link(rules, member, mailbox), just_in_time)
    assert view.email_verified_at == just_in_time == _verified_at(uow, member)
    with pytest.raises(NotFound) as refused:
        email_verification.confirm_email(
            uow, rules, _link(rules, late, mailbox), just_in_time + timedelta(seconds=1)
        )
    assert refused.value.field == "token"
    assert _verified_at(uow, late) is None


def test_a_link_works_once(uow: UnitOfWork, rules: AccountRules, mailbox: Mail) -> None:
    member = new_account(uow, rules)
    token = _link(rules, member, mailbox)
    email_verification.confirm_email(uow, rules, token, NOW)
    with pytest.raises(NotFound):
        email_verification.confirm_email(uow, rules, token, NOW + timedelta(minutes=1))
    assert _verified_at(uow, member) == NOW


def test_a_link_signed_with_another_secret_is_refused(
    uow: UnitOfWork, rules: AccountRules, mailbox: Mail
) -> None:
    member = new_account(uow, rules)
    other_server = AccountRules(passwords=rules.passwords, secret="another secret")
    with pytest.raises(NotFound):
        email_verification.confirm_email(uow, rules, _link(other_server, member, mailbox), NOW)
    assert _verified_at(uow, member) is None


def test_a_link_for_the_accounts_former_address_is_refused(
    uow: UnitOfWork, rules: AccountRules, mailbox: Mail
) -> None:
    member = new_account(uow, rules)
    token = _link(rules, member, mailbox)
    with uow:
        user = uow.accounts.user(member.user_id)
        assert user is not None
        user.email = "elsewhere@example.org"
        uow.commit()
    with pytest.raises(NotFound):
        email_verification.confirm_email(uow, rules, token, NOW)


def test_resending_counts_per_account_and_stops_once_confirmed(
    uow: UnitOfWork, rules: AccountRules, mailbox: Mail
) -> None:
    member = new_account(uow, rules)

    def resend(client: str) -> None:
        email_verification.resend_confirmation(
            uow,
            rules,
            member,
            MailLinks("http://x", lambda *m: mailbox.append(m)),
            now=NOW,
            client=client,
        )

    for n in range(rules.requests.resets_per_email_per_hour):
        resend(f"10.0.0.{n}")  # a new client address each time: the account's own count still holds
    with pytest.raises(RateLimited) as limited:
        resend("10.0.1.1")
    assert limited.value.field == "email" and limited.value.retry_after > 0
    assert len(mailbox) == rules.requests.resets_per_email_per_hour
    email_verification.confirm_email(uow, rules, _link(rules, member, mailbox), NOW)
    with pytest.raises(Conflict):
        resend("10.0.2.1")


def _lead(uow: UnitOfWork, email: str) -> None:
    """A confirmed lead: opted in, then confirmed from the mailed link."""
    leads.confirm_lead(uow, opted_in(uow, email, NOW), NOW)


def _lead_emails(uow: UnitOfWork) -> list[str]:
    with uow:
        return list(uow.session.scalars(select(Lead.email).order_by(Lead.email)).all())


def test_leads_stay_out_of_an_unconfirmed_accounts_export_and_deletion(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    stranger = new_account(uow, rules)
    _lead(uow, stranger.email)
    exported = account_data.export_account(uow, stranger, NOW)
    assert exported.free_workout_leads == []
    assert exported.free_workout_leads_left_out == account_data.LEADS_LEFT_OUT
    account_data.delete_account(uow, rules, stranger, password=PASSWORD)
    assert _lead_emails(uow) == [stranger.email]


def test_a_confirmed_accounts_leads_are_exported_and_deleted(
    uow: UnitOfWork, rules: AccountRules, mailbox: Mail
) -> None:
    owner = new_account(uow, rules)
    _lead(uow, owner.email)
    _lead(uow, "zz-other@example.org")
    email_verification.confirm_email(uow, rules, _link(rules, owner, mailbox), NOW)
    exported = account_data.export_account(uow, owner, NOW)
    assert [lead.email for lead in exported.free_workout_leads] == [owner.email]
    assert exported.free_workout_leads_left_out is None
    account_data.delete_account(uow, rules, owner, password=PASSWORD)
    assert _lead_emails(uow) == ["zz-other@example.org"]


def _fresh_urls(tmp_path: Path, database_url: str) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/fresh.db"
    else:
        yield from fresh_postgres_schema()


def test_accounts_made_before_the_migration_start_unconfirmed(tmp_path: Path, database_url: str) -> None:
    for url in _fresh_urls(tmp_path, database_url):
        migrate.upgrade(url, "0007")
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO users (email, display_name, role, password_hash, created_at) "
                        "VALUES ('old@example.org', 'Old', 'member', 'x', '2026-01-01 00:00:00')"
                    )
                )
            migrate.upgrade(url, "0009")
            with engine.connect() as connection:
                verified = connection.execute(select(User.__table__.c.email_verified_at)).scalar_one()
            assert verified is None
            migrate.downgrade(url, "0007")
            migrate.upgrade(url)
        finally:
            engine.dispose()
