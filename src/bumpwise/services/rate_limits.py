"""Request limits kept in the database, so every app process counts the same requests.

Each counted request is a row keyed by the action and an HMAC of who asked (a client address or
an e-mail); rows older than the window are pruned as new ones come, the oldest first, a few at a
time. Counting and adding are not one atomic step: two processes can each let one request past
the limit at the same moment, which a limit meant to stop floods can live with. For the same
reason a count is committed without waiting for the disk (``UnitOfWork.not_durable``): a count
lost to a power cut lets one request more through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bumpwise.adapters.security import keyed
from bumpwise.domain.catalog import _, ngettext
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import RateLimited

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class RequestLimits:
    """Requests allowed per client address per hour (reset requests also per e-mail)."""

    signups_per_hour: int = 10
    reset_requests_per_hour: int = 10
    resets_per_email_per_hour: int = 3
    free_pdfs_per_hour: int = 30
    free_workouts_per_hour: int = 60


def count_request(
    uow: UnitOfWork, *, secret: str, action: str, who: str, limit: int, now: datetime, field: str = ""
) -> None:
    """Count one ``action`` by ``who``; RateLimited (429 with Retry-After) once ``limit`` is reached."""
    key = f"{action}:{keyed(secret, 'rate-limit', who)}"[:80]
    since = now - HOUR
    with uow:
        uow.not_durable()
        repo = uow.accounts
        count, oldest = repo.hits_since(key, since)
        if count >= limit:
            wait = HOUR - (now - oldest) if oldest is not None else HOUR
            raise RateLimited(
                _("too many requests of this kind from here: try again in %(wait)s", wait=_minutes(wait)),
                max(1, math.ceil(wait.total_seconds())),
                field,
            )
        repo.forget_hits_before(since)
        repo.count_hit(key, now)
        uow.commit()


def _minutes(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)
