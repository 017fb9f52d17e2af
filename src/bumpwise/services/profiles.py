"""Onboarding and the member's profile: details, screening answers, and the state plans start from.

The stored profile keeps dates, never a week: ``member_state`` derives today's stage week, adds
the symptoms of the latest check-in and every unresolved warning sign, and checks the result with
the domain's ``parse_profile``, so nothing the domain would refuse is ever planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile, parse_profile
from bumpwise.domain.readiness import running_readiness
from bumpwise.domain.screening import Screening, screen
from bumpwise.domain.stage import StageNow, check_dates, stage_now
from bumpwise.domain.vocab import ActivityLevel, Delivery, Equipment, StageKind
from bumpwise.persistence.models import MemberProfile, SymptomReport
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.ports import PlanUnitOfWork
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import view_of


class DetailsInput(StrictInput):
    stage_kind: StageKind
    due_date: date | None = None
    birth_date: date | None = None
    delivery: Delivery | None = None
    activity_level: ActivityLevel = ActivityLevel.INACTIVE
    equipment: list[Equipment] = Field(default_factory=list)
    days_per_week: int = Field(default=3, ge=1, le=7)
    minutes_per_session: int = Field(default=30, ge=10, le=90)
    age: int | None = Field(default=None, ge=14, le=60)


class ScreeningInput(StrictInput):
    conditions: list[str] = Field(default_factory=list)
    provider_cleared: bool = False
    warning_signs: list[str] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    return_to_running_tests: dict[str, bool] = Field(default_factory=dict)


@dataclass(frozen=True)
class MemberState:
    """Everything a plan for today is built from."""

    row: MemberProfile
    stage: StageNow
    profile: Profile
    warnings: tuple[SymptomReport, ...]
    latest: SymptomReport | None = None

    @property
    def held(self) -> bool:
        return bool(self.warnings)


def profile_row(uow: PlanUnitOfWork, user_id: int) -> MemberProfile:
    row = uow.health.profile(user_id)
    if row is None or not row.screening_answered:
        raise no_profile()
    return row


def no_profile() -> NotFound:
    """What a member who has not finished onboarding is told when a page needs her profile."""
    return NotFound(N_("no profile yet: finish onboarding first"), "profile")


def member_state(uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date) -> MemberState:
    """Inside an open unit of work: today's stage, symptoms and profile for ``user_id``."""
    row = profile_row(uow, user_id)
    latest, warnings = uow.health.symptom_state(user_id)
    return state_of(kb, row, latest, warnings, today)


def state_of(
    kb: KnowledgeBase,
    row: MemberProfile,
    latest: SymptomReport | None,
    warnings: list[SymptomReport],
    today: date,
) -> MemberState:
    """``member_state`` from rows already read (the roster reads a page of members at once)."""
    stage = stage_of(row, today)
    symptoms = list(latest.symptoms) if latest else []
    for report in warnings:
        symptoms.extend(report.warning_signs)
    profile = parse_profile(domain_dict(row, stage, list(dict.fromkeys(symptoms))), kb, stored_reports=True)
    return MemberState(row, stage, profile, tuple(warnings), latest)


def stage_of(row: MemberProfile, today: date) -> StageNow:
    return stage_now(
        row.stage_kind, due_date=row.due_date, birth_date=row.birth_date, delivery=row.delivery, today=today
    )


def domain_dict(row: MemberProfile, stage: StageNow, symptoms: list[str]) -> dict[str, object]:
    """The stored profile as the domain's profile JSON (what ``parse_profile`` validates)."""
    data: dict[str, object] = {
        "stage": stage.as_profile_stage(),
        "conditions": list(row.conditions),
        "symptoms": symptoms,
        "activity_level": row.activity_level,
        "equipment": list(row.equipment),
        "days_per_week": row.days_per_week,
        "minutes_per_session": row.minutes_per_session,
        "provider_cleared": row.provider_cleared,
        "return_to_running_tests": dict(row.return_to_running_tests),
    }
    if row.age is not None:
        data["age"] = row.age
    return data


@unique_race_retried
def save_details(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, details: DetailsInput, now: datetime
) -> None:
    """Onboarding step 1 (and later edits): the dates, activity, equipment and time."""
    require_role(principal, Role.MEMBER)
    today = now.date()
    kind = details.stage_kind.value
    check_dates(kind, details.due_date, details.birth_date, today)
    with uow:
        row = uow.health.profile(principal.user_id)
        if row is None:
            row = MemberProfile(
                user_id=principal.user_id,
                conditions=[],
                provider_cleared=False,
                return_to_running_tests={},
                screening_answered=False,
                program_started_on=today,
            )
        elif row.stage_kind != kind:
            row.conditions = [c for c in row.conditions if kind in kb.conditions[c].applies_to]
            row.screening_answered = False
            row.program_started_on = today
        _apply_details(row, details)
        row.updated_at = now
        parse_profile(domain_dict(row, stage_of(row, today), []), kb)
        uow.health.add(row)
        uow.commit()


