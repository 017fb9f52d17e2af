"""Planned sessions as an iCalendar file (RFC 5545), written by the icalendar library.

Each planned session is one event: it starts on its day at ``start_time`` (sessions of the same
day follow one another), lasts the session's minutes, has the session title as SUMMARY and the
exercises with their doses, changes and the disclaimer as DESCRIPTION. Times are *floating*
(no time zone) unless a zone is given: a workout at 07:00 stays at 07:00 wherever the person is.

With ``alarm_minutes`` each session event carries a VALARM (ACTION:DISPLAY) that many minutes
before its start: the member's reminder, chosen on the reminders page.

UIDs are stable: ``{plan_key}-{YYYYMMDD}-{n}-{kind}@bumpwise`` for the n-th session of a day, so
exporting or refreshing the same plan again updates events instead of adding copies, and a week
that is rebuilt (a new symptom, a coach's swap) replaces that day's events. ``dtstamp`` comes in:
nothing here reads the clock, so the same plan gives the same bytes.

A plan without sessions (not cleared, or held by a warning sign) becomes one all-day event on the
day of ``dtstamp`` that says what to do instead, so a subscribed calendar shows why the workouts
stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.contract import PlanDocument, PlanIntensity, PlanSession, PlanWeek
from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import SessionKind

if TYPE_CHECKING:
    from icalendar import Alarm, Calendar, Event

PRODID = "-//bumpwise//planned sessions//EN"
DEFAULT_START = time(7, 0)
DEFAULT_REFRESH = timedelta(hours=6)
UID_DOMAIN = "bumpwise"


@dataclass(frozen=True)
class CalendarOptions:
    """How the sessions are placed: the first session's start time on each day, an optional IANA
    time zone (default floating local time), whether the daily pelvic floor sessions are events,
    and an optional alarm before each session."""

    start_time: time = DEFAULT_START
    timezone: str | None = None
    pelvic_floor: bool = True
    name: str = N_("bumpwise workouts")
    alarm_minutes: int | None = None
    """Each session gets an alarm (VALARM) this many minutes before it starts; None: no alarm."""

    def zone(self) -> ZoneInfo | None:
        if self.timezone is None:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"{self.timezone!r} is not an IANA time zone such as Europe/London"
            raise InputError("timezone", message) from None


def plan_ics(
    plan: PlanDocument,
    *,
    dtstamp: datetime,
    plan_key: str,
    headline: str = "",
    options: CalendarOptions | None = None,
) -> bytes:
    """A one-off ``.ics`` file of the plan (METHOD:PUBLISH). ``headline`` titles the single
    notice event of a plan without sessions (the clearance headline)."""
    calendar = _calendar(plan, dtstamp=dtstamp, plan_key=plan_key, headline=headline, options=options)
    calendar.add("method", "PUBLISH")
    return bytes(calendar.to_ical())


def subscription_feed(
    plan: PlanDocument,
    *,
    dtstamp: datetime,
    plan_key: str,
    headline: str = "",
    options: CalendarOptions | None = None,
    refresh: timedelta = DEFAULT_REFRESH,
) -> bytes:
    """The body of a member's private calendar subscription: the same events, with a refresh
    interval (RFC 7986 REFRESH-INTERVAL and the widely read X-PUBLISHED-TTL). The web app serves it
    as ``text/calendar`` at a URL holding a revocable secret token; see docs in the reply."""
    calendar = _calendar(plan, dtstamp=dtstamp, plan_key=plan_key, headline=headline, options=options)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", refresh)
    return bytes(calendar.to_ical())


def _calendar(
    plan: PlanDocument, *, dtstamp: datetime, plan_key: str, headline: str, options: CalendarOptions | None
) -> Calendar:
    from icalendar import Calendar

    chosen = options or CalendarOptions()
    _check_stamp(dtstamp)
    _check_key(plan_key)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", _(chosen.name))
    calendar.add("x-wr-calname", _(chosen.name))
    calendar.add("x-wr-caldesc", plan.disclaimer)
    events = list(session_events(plan, dtstamp=dtstamp, plan_key=plan_key, options=chosen))
    if not events:
        events = [_notice_event(plan, dtstamp=dtstamp, plan_key=plan_key, headline=headline)]
    for event in events:
        calendar.add_component(event)
    if chosen.timezone is not None and plan.weeks:
        calendar.add_missing_timezones()
    return calendar


def session_events(
    plan: PlanDocument, *, dtstamp: datetime, plan_key: str, options: CalendarOptions
) -> Iterator[Event]:
    zone = options.zone()
    for week in plan.weeks:
        for day in week.days:
            when = datetime.combine(day.date, options.start_time, tzinfo=zone)
            for index, session in enumerate(day.sessions):
                if session.kind is SessionKind.PELVIC_FLOOR and not options.pelvic_floor:
                    continue
                event = _event(session, week, when, index, dtstamp, plan_key, plan.disclaimer)
                if options.alarm_minutes is not None:
                    event.add_component(_alarm(session, options.alarm_minutes))
                yield event
                when += timedelta(minutes=session.minutes)


def _alarm(session: PlanSession, minutes: int) -> Alarm:
    """A display alarm (RFC 5545 VALARM) ``minutes`` before the session starts."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description", _("%(title)s: check in first, then start when you feel well.", title=session.title)
    )
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _event(
    session: PlanSession,
    week: PlanWeek,
    start: datetime,
    index: int,
    dtstamp: datetime,
    plan_key: str,
    disclaimer: str,
) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{plan_key}-{start:%Y%m%d}-{index}-{session.kind.value}@{UID_DOMAIN}")
    event.add("dtstamp", dtstamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.minutes))
    event.add("summary", session.title)
    event.add("description", session_description(session, week, disclaimer))
    event.add("categories", [session.kind.value.replace("_", " ")])
    return event


