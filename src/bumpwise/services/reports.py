"""Progress you can see, and workouts to print and put in a calendar (issue 6), for the web app.

The member's own data, or a client's for a coach holding the member's grant (``clients.client_access``,
and every such read is audited). The data is gathered inside a unit of work; the documents are
drawn by ``bumpwise.exports`` after it is closed. ``bumpwise.exports.pdf`` (and so WeasyPrint) is
imported inside the functions that print, once per worker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bumpwise.domain import audit_events
from bumpwise.domain.audit_events import AuditEvent
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.exports.branding import Branding
from bumpwise.exports.csv_json import log_from_records, logs_json, sessions_csv, symptoms_csv
from bumpwise.exports.summary import MAX_WEEKS, MIN_WEEKS, Summary, summarize
from bumpwise.persistence.base import row_data
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.branding import branding_of
from bumpwise.services.branding import preview as branding_preview
from bumpwise.services.clients import client_access
from bumpwise.services.coaching import record_reads
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role, require_role

if TYPE_CHECKING:
    from bumpwise.exports.logs import ActivityLog
    from bumpwise.services.free_workout import FreeWorkout

__all__ = ["MAX_WEEKS", "MIN_WEEKS", "Download", "Export", "download", "summary"]

HISTORY = timedelta(weeks=MAX_WEEKS + 1)
READ_SUMMARY = AuditEvent(audit_events.WEEKLY_SUMMARY)
SAMPLE_WEEK = 20


class Export(StrEnum):
    """The downloads, by file name; the value is also the audit wording for a coach's download."""

    TODAY_PDF = "today.pdf"
    WEEK_PDF = "week.pdf"
    SUMMARY_PDF = "summary.pdf"
    PLAN_ICS = "plan.ics"
    SESSIONS_CSV = "sessions.csv"
    SYMPTOMS_CSV = "symptoms.csv"
    LOGS_JSON = "logs.json"


MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}


@dataclass(frozen=True)
class Download:
    body: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Gathered:
    """What one member's documents are drawn from, read in one unit of work."""

    member_id: int
    plan: PlanDocument
    log: ActivityLog
    branding: Branding


# --- reading --------------------------------------------------------------------------------


def gather(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    day: date,
    now: datetime,
    *,
    member_id: int | None = None,
    action: AuditEvent = READ_SUMMARY,
) -> Gathered:
    """The member's own data (``member_id`` None), or a client's, the read audited."""
    with uow:
        subject = _subject(uow, principal, member_id)
        _, plan = plan_for(uow, kb, subject, day, now)
        gathered = Gathered(
            subject, plan, _activity_log(uow, subject, day), _branding(uow, principal, subject)
        )
        if member_id is not None:
            record_reads(uow, principal, [subject], action, now)
        uow.commit()  # the audit entry, and the plan if it was built again
    return gathered


def _subject(uow: UnitOfWork, principal: Principal, member_id: int | None) -> int:
    if member_id is None:
        return require_role(principal, Role.MEMBER).user_id
    return client_access(uow, principal, member_id).id


def _activity_log(uow: UnitOfWork, user_id: int, day: date) -> ActivityLog:
    profile = uow.health.profile(user_id)
    since = day - HISTORY
    reports = [r for r in uow.health.reports(user_id, limit=2_000) if r.reported_at.date() >= since]
    return log_from_records(
        profile=row_data(profile) if profile is not None else None,
        session_logs=[row_data(x) for x in uow.health.logs(user_id, since=since, limit=2_000)],
        symptom_reports=[row_data(r) for r in reports],
    )


def _branding(uow: UnitOfWork, principal: Principal, member_id: int) -> Branding:
    """The coach whose name, logo and colour are printed: the caller if a coach, else the
    member's most recent coach; none, and the default colour, without a coach."""
    if principal.role == Role.COACH:
        return branding_of(uow, principal.user_id, principal.display_name)
    coaches = uow.coaching.coaches_of(member_id)
    if not coaches:
        return Branding()
    coach = coaches[-1][1]
    return branding_of(uow, coach.id, coach.display_name)


# --- the summary ----------------------------------------------------------------------------


