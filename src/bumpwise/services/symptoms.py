"""Symptom check-ins: a warning sign stops the session and holds the plan until resolved; a
non-urgent symptom is planned around from the next build of the plan."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import Conflict, NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import check_reported, new_report, profile_row
from bumpwise.services.views import ReportView, TermView, report_view, term


class CheckInInput(StrictInput):
    warning_signs: list[str] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    note: str = Field(default="", max_length=1000)


class CheckInChoices(BaseModel):
    warning_signs: list[TermView]
    symptoms: list[TermView]


def check_in_choices(kb: KnowledgeBase, principal: Principal) -> CheckInChoices:
    """What a member can report at a check-in, in plain words."""
    require_role(principal, Role.MEMBER)
    return CheckInChoices(
        warning_signs=[term(kb, s) for s in kb.warning_signs], symptoms=[term(kb, s) for s in kb.symptoms]
    )


class CheckInResult(BaseModel):
    report: ReportView
    stop: bool
    headline: str
    what_to_do: str
    adapted: bool


def check_in(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, entry: CheckInInput, now: datetime
) -> CheckInResult:
    require_role(principal, Role.MEMBER)
    check_reported(kb, entry.warning_signs, entry.symptoms)
    report = new_report(principal.user_id, entry.symptoms, entry.warning_signs, entry.note.strip(), now)
    with uow:
        profile_row(uow, principal.user_id)
        uow.health.add(report)
        uow.commit()
        view = report_view(kb, report)
    return check_in_result(kb, view)


def check_in_result(kb: KnowledgeBase, view: ReportView) -> CheckInResult:
    stop = bool(view.warning_signs)
    text = kb.messages.clearances[Clearance.SEEK_CARE_NOW if stop else Clearance.CLEARED]
    return CheckInResult(
        report=view, stop=stop, headline=text.headline, what_to_do=text.next_step, adapted=bool(view.symptoms)
    )


def report_of(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, report_id: int) -> CheckInResult:
    require_role(principal, Role.MEMBER)
    with uow:
        report = uow.health.report(report_id)
        if report is None or report.user_id != principal.user_id:
            raise NotFound("no such check-in", "report_id")
        return check_in_result(kb, report_view(kb, report))


def resolve_warning(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, report_id: int, now: datetime
) -> ReportView:
    """The member says the warning sign has been checked and resolved: the plan resumes."""
    require_role(principal, Role.MEMBER)
    with uow:
        report = uow.health.report(report_id)
        if report is None or report.user_id != principal.user_id:
            raise NotFound("no such check-in", "report_id")
        if not report.has_warning:
            raise Conflict("this check-in had no warning sign to resolve", "report_id")
        if report.resolved_at is None:
            report.resolved_at = now
            uow.commit()
        return report_view(kb, report)


def list_reports(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal) -> list[ReportView]:
    require_role(principal, Role.MEMBER)
    with uow:
        return [report_view(kb, r) for r in uow.health.reports(principal.user_id, limit=100)]
