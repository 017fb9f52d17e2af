"""The member's private calendar subscription: a secret address that a calendar app polls.

The token is random, shown once and stored only as its SHA-256 digest; the member may replace it
(the old address stops working) or turn it off. The feed is the member's current plan as
iCalendar events (``exports.ical.subscription_feed``), at the member's session time in her own
time zone with an alarm before each session once she has chosen them (``services.reminders``);
an unknown or revoked token is a 404.
"""

from __future__ import annotations

from datetime import date, datetime

from bumpwise.adapters.security import digest, new_token
from bumpwise.domain.catalog import N_
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.locale import supported_languages, use_language
from bumpwise.persistence.models import CalendarFeed
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import NotFound
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.reminders import local_day

FEED_PATH = "/calendar/{token}.ics"


def feed_path(token: str) -> str:
    return FEED_PATH.replace("{token}", token)


def has_feed(uow: UnitOfWork, principal: Principal) -> bool:
    require_role(principal, Role.MEMBER)
    with uow:
        return uow.accounts.calendar_feed(principal.user_id) is not None


@unique_race_retried
def issue_feed(uow: UnitOfWork, principal: Principal, now: datetime) -> str:
    """A new secret token for the member's feed (any earlier one stops working); shown once."""
    require_role(principal, Role.MEMBER)
    token = new_token()
    with uow:
        existing = uow.accounts.calendar_feed(principal.user_id)
        if existing is not None:
            uow.accounts.delete_calendar_feed(existing)
        uow.accounts.add(CalendarFeed(user_id=principal.user_id, token_hash=digest(token), created_at=now))
        uow.commit()
    return token


def revoke_feed(uow: UnitOfWork, principal: Principal) -> None:
    require_role(principal, Role.MEMBER)
    with uow:
        existing = uow.accounts.calendar_feed(principal.user_id)
        if existing is not None:
            uow.accounts.delete_calendar_feed(existing)
            uow.commit()


def _in_members_language(uow: UnitOfWork, member_id: int, kb: KnowledgeBase) -> KnowledgeBase:
    """A calendar app asks in no language: the feed is in the one the member chose (the rest of
    the request too), else as asked."""
    user = uow.accounts.user(member_id)
    if user is None or not user.language or user.language not in supported_languages():
        return kb
    use_language(user.language)
    return default_knowledge(user.language)


def feed(uow: UnitOfWork, kb: KnowledgeBase, token: str, day: date, now: datetime) -> bytes:
    """The subscription body for the token's member; NotFound for an unknown or revoked token.
    The plan week is the one holding the member's own date in her chosen time zone (``day``, the
    server's date, until she has chosen one)."""
    from bumpwise.exports.ical import CalendarOptions, subscription_feed

    with uow:
        row = uow.accounts.calendar_feed_by_hash(digest(token))
        if row is None:
            raise NotFound(N_("no calendar at this address"), "token")
        member_id = row.user_id
        kb = _in_members_language(uow, member_id, kb)
        chosen = uow.reminders.settings(member_id)
        _, plan = plan_for(uow, kb, member_id, local_day(chosen, now, day), now)
        uow.commit()  # the plan, if it was built again
    options = CalendarOptions()
    if chosen is not None:
        options = CalendarOptions(
            start_time=chosen.session_time,
            timezone=chosen.time_zone,
            alarm_minutes=chosen.alarm_minutes_before,
        )
    return subscription_feed(
        plan,
        dtstamp=now.replace(microsecond=0),
        plan_key=f"member-{member_id}",
        headline=kb.messages.clearances[plan.clearance].headline,
        options=options,
    )
