"""Symptom check-ins: a warning sign stops the session and holds the plan until resolved; a
non-urgent symptom is planned around from the next build of the plan."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from bumpwise.domain.catalog import N_
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance, Delivery, StageKind
from bumpwise.persistence.models import SymptomReport
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import Conflict, NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.profiles import check_reported, new_report, profile_row, stage_of
from bumpwise.services.views import ReportView, TermView, report_view, stage_terms, term


class CheckInInput(StrictInput):
    warning_signs: list[str] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    note: str = Field(default="", max_length=1000)


class CheckInChoices(BaseModel):
    warning_signs: list[TermView]
    symptoms: list[TermView]


def check_in_choices(uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, today: date) -> CheckInChoices:
    """What a member can report at a check-in at her stage now, in that stage's words."""
    require_role(principal, Role.MEMBER)
    with uow:
        stage = member_stage(uow, principal.user_id, today)
        return stage_choices(kb, stage, member_delivery(uow, principal.user_id))


def stage_choices(
    kb: KnowledgeBase, stage: StageKind | None, delivery: Delivery | None = None
) -> CheckInChoices:
    """The warning signs and symptoms of a stage and kind of birth (every one, in default words,
    without a stage)."""
    if stage is None:
        return CheckInChoices(
            warning_signs=[term(kb, s) for s in kb.warning_signs], symptoms=[term(kb, s) for s in kb.symptoms]
        )
    return CheckInChoices(
        warning_signs=stage_terms(kb, kb.warning_signs, stage, delivery),
        symptoms=stage_terms(kb, kb.symptoms, stage, delivery),
    )


def member_delivery(uow: UnitOfWork, user_id: int) -> Delivery | None:
    """Inside an open unit of work: how the member gave birth, None before the birth."""
    row = uow.health.profile(user_id)
    return None if row is None or row.delivery is None else Delivery(row.delivery)


def member_stage(uow: UnitOfWork, user_id: int, day: date) -> StageKind | None:
    """Inside an open unit of work: the member's stage kind on ``day`` (pregnant before a
    recorded birth date), None before onboarding."""
    row = uow.health.profile(user_id)
    if row is None:
        return None
    if row.birth_date is not None and day < row.birth_date:
        return StageKind.PREGNANT
    return StageKind(row.stage_kind)


def worded_report(uow: UnitOfWork, kb: KnowledgeBase, report: SymptomReport) -> ReportView:
    """Inside an open unit of work: a check-in in the words of the stage it was made at."""
    return report_view(kb, report, member_stage(uow, report.user_id, report.reported_at.date()))


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
    with uow:
        row = profile_row(uow, principal.user_id)
        stage = StageKind(stage_of(row, now.date()).kind)
        delivery = Delivery(row.delivery) if row.delivery else None
        check_reported(kb, entry.warning_signs, entry.symptoms, stage, delivery)
        report = new_report(principal.user_id, entry.symptoms, entry.warning_signs, entry.note.strip(), now)
        uow.health.add(report)
        uow.commit()
        view = report_view(kb, report, stage)
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
        return check_in_result(kb, worded_report(uow, kb, _own_report(uow, principal, report_id)))


def resolve_warning(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, report_id: int, now: datetime
) -> ReportView:
    """The member says the warning sign has been checked and resolved: the plan resumes."""
    require_role(principal, Role.MEMBER)
    with uow:
        report = _own_report(uow, principal, report_id)
        if not report.has_warning:
            raise Conflict(N_("this check-in had no warning sign to resolve"), "report_id")
        if report.resolved_at is None:
            report.resolved_at = now
            uow.commit()
        return worded_report(uow, kb, report)


def _own_report(uow: UnitOfWork, principal: Principal, report_id: int) -> SymptomReport:
    report = uow.health.report(report_id)
    if report is None or report.user_id != principal.user_id:
        raise NotFound(N_("no such check-in"), "report_id")
    return report


def list_reports(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, *, limit: int = 100, offset: int = 0
) -> list[ReportView]:
    """The member's check-ins, newest first, a page at a time (at most 500)."""
    require_role(principal, Role.MEMBER)
    with uow:
        rows = uow.health.reports(principal.user_id, limit=min(limit, 500), offset=offset)
        return [worded_report(uow, kb, r) for r in rows]
