"""The public free workout, for pregnancy and after birth: the screening questions first (the same
engine as a member's), then one printable workout built by the planner, with the disclaimer.

Someone who is not cleared gets the advice for their answers and no workout, and no e-mail of
theirs is kept. An e-mail left with the consent box ticked starts a double opt-in
(``services.leads``): the confirmation e-mail carries the link, and the workout PDF is sent once
the link is used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

from pydantic import BaseModel, Field, JsonValue

from bumpwise.adapters.mail import Deliver
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.contract import PlanDocument, PlanReason, PlanSession
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.locale import current_language
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.stage import POSTPARTUM_WEEKS, PREGNANT_WEEKS, check_dates, stage_now
from bumpwise.domain.vocab import ActivityLevel, Clearance, Delivery, Equipment, SessionKind, StageKind
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import rate_limits
from bumpwise.services.accounts import AccountRules
from bumpwise.services.answer_cache import AnswerCache, answer_cache
from bumpwise.services.figures import stage_query
from bumpwise.services.inputs import StrictInput
from bumpwise.services.leads import (
    CoachPageView,
    Confirmed,
    OptIn,
    confirm_lead,
    send_workout_mail,
    start_opt_in,
)
from bumpwise.services.profiles import check_reported

FREE_DAYS_PER_WEEK = 3
FREE_WORKOUT_CACHE_SIZE = 1024


class FreeWorkoutInput(StrictInput):
    stage_kind: StageKind = StageKind.PREGNANT
    due_date: date | None = None
    birth_date: date | None = None
    delivery: Delivery | None = None
    weeks: int | None = Field(default=None, ge=POSTPARTUM_WEEKS[0], le=POSTPARTUM_WEEKS[1])
    conditions: list[str] = Field(default_factory=list)
    provider_cleared: bool = False
    equipment: list[Equipment] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    warning_signs: list[str] = Field(default_factory=list)
    activity_level: ActivityLevel = ActivityLevel.ACTIVE
    minutes: int = Field(default=30, ge=10, le=60)
    email: str = Field(default="", max_length=254)
    consent: bool = False

    def answers(self) -> dict[str, JsonValue]:
        """Everything but the e-mail: what the workout is built from."""
        return self.model_dump(mode="json", exclude={"email", "consent"})


class FreeWorkout(BaseModel):
    stage: str
    stage_kind: str
    clearance: Clearance
    headline: str
    next_step: str
    reasons: tuple[PlanReason, ...]
    sessions: tuple[PlanSession, ...]
    lead_saved: bool
    confirmation_sent: bool = False
    unsubscribe_path: str | None = None
    disclaimer: str
    figure_query: str = ""


Printer = Callable[["FreeWorkout"], bytes]
"""Prints a ``FreeWorkout`` as a PDF (``services.reports.free_workout_pdf``)."""
MailWorkout = Callable[[dict[str, object], str], object]
"""``mail_workout(confirmed, today)``: enqueue the confirmed lead's workout mail (JSON arguments,
as the queue stores them)."""


def build_free_workout(kb: KnowledgeBase, entry: FreeWorkoutInput, today: date) -> FreeWorkout:
    """The screening and, when cleared, the workout; stores nothing.

    The same answers on the same day give the same workout (the planner is seeded with the stage
    week), so it is built once and kept in this knowledge base's cache: the key holds every answer
    but the e-mail, the day (the stage week and the plan's dates follow from it) and the language;
    the knowledge base stands for the knowledge version. A refused entry is never kept."""
    key = (json.dumps(entry.answers(), sort_keys=True), today.isoformat(), current_language())
    cache: AnswerCache[FreeWorkout] = answer_cache(kb, "free-workout", FREE_WORKOUT_CACHE_SIZE)
    found = cache.get(key)
    if found is not None:
        return found
    return cache.put(key, _built_free_workout(kb, entry, today))


def count_free_workout(uow: UnitOfWork, rules: AccountRules, *, client: str, now: datetime) -> None:
    """One free workout asked from ``client`` (an address); ``RateLimited`` (429 with Retry-After)
    once ``rules.requests.free_workouts_per_hour`` were asked in the last hour, whether or not they
    came from the cache."""
    limit = rules.requests.free_workouts_per_hour
    rate_limits.count_request(
        uow, secret=rules.secret, action="free-workout", who=client, limit=limit, now=now
    )


def _built_free_workout(kb: KnowledgeBase, entry: FreeWorkoutInput, today: date) -> FreeWorkout:
    check_reported(kb, entry.warning_signs, entry.symptoms, entry.stage_kind)
    _check_delivery(entry)
    profile = parse_profile(
        {
            "stage": _stage(entry, today),
            "conditions": entry.conditions,
            "symptoms": [*entry.symptoms, *entry.warning_signs],
            "activity_level": entry.activity_level.value,
            "equipment": [e.value for e in entry.equipment],
            "days_per_week": FREE_DAYS_PER_WEEK,
            "minutes_per_session": entry.minutes,
            "provider_cleared": entry.provider_cleared,
        },
        kb,
    )
    plan = build_plan(profile, kb, start=today, weeks=1, seed=profile.stage.week).document()
    return FreeWorkout(
        stage=profile.stage.label(capitalized=True),
        stage_kind=profile.stage.kind.value,
        clearance=plan.clearance,
        headline=kb.messages.clearances[plan.clearance].headline,
        next_step=plan.next_step,
        reasons=plan.reasons,
        sessions=_workout_day(plan),
        lead_saved=False,
        disclaimer=plan.disclaimer,
        figure_query=stage_query(profile.stage),
    )


def free_workout(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    entry: FreeWorkoutInput,
    today: date,
    now: datetime,
    page: CoachPageView | None = None,
    *,
    base_url: str = "",
    deliver: Deliver | None = None,
) -> FreeWorkout:
    """``page``: the coach whose free-workout link was used (None: the general page). An e-mail
    is kept only for a cleared visitor who ticked the box; it then gets the confirmation e-mail."""
    if entry.email.strip() and not entry.consent:
        raise InputError("consent", N_("tick the box to agree to receive e-mails, or leave the e-mail empty"))
    result = build_free_workout(kb, entry, today)
    if not entry.email.strip() or result.clearance != Clearance.CLEARED.value:
        return result
    opt_in: OptIn = start_opt_in(
        uow,
        email=entry.email,
        page=page,
        answers=entry.answers(),
        now=now,
        base_url=base_url,
        deliver=deliver,
    )
    return result.model_copy(
        update={
            "lead_saved": True,
            "confirmation_sent": opt_in.confirmation_sent,
            "unsubscribe_path": opt_in.unsubscribe_path,
        }
    )


def confirm_free_workout(
    uow: UnitOfWork, token: str, today: date, now: datetime, *, mail_workout: MailWorkout
) -> Confirmed:
    """Use a confirmation link: the lead becomes visible to its page's owner, and the workout it
    asked for is handed to ``mail_workout`` (a queued job: printing and sending take seconds)."""
    confirmed = confirm_lead(uow, token, now)
    mail_workout(confirmed.model_dump(mode="json"), today.isoformat())
    return confirmed


def mail_confirmed_workout(
    kb: KnowledgeBase, confirmed: Confirmed, today: date, *, base_url: str, deliver: Deliver, printer: Printer
) -> bool:
    """The workout a confirmed lead asked for, rebuilt for ``today`` from its answers, printed and
    e-mailed (or, when it can no longer be built, a mail saying to build a new one)."""
    pdf = None
    if confirmed.answers is not None:
        try:
            workout = build_free_workout(kb, FreeWorkoutInput.model_validate(confirmed.answers), today)
        except (InputError, ValueError):
            workout = None  # e.g. a due date now long past: the mail then says to build a new one
        if workout is not None and workout.clearance is Clearance.CLEARED:
            pdf = printer(workout)
    return send_workout_mail(confirmed, pdf, base_url=base_url, deliver=deliver)


def _check_delivery(entry: FreeWorkoutInput) -> None:
    """How the baby was born is asked only after the birth (the signs are checked against the
    stage by ``check_reported``)."""
    if entry.stage_kind is StageKind.PREGNANT and entry.delivery is not None:
        raise InputError("delivery", N_("is asked only after the birth"), [])


def _stage(entry: FreeWorkoutInput, today: date) -> dict[str, str | int]:
    if entry.stage_kind is StageKind.PREGNANT:
        return {"kind": "pregnant", "week": _pregnancy_week(entry, today)}
    if entry.delivery is None:
        raise InputError("delivery", N_("say how your baby was born"), [d.value for d in Delivery])
    return {"kind": "postpartum", "week": _postpartum_week(entry, today), "delivery": entry.delivery.value}


def _pregnancy_week(entry: FreeWorkoutInput, today: date) -> int:
    if entry.due_date is not None:
        check_dates("pregnant", entry.due_date, None, today)
        now = stage_now("pregnant", due_date=entry.due_date, birth_date=None, delivery=None, today=today)
        return now.week
    if entry.weeks is None:
        raise InputError("due_date", N_("give your due date or how many weeks pregnant you are"))
    if not PREGNANT_WEEKS[0] <= entry.weeks <= PREGNANT_WEEKS[1]:
        raise InputError(
            "weeks",
            _(
                "weeks of pregnancy run from %(low)s to %(high)s",
                low=PREGNANT_WEEKS[0],
                high=PREGNANT_WEEKS[1],
            ),
        )
    return entry.weeks


def _postpartum_week(entry: FreeWorkoutInput, today: date) -> int:
    if entry.birth_date is not None:
        check_dates("postpartum", None, entry.birth_date, today)
        delivery = entry.delivery.value if entry.delivery else None
        return stage_now(
            "postpartum", due_date=None, birth_date=entry.birth_date, delivery=delivery, today=today
        ).week
    if entry.weeks is None:
        raise InputError("birth_date", N_("give your baby's birth date or how many weeks ago the birth was"))
    return entry.weeks


def _workout_day(plan: PlanDocument) -> tuple[PlanSession, ...]:
    """The first day with strength work: its sessions are the free workout."""
    if not plan.weeks:
        return ()
    days = plan.weeks[0].days
    chosen = next((d for d in days if any(s.kind is SessionKind.STRENGTH for s in d.sessions)), days[0])
    return chosen.sessions
