"""The public free workout: due date (or weeks), equipment and symptoms in; one printable
pregnancy workout out, built by the planner with the same rules and the disclaimer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.stage import PREGNANT_WEEKS, check_dates, stage_now
from bumpwise.domain.vocab import ActivityLevel, Clearance, Equipment, StageKind
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.inputs import StrictInput
from bumpwise.services.leads import CoachPageView, add_lead
from bumpwise.services.profiles import check_reported

FREE_DAYS_PER_WEEK = 3


class FreeWorkoutInput(StrictInput):
    due_date: date | None = None
    weeks: int | None = Field(default=None, ge=PREGNANT_WEEKS[0], le=PREGNANT_WEEKS[1])
    equipment: list[Equipment] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    warning_signs: list[str] = Field(default_factory=list)
    activity_level: ActivityLevel = ActivityLevel.ACTIVE
    minutes: int = Field(default=30, ge=10, le=60)
    email: str = Field(default="", max_length=254)
    consent: bool = False


class FreeWorkout(BaseModel):
    stage: str
    clearance: str
    headline: str
    next_step: str
    reasons: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    lead_saved: bool
    unsubscribe_path: str | None = None
    disclaimer: str


def free_workout(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    entry: FreeWorkoutInput,
    today: date,
    now: datetime,
    page: CoachPageView | None = None,
) -> FreeWorkout:
    """``page``: the coach whose free-workout link was used (None: the general page)."""
    week = _week(entry, today)
    check_reported(kb, entry.warning_signs, entry.symptoms, StageKind.PREGNANT)
    profile = parse_profile(
        {
            "stage": {"kind": "pregnant", "week": week},
            "symptoms": [*entry.symptoms, *entry.warning_signs],
            "activity_level": entry.activity_level.value,
            "equipment": [e.value for e in entry.equipment],
            "days_per_week": FREE_DAYS_PER_WEEK,
            "minutes_per_session": entry.minutes,
        },
        kb,
    )
    unsubscribe_path = None
    if entry.email.strip():
        unsubscribe_path = add_lead(uow, email=entry.email, consent=entry.consent, page=page, now=now)
    plan = build_plan(profile, kb, start=today, weeks=1, seed=week).as_dict()
    text = kb.messages.clearances[Clearance(plan["clearance"])]
    return FreeWorkout(
        stage=profile.stage.label(capitalized=True),
        clearance=plan["clearance"],
        headline=text.headline,
        next_step=plan["next_step"],
        reasons=plan["reasons"],
        sessions=_workout_day(plan),
        lead_saved=unsubscribe_path is not None,
        unsubscribe_path=unsubscribe_path,
        disclaimer=plan["disclaimer"],
    )


def _week(entry: FreeWorkoutInput, today: date) -> int:
    if entry.due_date is not None:
        check_dates("pregnant", entry.due_date, None, today)
        return stage_now(
            "pregnant", due_date=entry.due_date, birth_date=None, delivery=None, today=today
        ).week
    if entry.weeks is None:
        raise InputError("due_date", "give your due date or how many weeks pregnant you are")
    return entry.weeks


def _workout_day(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The first day with strength work: its sessions are the free workout."""
    if not plan["weeks"]:
        return []
    days = plan["weeks"][0]["days"]
    chosen = next((d for d in days if any(s["kind"] == "strength" for s in d["sessions"])), days[0])
    return list(chosen["sessions"])
