"""Changing the sign-in e-mail: the current password, then a link sent to the new address.

The answer is the same whether or not the new address already has an account: a free address
gets the confirmation link; a taken one gets a note to its owner instead, and the change is
never made. The link is signed with the server secret (itsdangerous), names the account and its
address at the time, and lasts as long as a reset link; once the address has changed, it no
longer matches, so each link works once. Confirming proves the new address
(``email_verification``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from itsdangerous import BadData, URLSafeTimedSerializer

from bumpwise.domain.catalog import N_, _
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules, UserView, clean_email, user_view
from bumpwise.services.email_verification import mark_verified
from bumpwise.services.errors import NotFound, Unauthorized
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal

SALT = "bumpwise-email-change"


def _signer(rules: AccountRules) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(rules.secret or "unset", salt=SALT)


def request_email_change(
    uow: UnitOfWork,
    rules: AccountRules,
    principal: Principal,
    mail: MailLinks,
    *,
    new_email: str,
    password: str,
) -> None:
    """Check the password, then mail the new address a link (or its owner a note if taken)."""
    new_email = clean_email(new_email)
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None or not rules.passwords.verify(user.password_hash, password):
            raise Unauthorized(N_("the current password is not right"), "current_password")
        old_email = user.email
        taken = new_email != old_email and uow.accounts.user_by_email(new_email) is not None
    if new_email == old_email:
        return
    if taken:
        mail.deliver(
            new_email,
            _("Someone tried to move a bumpwise account to your e-mail"),
            _(
                "Another bumpwise account asked to use this e-mail address, which already has an "
                "account. Nothing was changed, and you need do nothing."
            ),
        )
        return
    token = _signer(rules).dumps({"user": user.id, "from": old_email, "to": new_email})
    mail.deliver(
        new_email,
        _("Confirm your new bumpwise e-mail"),
        _(
            "Open this link within %(minutes)s minutes to sign in with this address from now on:\n"
            "%(link)s\n\nIf you did not ask for this, ignore it.",
            minutes=rules.reset_minutes,
            link=mail.link("/account/email/" + token),
        ),
    )


@unique_race_retried
def confirm_email_change(
    uow: UnitOfWork, rules: AccountRules, token: str, now: datetime | None = None
) -> UserView:
    """Apply the change a link asks for, if it is genuine, fresh and still matches the account;
    the new address counts as confirmed (the link came by its mail)."""
    refused = NotFound(N_("this confirmation link is unknown, used or expired: ask for a new one"), "token")
    try:
        wanted = _signer(rules).loads(token, max_age=rules.reset_minutes * 60)
    except BadData:
        raise refused from None
    if not isinstance(wanted, dict) or not {"user", "from", "to"} <= wanted.keys():
        raise refused
    with uow:
        user = uow.accounts.user(int(wanted["user"]))
        if user is None or user.email != wanted["from"] or uow.accounts.user_by_email(wanted["to"]):
            raise refused
        user.email = str(wanted["to"])
        mark_verified(user, now or datetime.now(UTC))
        uow.commit()
        return user_view(user)