def _apply_details(row: MemberProfile, details: DetailsInput) -> None:
    pregnant = details.stage_kind is StageKind.PREGNANT
    if not pregnant and details.delivery is None:
        raise InputError("delivery", N_("is required after the birth"), [d.value for d in Delivery])
    row.stage_kind = details.stage_kind.value
    row.due_date = details.due_date if pregnant else None
    row.birth_date = None if pregnant else details.birth_date
    row.delivery = None if pregnant or details.delivery is None else details.delivery.value
    row.activity_level = details.activity_level.value
    row.equipment = [e.value for e in dict.fromkeys(details.equipment)]
    row.days_per_week = details.days_per_week
    row.minutes_per_session = details.minutes_per_session
    row.age = details.age


def save_screening(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, answers: ScreeningInput, now: datetime
) -> None:
    """Onboarding step 2: conditions, provider clearance and anything felt right now."""
    require_role(principal, Role.MEMBER)
    with uow:
        row = uow.health.profile(principal.user_id)
        if row is None:
            raise NotFound(N_("give your dates and details first"), "profile")
        stage = stage_of(row, now.date())
        delivery = Delivery(row.delivery) if row.delivery else None
        check_reported(kb, answers.warning_signs, answers.symptoms, StageKind(stage.kind), delivery)
        candidate = domain_dict(row, stage, [])
        candidate.update(
            conditions=answers.conditions,
            provider_cleared=answers.provider_cleared,
            return_to_running_tests=answers.return_to_running_tests,
        )
        checked = parse_profile(candidate, kb)
        row.conditions = list(checked.conditions)
        row.provider_cleared = answers.provider_cleared
        row.return_to_running_tests = dict(checked.return_to_running_tests)
        row.screening_answered = True
        row.updated_at = now
        if answers.warning_signs or answers.symptoms:
            uow.health.add(new_report(principal.user_id, answers.symptoms, answers.warning_signs, "", now))
        uow.commit()


def check_reported(
    kb: KnowledgeBase,
    warning_signs: list[str],
    symptoms: list[str],
    stage: StageKind,
    delivery: Delivery | None = None,
) -> None:
    """Each id must be a warning sign (or symptom) that applies at this stage and kind of birth;
    the error lists the ones allowed."""
    checks = (("warning_signs", warning_signs, kb.warning_signs), ("symptoms", symptoms, kb.symptoms))
    for field, ids, known in checks:
        unknown = N_("%(id)r is not a symptom") if field == "symptoms" else N_("%(id)r is not a warning sign")
        allowed = sorted(i for i, t in known.items() if t.applies(stage, delivery))
        for index, term_id in enumerate(ids):
            term = known.get(term_id)
            if term is None:
                raise InputError(f"{field}[{index}]", _(unknown, id=term_id), allowed)
            if not term.applies(stage):
                raise InputError(
                    f"{field}[{index}]",
                    _(
                        "%(id)r applies only to %(stages)s, but the stage is %(stage)s",
                        id=term_id,
                        stages=", ".join(k.value for k in term.applies_to),
                        stage=stage.value,
                    ),
                    allowed,
                )
            if not term.applies(stage, delivery):
                births = ", ".join(b.value for b in term.births)
                message = _("%(id)r applies only after a %(births)s birth", id=term_id, births=births)
                raise InputError(f"{field}[{index}]", message, allowed)


def new_report(
    user_id: int, symptoms: list[str], warning_signs: list[str], note: str, now: datetime
) -> SymptomReport:
    return SymptomReport(
        user_id=user_id,
        reported_at=now,
        symptoms=list(dict.fromkeys(symptoms)),
        warning_signs=list(dict.fromkeys(warning_signs)),
        has_warning=bool(warning_signs),
        note=note,
        resolved_at=None,
    )


def screening_result(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, today: date
) -> dict[str, object]:
    """The clearance now, its reasons and sources, and what to do next."""
    require_role(principal, Role.MEMBER)
    with uow:
        state = member_state(uow, kb, principal.user_id, today)
    screening = screen(state.profile, kb)
    result = screening.as_dict(kb.disclaimer)
    result["stage"] = state.stage.label
    result["held"] = state.held
    result["running"] = running_view(state, kb, screening)
    return result


def running_view(state: MemberState, kb: KnowledgeBase, screening: Screening) -> dict[str, object] | None:
    """After the birth: the return-to-running readiness from the tests answered at screening
    (None in pregnancy, where running is not assessed)."""
    if state.stage.kind != StageKind.POSTPARTUM.value:
        return None
    readiness = running_readiness(state.profile, kb, screening)
    answered = state.row.return_to_running_tests
    return {
        **readiness.as_dict(kb.disclaimer),
        "passed": sum(1 for ok in answered.values() if ok),
        "total": len(kb.running_tests),
    }


class ProfileView(BaseModel):
    stage_kind: str
    due_date: date | None
    birth_date: date | None
    delivery: str | None
    activity_level: str
    equipment: list[str]
    days_per_week: int
    minutes_per_session: int
    age: int | None
    conditions: list[str]
    provider_cleared: bool
    return_to_running_tests: dict[str, bool]
    screening_answered: bool
    stage: str
    stage_week: int
    notice: str | None


def profile_view(uow: UnitOfWork, principal: Principal, today: date) -> ProfileView:
    require_role(principal, Role.MEMBER)
    with uow:
        row = uow.health.profile(principal.user_id)
        if row is None:
            raise NotFound(N_("no profile yet: start onboarding"), "profile")
        stage = stage_of(row, today)
        return view_of(ProfileView, row, stage=stage.label, stage_week=stage.week, notice=stage.notice)
