"""Limits on password guessing that a stranger cannot turn against the account's owner.

A failed sign-in is stored with an HMAC of the e-mail and one of the client address. Three counts
over the window decide the next attempt:

- the same e-mail from the same address: after ``pair_allowed`` failures that pair is refused
  until the window passes. Only the guesser's own address is shut out; the owner signing in from
  anywhere else is not.
- the same e-mail from any address (a guesser spread over many addresses), and the same address
  for any e-mail (one address spraying many accounts): past much higher thresholds, attempts are
  only spaced, one per ``slowdown_seconds``. Nothing is locked, so the owner, or everyone behind
  a shared address, waits seconds at most, while the guesser is held to a few guesses a minute.

A guesser can keep the wider counts high for as long as he likes, so they would still hold back an
owner on a fresh address. A browser that has signed in to the account before carries a device
proof (a cookie: the time it was issued and an HMAC of the e-mail and that time under the server
secret, good for ``DEVICE_DAYS``); attempts with a valid proof skip the wider counts, so the owner
on a known browser is never slowed, and on any browser can reset the password by e-mail.

A correct password clears the failures of its pair only; the other counts fade with the window.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bumpwise.adapters.security import keyed
from bumpwise.domain.catalog import N_
from bumpwise.persistence.models import LoginAttempt
from bumpwise.persistence.repositories.accounts import AccountRepository
from bumpwise.services.errors import RateLimited

DEVICE_DAYS = 90


@dataclass(frozen=True)
class SigninLimits:
    pair_allowed: int = 5
    window_seconds: int = 900
    slowdown_email: int = 20
    slowdown_client: int = 100
    slowdown_seconds: int = 10


@dataclass(frozen=True)
class SigninKeys:
    email: str
    client: str

    @classmethod
    def of(cls, secret: str, email: str, client: str) -> SigninKeys:
        return cls(keyed(secret, "signin-email", email), keyed(secret, "signin-client", client))


def device_proof(secret: str, email: str, now: datetime) -> str:
    """The cookie value that marks this browser as one the owner of ``email`` signed in from."""
    issued = str(int(now.timestamp()))
    return f"{issued}.{keyed(secret, 'signin-device', f'{email}|{issued}')}"


def is_known_device(secret: str, email: str, proof: str | None, now: datetime) -> bool:
    issued, _, mac = (proof or "").partition(".")
    if not issued.isdigit() or not hmac.compare_digest(
        mac, keyed(secret, "signin-device", f"{email}|{issued}")
    ):
        return False
    return 0 <= now.timestamp() - int(issued) <= DEVICE_DAYS * 86400


def check_allowed(
    repo: AccountRepository,
    limits: SigninLimits,
    keys: SigninKeys,
    now: datetime,
    *,
    known_device: bool = False,
) -> None:
    """RateLimited when this attempt must wait; say nothing about whether the password is right."""
    since = now - timedelta(seconds=limits.window_seconds)
    pair, latest_pair = repo.failures_since(since, email_key=keys.email, client_key=keys.client)
    if pair >= limits.pair_allowed and latest_pair is not None:
        raise RateLimited(
            N_(
                "too many failed sign-ins for this e-mail from here: wait a few minutes, or reset the password"  # noqa: E501
            ),
            _seconds_left(latest_pair + timedelta(seconds=limits.window_seconds), now),
        )
    if known_device:
        return
    for count_keys, threshold in (
        ({"email_key": keys.email}, limits.slowdown_email),
        ({"client_key": keys.client}, limits.slowdown_client),
    ):
        count, latest = repo.failures_since(since, **count_keys)
        spaced_until = None if latest is None else latest + timedelta(seconds=limits.slowdown_seconds)
        if count >= threshold and spaced_until is not None and spaced_until > now:
            raise RateLimited(
                N_("many failed sign-ins lately: wait a few seconds and try again"),
                _seconds_left(spaced_until, now),
            )


def record_failure(
    repo: AccountRepository, limits: SigninLimits, keys: SigninKeys, user_id: int | None, now: datetime
) -> None:
    repo.forget_failures_before(now - timedelta(seconds=limits.window_seconds))
    repo.add(LoginAttempt(email_key=keys.email, client_key=keys.client, user_id=user_id, attempted_at=now))


def record_success(repo: AccountRepository, keys: SigninKeys) -> None:
    repo.clear_failures(keys.email, keys.client)


def _seconds_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))
