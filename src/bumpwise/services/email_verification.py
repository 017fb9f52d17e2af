"""Proving that an account's owner reads its address's mail.

Sign-up mails a confirmation link; the owner can ask for it again (counted like reset requests,
per client address and per account). Using a password-reset link or confirming an e-mail change
proves the address as well (``password_reset``, ``email_change``). Until the address is proved,
nothing keyed only by that e-mail (free-workout leads) is in the account's export or deleted with
it: anyone can sign up with an address that is not theirs.

The link is signed with the server secret (itsdangerous) and names the account, its address and
when it was sent; it expires after ``LINK_HOURS``, stops working once the address is confirmed
(so it works once) and when the address changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadData, URLSafeSerializer

from bumpwise.domain.catalog import N_, _
from bumpwise.persistence.models import User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import rate_limits
from bumpwise.services.accounts import AccountRules, UserView, user_view
from bumpwise.services.errors import Conflict, NotFound, Unauthorized
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.principal import Principal

SALT = "bumpwise-email-verification"
LINK_PATH = "/confirm-email/{token}"
LINK_HOURS = 48


def _signer(rules: AccountRules) -> URLSafeSerializer:
    return URLSafeSerializer(rules.secret or "unset", salt=SALT)


def mail_confirmation(
    rules: AccountRules, mail: MailLinks, *, user_id: int, email: str, now: datetime
) -> None:
    """Send ``email`` a link that proves it belongs to account ``user_id``."""
    token = _signer(rules).dumps({"user": user_id, "email": email, "sent": int(now.timestamp())})
    link = mail.link(LINK_PATH.format(token=token))
    mail.deliver(
        email,
        _("Confirm your e-mail for bumpwise"),
        _(
            "A bumpwise account was made with this e-mail address. If it was you, open this link "
            "within %(hours)s hours to confirm the address is yours:\n%(link)s\n\n"
            "If it was not you, do not open the link: without it, the account can never see anything "
            "kept about this address.",
            hours=LINK_HOURS,
            link=link,
        ),
    )


def resend_confirmation(
    uow: UnitOfWork,
    rules: AccountRules,
    principal: Principal,
    mail: MailLinks,
    *,
    now: datetime,
    client: str,
) -> None:
    """Mail the link again; Conflict once the address is confirmed, RateLimited when asked too often."""
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise Unauthorized(N_("the account no longer exists"))
        if user.email_verified_at is not None:
            raise Conflict(N_("this e-mail address is already confirmed"), "email")
        user_id, email = user.id, user.email
    limits = rules.requests
    _count(uow, rules, "verify", client, limits.reset_requests_per_hour, now)
    _count(uow, rules, "verify-account", str(user_id), limits.resets_per_email_per_hour, now)
    mail_confirmation(rules, mail, user_id=user_id, email=email, now=now)


def _count(uow: UnitOfWork, rules: AccountRules, action: str, who: str, limit: int, now: datetime) -> None:
    rate_limits.count_request(
        uow, secret=rules.secret, action=action, who=who, limit=limit, now=now, field="email"
    )


@dataclass(frozen=True)
class _Link:
    user_id: int
    email: str
    sent: datetime


def confirm_email(uow: UnitOfWork, rules: AccountRules, token: str, now: datetime) -> UserView:
    """Mark the address proved, if the link is genuine, fresh, unused and still the account's address."""
    refused = NotFound(N_("this confirmation link is unknown, used or expired: ask for a new one"), "token")
    link = _read_link(rules, token)
    if link is None or now - link.sent > timedelta(hours=LINK_HOURS):
        raise refused
    with uow:
        user = uow.accounts.user(link.user_id)
        if user is None or user.email != link.email or user.email_verified_at is not None:
            raise refused
        mark_verified(user, now)
        uow.commit()
        return user_view(user)


def _read_link(rules: AccountRules, token: str) -> _Link | None:
    try:
        wanted = _signer(rules).loads(token)
    except BadData:
        return None
    if not isinstance(wanted, dict):
        return None
    user_id, email, sent = wanted.get("user"), wanted.get("email"), wanted.get("sent")
    if not (isinstance(user_id, int) and isinstance(email, str) and isinstance(sent, int)):
        return None
    return _Link(user_id, email, datetime.fromtimestamp(sent, UTC))


def mark_verified(user: User, now: datetime) -> None:
    """The owner has just shown they read this address's mail (inside an open unit of work)."""
    user.email_verified_at = now