def summary(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    day: date,
    now: datetime,
    *,
    weeks: int = MIN_WEEKS,
    member_id: int | None = None,
) -> Summary:
    """This week and the ``weeks - 1`` before it (4 to 12), with adherence to the stored plan."""
    gathered = gather(uow, kb, principal, day, now, member_id=member_id)
    return _summarize(gathered, kb, day, weeks)


def _summarize(gathered: Gathered, kb: KnowledgeBase, day: date, weeks: int) -> Summary:
    return summarize(gathered.log, kb, weeks=weeks, until=day, plan=gathered.plan)


# --- downloads ------------------------------------------------------------------------------


def download(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    export: Export,
    day: date,
    now: datetime,
    *,
    member_id: int | None = None,
    weeks: int = MIN_WEEKS,
    index: int = 0,
    link: str | None = None,
) -> Download:
    """One export of the member's own data, or of a client's (the download audited); PDFs print
    ``link``, the app's address, under the title."""
    action = audit_events.downloaded(export.value)
    gathered = gather(uow, kb, principal, day, now, member_id=member_id, action=action)
    gathered = replace(gathered, branding=replace(gathered.branding, link=link))
    body = _draw(gathered, kb, export, day, now, weeks=weeks, index=index)
    suffix = export.value[export.value.rindex(".") :]
    name = export.value.replace(".", f"-{gathered.member_id}.", 1) if member_id is not None else export.value
    return Download(body, MEDIA_TYPES[suffix], f"bumpwise-{name}")


def _draw(
    gathered: Gathered, kb: KnowledgeBase, export: Export, day: date, now: datetime, *, weeks: int, index: int
) -> bytes:
    if export is Export.SESSIONS_CSV:
        return sessions_csv(gathered.log).encode("utf-8")
    if export is Export.SYMPTOMS_CSV:
        return symptoms_csv(gathered.log).encode("utf-8")
    if export is Export.LOGS_JSON:
        import json

        return json.dumps(logs_json(gathered.log), indent=2, ensure_ascii=False).encode("utf-8")
    if export is Export.PLAN_ICS:
        return plan_calendar(gathered.plan, kb, gathered.member_id, now)
    return _pdf(gathered, kb, export, day, weeks=weeks, index=index)


def _pdf(
    gathered: Gathered, kb: KnowledgeBase, export: Export, day: date, *, weeks: int, index: int
) -> bytes:
    from bumpwise.exports import pdf

    brand = gathered.branding
    if export is Export.SUMMARY_PDF:
        return pdf.summary_pdf(_summarize(gathered, kb, day, weeks), kb, branding=brand)
    today = gathered.plan.day_on(day)
    if export is Export.TODAY_PDF and today is not None and today.sessions:
        return pdf.session_pdf(gathered.plan, kb, on=day, index=index, branding=brand)
    # The week, or a day without a session: the plan says what there is to do instead.
    return pdf.plan_pdf(gathered.plan, kb, branding=brand)


def plan_calendar(plan: PlanDocument, kb: KnowledgeBase, member_id: int, now: datetime) -> bytes:
    from bumpwise.exports.ical import plan_ics

    return plan_ics(
        plan,
        dtstamp=now.replace(microsecond=0),
        plan_key=f"member-{member_id}",
        headline=kb.messages.clearances[plan.clearance].headline,
    )


def branding_sample(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    principal: Principal,
    day: date,
    now: datetime,
    *,
    link: str | None = None,
) -> Download:
    """A coach's branding on a real document (the free workout at week 20), to check it prints well."""
    from bumpwise.exports import pdf
    from bumpwise.services.free_workout import FreeWorkoutInput, free_workout

    brand = replace(branding_preview(uow, principal), link=link)
    workout = free_workout(uow, kb, FreeWorkoutInput(weeks=SAMPLE_WEEK), day, now)
    body = pdf.free_workout_pdf(workout, kb, branding=brand)
    return Download(body, MEDIA_TYPES[".pdf"], "bumpwise-sample.pdf")


def free_workout_pdf(kb: KnowledgeBase, workout: FreeWorkout) -> bytes:
    """The public free workout, printed."""
    from bumpwise.exports import pdf

    return pdf.free_workout_pdf(workout, kb)
