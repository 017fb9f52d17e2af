"""Reminders: the member's time zone and session time (which place the calendar feed's events and
their alarms), and the optional e-mails: a reminder on each day with a session, and a weekly
summary. The e-mails go out from ``bumpwise mail send-due`` (cron), never while a page is served;
a ``MailSent`` marker per member, kind and day (or week) makes a second run send nothing.

Every e-mail carries a one-click unsubscribe (RFC 8058): the link holds the member's id and the
kind of mail, signed with the server's secret, so it needs no stored token and works once signed
out. Mail goes only to a confirmed address: an unconfirmed one may be someone else's, and these
messages say a person is pregnant or has just given birth.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema, field_validator

from bumpwise.adapters.mail import Deliver, Letter, redacted_address, send_mail
from bumpwise.domain.catalog import N_, _, format_day, format_long_date
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.locale import ENGLISH, language, supported_languages
from bumpwise.domain.vocab import SessionKind
from bumpwise.persistence.models import ReminderSettings
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import view_of

log = logging.getLogger("bumpwise.mail")

MailKind = Literal["reminder", "summary"]
KINDS: tuple[MailKind, ...] = ("reminder", "summary")
KIND_FIELD: dict[MailKind, str] = {"reminder": "email_reminders", "summary": "weekly_summary"}
KIND_WORDS: dict[MailKind, str] = {"reminder": N_("session reminders"), "summary": N_("the weekly summary")}
ALARM_CHOICES = (0, 5, 10, 15, 30, 60, 120)
DEFAULT_ZONE = "UTC"
DEFAULT_TIME = time(7, 0)
DEFAULT_ALARM = 30
UNSUBSCRIBE_PATH = "/unsubscribe/mail/"
ONE_CLICK = "List-Unsubscribe=One-Click"
SUBJECT_LENGTH = 60


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class ReminderInput(StrictInput):
    time_zone: str = Field(max_length=64, description="an IANA time zone name, such as Europe/London")
    session_time: time = Field(description="when you usually train, in your time zone (HH:MM)")
    alarm_minutes_before: int | None = Field(
        default=DEFAULT_ALARM,
        description=f"calendar alarm before each session: one of {ALARM_CHOICES}, or null",
    )
    email_reminders: bool = False
    weekly_summary: bool = False

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in time_zones():
            raise ValueError(
                _(
                    "%(value)r is not a time zone name; use one such as Europe/London or America/Chicago",
                    value=value,
                )
            )
        return value

    @field_validator("alarm_minutes_before")
    @classmethod
    def _alarm_choice(cls, value: int | None) -> int | None:
        if value is not None and value not in ALARM_CHOICES:
            raise ValueError(
                _(
                    "must be one of %(choices)s minutes, or empty for no alarm",
                    choices=", ".join(map(str, ALARM_CHOICES)),
                )
            )
        return value


ClockTime = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, mode="serialization"),
]
"""A time of day as ``HH:MM`` on the wire (JSON Schema's ``time`` format wants an offset)."""


class ReminderView(BaseModel):
    time_zone: str
    session_time: ClockTime
    alarm_minutes_before: int | None
    email_reminders: bool
    weekly_summary: bool
    saved: bool
    """False: nothing chosen yet, these are the defaults (the feed then has floating times, no alarm)."""


def _view(row: ReminderSettings | None) -> ReminderView:
    if row is None:
        return ReminderView(
            time_zone=DEFAULT_ZONE,
            session_time=DEFAULT_TIME,
            alarm_minutes_before=DEFAULT_ALARM,
            email_reminders=False,
            weekly_summary=False,
            saved=False,
        )
    return view_of(ReminderView, row, saved=True)


def reminder_settings(uow: UnitOfWork, principal: Principal) -> ReminderView:
    require_role(principal, Role.MEMBER)
    with uow:
        return _view(uow.reminders.settings(principal.user_id))


def save_reminders(
    uow: UnitOfWork, principal: Principal, entry: ReminderInput, now: datetime
) -> ReminderView:
    require_role(principal, Role.MEMBER)
    values = {
        "time_zone": entry.time_zone,
        "session_time": entry.session_time.replace(second=0, microsecond=0, tzinfo=None),
        "alarm_minutes_before": entry.alarm_minutes_before,
        "email_reminders": entry.email_reminders,
        "weekly_summary": entry.weekly_summary,
        "updated_at": now,
    }
    with uow:
        row = uow.reminders.settings(principal.user_id)
        if row is None:
            row = ReminderSettings(user_id=principal.user_id, **values)
            uow.reminders.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        uow.commit()
        return _view(row)


def stored_settings(uow: UnitOfWork, user_id: int) -> ReminderSettings | None:
    """Inside an open unit of work: the member's saved settings, if any (the calendar feed)."""
    return uow.reminders.settings(user_id)


# ---------- one-click unsubscribe ----------


def local_day(row: ReminderSettings | None, now: datetime, fallback: date) -> date:
    """The member's date at ``now`` in her chosen time zone; ``fallback`` (the server's date) until
    she has chosen one. Near midnight the two differ, and with them the plan week and day."""
    if row is None:
        return fallback
    return now.astimezone(ZoneInfo(row.time_zone)).date()


def unsubscribe_token(secret: str, user_id: int, kind: MailKind) -> str:
    return f"{user_id}.{kind}.{_signature(secret, user_id, kind)}"


def _signature(secret: str, user_id: int, kind: str) -> str:
    message = f"unsubscribe:{user_id}:{kind}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def _token_parts(secret: str, token: str) -> tuple[int, MailKind]:
    user, _, rest = token.partition(".")
    kind, _, signature = rest.partition(".")
    if not user.isdigit() or kind not in KINDS or len(user) > 12:
        raise NotFound(N_("this unsubscribe link is not valid"), "token")
    if not hmac.compare_digest(signature, _signature(secret, int(user), kind)):
        raise NotFound(N_("this unsubscribe link is not valid"), "token")
    return int(user), kind


def unsubscribe_kind(secret: str, token: str) -> MailKind:
    """What the link would stop (NotFound for a link that was not made here)."""
    return _token_parts(secret, token)[1]


def unsubscribe(uow: UnitOfWork, secret: str, token: str, now: datetime) -> MailKind:
    """Turn that kind of mail off for the link's member; doing it twice changes nothing more."""
    user_id, kind = _token_parts(secret, token)
    with uow:
        row = uow.reminders.settings(user_id)
        if row is not None and getattr(row, KIND_FIELD[kind]):
            setattr(row, KIND_FIELD[kind], False)
            row.updated_at = now
            uow.commit()
    return kind


# ---------- sending what is due (the cron command) ----------


@dataclass(frozen=True)
class Outgoing:
    user_id: int
    to: str
    kind: MailKind
    period: date
    subject: str
    body: str
    lang: str = "en"
    """The member's language: the mail is written, and its footer added, in it."""


@dataclass
class SendReport:
    sent: dict[str, int]
    failed: int = 0

    def text(self) -> str:
        return (
            f"sent {self.sent.get('reminder', 0)} reminder(s) and {self.sent.get('summary', 0)} weekly "
            f"summary(ies); {self.failed} failed (they are tried again on the next run)"
        )


def send_due(
    uow: UnitOfWork, kb: KnowledgeBase, deliver: Deliver, *, base_url: str, secret: str, now: datetime
) -> SendReport:
    """Every reminder and summary due at ``now``, each sent once: the marker is committed before
    the message goes, and removed again when sending fails so that the next run retries."""
    report = SendReport(sent={kind: 0 for kind in KINDS})
    for outgoing in due_mail(uow, kb, base_url=base_url, now=now):
        if not _claim(uow, outgoing, now):
            continue
        try:
            _deliver(deliver, outgoing, base_url, secret)
        except Exception as exc:  # a mail server's refusal, a timeout: try again next run
            log.warning(
                "Could not send %s to %s: %s",
                outgoing.kind,
                redacted_address(outgoing.to),
                type(exc).__name__,
            )
            _release(uow, outgoing)
            report.failed += 1
        else:
            report.sent[outgoing.kind] += 1
    return report


def due_mail(uow: UnitOfWork, kb: KnowledgeBase, *, base_url: str, now: datetime) -> list[Outgoing]:
    with uow:
        wanted = [(row, uow.accounts.user(row.user_id)) for row in uow.reminders.mail_wanted()]
    due: list[Outgoing] = []
    for row, user in wanted:
        if user is None or user.email_verified_at is None or user.role != Role.MEMBER.value:
            continue
        local = now.astimezone(ZoneInfo(row.time_zone))
        if not _time_has_come(row, local):
            continue
        lang = user.language if user.language in supported_languages() else ENGLISH
        for kind, build in _BUILDERS.items():
            if getattr(row, KIND_FIELD[kind]):
                period = _period(kind, local.date())
                with uow:
                    if uow.reminders.sent(row.user_id, kind, period):
                        continue
                    try:
                        with language(lang):
                            found = build(
                                uow, default_knowledge(lang), row.user_id, local.date(), now, base_url
                            )
                    except NotFound:  # not onboarded yet: nothing to remind of
                        continue
                if found is not None:
                    due.append(Outgoing(row.user_id, user.email, kind, period, *found, lang=lang))
    return due


def _time_has_come(row: ReminderSettings, local: datetime) -> bool:
    lead = timedelta(minutes=row.alarm_minutes_before or 0)
    start = datetime.combine(local.date(), row.session_time, tzinfo=local.tzinfo) - lead
    return local >= start or start.date() != local.date()


def _period(kind: MailKind, day: date) -> date:
    return day if kind == "reminder" else day - timedelta(days=day.weekday())


def _claim(uow: UnitOfWork, outgoing: Outgoing, now: datetime) -> bool:
    """False when another run marked this mail first."""
    with uow:
        claimed = uow.reminders.claim_mail(outgoing.user_id, outgoing.kind, outgoing.period, now)
        uow.commit()
    return claimed


def _release(uow: UnitOfWork, outgoing: Outgoing) -> None:
    with uow:
        uow.reminders.forget(outgoing.user_id, outgoing.kind, outgoing.period)
        uow.commit()


def _deliver(deliver: Deliver, outgoing: Outgoing, base_url: str, secret: str) -> None:
    link = f"{base_url}{UNSUBSCRIBE_PATH}{unsubscribe_token(secret, outgoing.user_id, outgoing.kind)}"
    with language(outgoing.lang):
        stop = _("Stop %(words)s: %(link)s", words=_(KIND_WORDS[outgoing.kind]), link=link)
    body = f"{outgoing.body}\n\n{stop}\n"
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": ONE_CLICK}
    send_mail(deliver, Letter(outgoing.to, outgoing.subject, body, headers=headers))


def _reminder(
    uow: UnitOfWork, kb: KnowledgeBase, user_id: int, day: date, now: datetime, base_url: str
) -> tuple[str, str] | None:
    """Today's sessions, or nothing when there is none or the plan is on hold."""
    state, plan = plan_for(uow, kb, user_id, day, now)
    today = plan.day_on(day)
    sessions = [] if state.held or today is None else list(today.sessions)
    if not sessions:
        return None
    lines = [_("- %(title)s, about %(minutes)s minutes", title=s.title, minutes=s.minutes) for s in sessions]
    body = "\n".join(
        [
            _("Today's plan (%(day)s):", day=format_day(day)),
            *lines,
            "",
            _("Check in first: %(link)s", link=base_url + "/check-in"),
            _("Then start, one exercise at a time: %(link)s", link=base_url + "/today/play"),
            "",
            _("Stop at once and seek care if a warning sign appears."),
            "",
            plan.disclaimer,
        ]
    )
    return _subject(_("Today: %(title)s", title=sessions[0].title), len(sessions) - 1), body


def _subject(text: str, more: int) -> str:
    """Short enough for one line (a folded subject shows a leading space in some readers)."""
    tail = " " + _("+%(more)s more", more=more) if more else ""
    room = SUBJECT_LENGTH - len(tail)
    return (text if len(text) <= room else text[: room - 1].rstrip(" ,:") + "…") + tail


def _summary(
    uow: UnitOfWork, kb: KnowledgeBase, user_id: int, day: date, now: datetime, base_url: str
) -> tuple[str, str] | None:
    """Last week's logs and this week's plan (or why it is on hold)."""
    state, plan = plan_for(uow, kb, user_id, day, now)
    since = day - timedelta(days=7)
    logs = [x for x in uow.health.logs(user_id, since=since, limit=100) if x.session_date < day]
    minutes = sum(x.minutes or 0 for x in logs)
    efforts = [x.rpe for x in logs if x.rpe is not None]
    effort = (
        _(", average effort %(rpe)s out of 20", rpe=format(sum(efforts) / len(efforts), ".0f"))
        if efforts
        else ""
    )
    logged = _(
        "The last 7 days: %(count)s session(s) logged, %(minutes)s minutes%(effort)s.",
        count=len(logs),
        minutes=minutes,
        effort=effort,
    )
    lines = [logged, ""]
    lines += _week_lines(state.held, plan)
    lines += ["", _("Your week: %(link)s", link=base_url + "/week"), "", plan.disclaimer]
    return _("Your week of %(day)s", day=format_long_date(day)), "\n".join(lines)


def _week_lines(held: bool, plan: PlanDocument) -> list[str]:
    week = plan.current_week
    if held or week is None:
        # Why it is on hold is health data: the mail says only where to read it.
        return [_("Your plan is paused this week. Open bumpwise to see why and what to do next.")]
    planned = [
        f"- {format_day(d.date, short=True)}: {s.title} ({_('%(minutes)s min', minutes=s.minutes)})"
        for d in week.days
        for s in d.sessions
        if s.kind is not SessionKind.PELVIC_FLOOR
    ]
    return [_("This week:"), *(planned or [_("- Pelvic floor practice each day.")])]


_BUILDERS: dict[MailKind, Callable[..., tuple[str, str] | None]] = {
    "reminder": _reminder,
    "summary": _summary,
}
