"""Password reset by a one-time link: sent by e-mail, or written to the outbox folder without SMTP.

Only the newest link of an account works: asking for a link, using one, or changing the
password ends every older one. Using a link ends every session and API token of the account.
It also proves the account's address (``email_verification``): the link came by its mail.
Requests are counted per client address and per e-mail (``rate_limits``), whether or not the
account exists, so the answer never tells.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bumpwise.adapters.security import digest, new_token
from bumpwise.domain.catalog import N_, _
from bumpwise.persistence.models import PasswordReset
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import rate_limits
from bumpwise.services.accounts import AccountRules
from bumpwise.services.email_verification import mark_verified
from bumpwise.services.errors import NotFound
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.password_policy import check_password


def request_reset(
    uow: UnitOfWork,
    rules: AccountRules,
    mail: MailLinks,
    *,
    email: str,
    now: datetime,
    client: str = "unknown",
) -> None:
    """Send a reset link if the account exists; the answer is the same either way."""
    email = email.strip().lower()
    _count(uow, rules, "reset", client, rules.requests.reset_requests_per_hour, now)
    _count(uow, rules, "reset-email", email, rules.requests.resets_per_email_per_hour, now)
    token = new_token()
    with uow:
        user = uow.accounts.user_by_email(email)
        if user is None:
            return
        uow.accounts.delete_resets_of(user.id)
        uow.accounts.add(
            PasswordReset(
                user_id=user.id,
                token_hash=digest(token),
                created_at=now,
                expires_at=now + timedelta(minutes=rules.reset_minutes),
                used_at=None,
            )
        )
        uow.commit()
    link = mail.link(f"/reset/{token}")
    mail.deliver(
        email,
        _("Reset your bumpwise password"),
        _(
            "Someone asked to reset the password of your bumpwise account.\n\nOpen this link within "
            "%(minutes)s minutes to choose a new one:\n%(link)s\n\nIf it was not you, ignore this.",
            minutes=rules.reset_minutes,
            link=link,
        ),
    )


def _count(uow: UnitOfWork, rules: AccountRules, action: str, who: str, limit: int, now: datetime) -> None:
    rate_limits.count_request(
        uow, secret=rules.secret, action=action, who=who, limit=limit, now=now, field="email"
    )


def reset_is_valid(uow: UnitOfWork, token: str, now: datetime) -> bool:
    with uow:
        reset = uow.accounts.reset_by_hash(digest(token))
        return reset is not None and reset.used_at is None and reset.expires_at > now


def reset_password(uow: UnitOfWork, rules: AccountRules, *, token: str, password: str, now: datetime) -> None:
    """Set the new password, end every reset link, sign the account out everywhere (browser
    sessions and API tokens), and count the address as confirmed."""
    with uow:
        reset = uow.accounts.reset_by_hash(digest(token))
        if reset is None or reset.used_at is not None or reset.expires_at <= now:
            raise NotFound(N_("this reset link is unknown, used or expired: ask for a new one"), "token")
        user = uow.accounts.user(reset.user_id)
        assert user is not None
        check_password(password, context=(user.email, user.display_name))
        user.password_hash = rules.passwords.hash(password)
        mark_verified(user, now)
        uow.accounts.delete_resets_of(user.id)
        uow.accounts.delete_web_sessions_of(user.id)
        uow.accounts.delete_tokens_of(user.id)
        uow.commit()
