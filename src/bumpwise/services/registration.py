"""Sign-up that does not tell a stranger whether an e-mail already has an account.

A sign-up with a free address makes the account. With a taken one, nothing is made: the
answer has the same status and shape (a user and a token that were never stored), the password
is hashed all the same so the time is alike, and the address's owner is told by e-mail. Sign-ups
are counted per client address (``rate_limits``). A new account's address is mailed a
confirmation link (``email_verification``); the account starts unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from bumpwise.adapters.security import new_token
from bumpwise.domain.catalog import _
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, email_verification, rate_limits, vetting
from bumpwise.services.accounts import AccountRules, NewToken, TokenView, UserView
from bumpwise.services.errors import Conflict
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal, Role


@dataclass(frozen=True)
class NewAccount:
    """What a sign-up asks for, as typed (the services clean it). ``invitation``: an admin's coach
    invitation for this e-mail."""

    email: str
    password: str
    display_name: str
    role: str
    invitation: str | None = None


class SignedUp(BaseModel):
    user: UserView
    token: NewToken


def register(
    uow: UnitOfWork, rules: AccountRules, account: NewAccount, mail: MailLinks, *, client: str, now: datetime
) -> Principal | None:
    """The new account, or None when the address was taken (its owner has been told by e-mail).

    A member account, or with an admin's ``invitation`` for this e-mail a coach account."""
    rate_limits.count_request(
        uow,
        secret=rules.secret,
        action="signup",
        who=client,
        limit=rules.requests.signups_per_hour,
        now=now,
        field="email",
    )
    try:
        principal = _make_account(uow, rules, account, now)
    except Conflict:
        _tell_owner(accounts.clean_email(account.email), mail)
        return None
    email_verification.mail_confirmation(
        rules, mail, user_id=principal.user_id, email=principal.email, now=now
    )
    return principal


def _make_account(uow: UnitOfWork, rules: AccountRules, account: NewAccount, now: datetime) -> Principal:
    email, password, display_name = account.email, account.password, account.display_name
    if account.invitation is None or account.role != Role.MEMBER.value:
        return accounts.sign_up(
            uow, rules, email=email, password=password, display_name=display_name, role=account.role, now=now
        )
    return vetting.sign_up_as_coach(
        uow,
        rules,
        invitation=account.invitation,
        email=email,
        password=password,
        display_name=display_name,
        now=now,
    )


def register_with_token(
    uow: UnitOfWork,
    rules: AccountRules,
    account: NewAccount,
    mail: MailLinks,
    *,
    token_name: str,
    client: str,
    now: datetime,
) -> SignedUp:
    """Sign up and issue a first API token; for a taken address, an answer of the same shape."""
    principal = register(uow, rules, account, mail, client=client, now=now)
    if principal is None:
        shown_role = Role.MEMBER if account.invitation is None else Role.COACH
        return _unstored_answer(uow, rules, account.email, account.display_name, shown_role, token_name, now)
    token = accounts.create_api_token(uow, principal, token_name, now, lifetime=rules.tokens)
    return SignedUp(user=accounts.account(uow, principal), token=token)


def _unstored_answer(
    uow: UnitOfWork, rules: AccountRules, email: str, name: str, role: Role, token_name: str, now: datetime
) -> SignedUp:
    """What a new account's answer would look like, with the ids the next rows would get."""
    with uow:
        user_id, token_id = uow.accounts.last_user_id() + 1, uow.accounts.last_token_id() + 1
    raw = accounts.TOKEN_PREFIX + new_token()
    user = UserView(
        id=user_id,
        email=accounts.clean_email(email),
        display_name=accounts.clean_name(name),
        role=role,
        created_at=now,
    )
    details = TokenView(
        id=token_id,
        name=accounts.clean_token_name(token_name),
        prefix=raw[:10],
        created_at=now,
        last_used_at=None,
        expires_at=rules.tokens.expiry(None, now),
    )
    return SignedUp(user=user, token=NewToken(token=raw, details=details))


def _tell_owner(email: str, mail: MailLinks) -> None:
    mail.deliver(
        email,
        _("Someone tried to sign up with your e-mail"),
        _(
            "Someone tried to create a bumpwise account with this e-mail address, which already has "
            "one. No new account was made.\n\nIf it was you, sign in, or reset your password here:\n"
            "%(link)s\n\nIf it was not you, you need do nothing.",
            link=mail.link("/reset"),
        ),
    )