def session_description(session: PlanSession, week: PlanWeek, disclaimer: str) -> str:
    """Plain text: effort, each exercise with its dose and changes, the week's notes, the disclaimer."""
    effort = _effort(session.intensity)
    stage = week.stage[:1].upper() + week.stage[1:]
    lines = [
        _(
            "%(stage)s. About %(minutes)s minutes, %(effort)s.",
            stage=stage,
            minutes=session.minutes,
            effort=effort,
        ),
        "",
    ]
    for item in session.items:
        lines.append(f"- {item.exercise.name}: {item.dose.text}")
        lines.extend("  " + _("Change: %(change)s", change=change) for change in item.modifications)
        if item.exercise.attribution is not None:
            lines.append(f"  {item.exercise.attribution.line()}")
    for change in week.changes:
        lines.extend(["", _("This week: %(change)s", change=change)])
    lines.extend(["", disclaimer])
    return "\n".join(lines)


def _effort(intensity: PlanIntensity) -> str:
    low, high = intensity.rpe
    rpe = f"RPE {low}–{high}, " if low is not None else ""
    return _(
        "%(label)s effort (%(rpe)s%(talk_test)s)",
        label=_(intensity.label),
        rpe=rpe,
        talk_test=intensity.talk_test,
    )


def _notice_event(plan: PlanDocument, *, dtstamp: datetime, plan_key: str, headline: str) -> Event:
    from icalendar import Event

    day = dtstamp.date()
    reasons = [f"- {r.text} [{', '.join(r.sources)}]" for r in plan.reasons]
    event = Event()
    event.add("uid", f"{plan_key}-{day:%Y%m%d}-notice@{UID_DOMAIN}")
    event.add("dtstamp", dtstamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", headline or _("No workouts planned"))
    event.add("description", "\n".join([plan.next_step, "", *reasons, "", plan.disclaimer]))
    event.add("transp", "TRANSPARENT")
    return event


def _check_stamp(dtstamp: datetime) -> None:
    if dtstamp.tzinfo is None or dtstamp.utcoffset() != timedelta(0):
        raise InputError("dtstamp", "must be a UTC datetime (RFC 5545 DTSTAMP)")


def _check_key(plan_key: str) -> None:
    if not plan_key or not all(c.isalnum() or c in "-_." for c in plan_key) or len(plan_key) > 64:
        raise InputError("plan_key", "must be 1 to 64 letters, digits, '-', '_' or '.'")
