"""The guided session player: today's session as steps, one exercise each, with what the player
needs to count sets and time holds and rests; and the files a phone keeps for training offline.

Built from the same stored plan as the today page (``sessions.today``), so the player shows
exactly what the rules let through for the member's stage and kind of birth: nothing more.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.contract import PlanItem, PlanSession
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import sessions, symptoms
from bumpwise.services.figures import figure_alt, figure_url
from bumpwise.services.principal import Principal
from bumpwise.services.symptoms import CheckInChoices
from bumpwise.services.views import PlanHeader

PLAYER_PATH = "/today/play"
OFFLINE_PAGES = ("/today", PLAYER_PATH, "/week", "/check-in")
STATIC_FILES = (
    "/static/app.css",
    "/static/player.css",
    "/static/outbox.js",
    "/static/player.js",
    "/static/favicon.svg",
)
CUE_KINDS = (
    ("setup", N_("Set up")),
    ("movement", N_("Move")),
    ("breath", N_("Breathe")),
    ("core_and_pelvic_floor", N_("Core and pelvic floor")),
)


class CueGroup(BaseModel):
    label: str
    cues: list[str]


class PlayerStep(BaseModel):
    """One exercise: its prescribed dose (one of reps, a hold or minutes per set), its rest
    between sets, its cues and changes as the plan prescribes, and its figure for this week. An
    exercise from the coach's library has no figure (None): its cues carry the source's steps,
    and ``attribution`` says where it came from, on what licence and by whom."""

    exercise_id: str
    name: str
    dose_text: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    per_side: bool
    rest_seconds: int
    cues: list[CueGroup]
    modifications: list[str]
    figure_url: str | None
    figure_url_still: str | None
    figure_alt: str | None
    attribution: str | None = None


class SessionChoice(BaseModel):
    index: int
    title: str


class PlayerSession(BaseModel):
    index: int
    kind: str
    title: str
    minutes: int
    effort: str
    steps: list[PlayerStep]


class PlayerView(BaseModel):
    date: date
    header: PlanHeader
    session: PlayerSession | None
    """None on a rest day, or when the plan is held or not cleared: nothing to play."""
    choices: list[SessionChoice]
    check_in: CheckInChoices
    stop_headline: str
    stop_text: str
    """What a warning sign means, kept in the page so the player can stop at once, offline too."""


def player(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime, index: int = 0
) -> PlayerView:
    today = sessions.today(uow, kb, principal, day, now)
    check_in = symptoms.check_in_choices(uow, kb, principal, day)
    playable = [] if today.header.held or today.day is None else list(today.day.sessions)
    choices = [SessionChoice(index=i, title=s.title) for i, s in enumerate(playable)]
    session = None
    if playable:
        chosen = index if 0 <= index < len(playable) else 0
        session = _session(kb, chosen, playable[chosen], today.header.figure_query)
    stop = kb.messages.clearances[Clearance.SEEK_CARE_NOW]
    return PlayerView(
        date=day,
        header=today.header,
        session=session,
        choices=choices,
        check_in=check_in,
        stop_headline=stop.headline,
        stop_text=stop.next_step,
    )


def offline_files(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, day: date, now: datetime
) -> list[str]:
    """What a phone keeps to train without a connection: the member's pages, the player's own
    files, and every figure of this week's sessions, drawn for this week."""
    week = sessions.this_week(uow, kb, principal, day, now)
    figures: dict[str, None] = {}
    if week.week is not None and not week.header.held:
        for plan_day in week.week.days:
            for session in plan_day.sessions:
                for item in session.items:
                    if _drawn(kb, item):
                        for url in _figure_urls(kb, item, week.header.figure_query):
                            figures[url] = None
    return [*OFFLINE_PAGES, *STATIC_FILES, *figures]


def _drawn(kb: KnowledgeBase, item: PlanItem) -> bool:
    """Whether the exercise has a figure: the built-in library's do, a coach's exercises do not."""
    return item.exercise.attribution is None and item.exercise.id in kb.exercises


def _figure_urls(kb: KnowledgeBase, item: PlanItem, query: str) -> tuple[str, str]:
    exercise = item.exercise
    applied = list(exercise.applied_variants)
    return (
        figure_url(kb, exercise.id, applied, query),
        figure_url(kb, exercise.id, applied, query, reduced=True),
    )


def _session(kb: KnowledgeBase, index: int, session: PlanSession, query: str) -> PlayerSession:
    intensity = session.intensity
    low, high = intensity.rpe
    effort = intensity.talk_test.capitalize() + (
        " " + _("· effort %(rpe)s–%(rpe2)s out of 20", rpe=low, rpe2=high) if low else ""
    )
    steps = [_step(kb, item, query) for item in session.items]
    return PlayerSession(
        index=index,
        kind=session.kind.value,
        title=session.title,
        minutes=session.minutes,
        effort=effort,
        steps=steps,
    )


def _step(kb: KnowledgeBase, item: PlanItem, query: str) -> PlayerStep:
    exercise, dose = item.exercise, item.dose
    drawn = _drawn(kb, item)
    moving, still = _figure_urls(kb, item, query) if drawn else (None, None)
    cues = [CueGroup(label=_(label), cues=list(getattr(item.cues, kind))) for kind, label in CUE_KINDS]
    return PlayerStep(
        exercise_id=exercise.id,
        name=exercise.name,
        dose_text=dose.text,
        sets=dose.sets,
        reps=dose.reps,
        hold_seconds=dose.hold_seconds,
        minutes=dose.minutes,
        per_side=dose.per_side,
        rest_seconds=dose.rest_seconds,
        cues=[group for group in cues if group.cues],
        modifications=list(item.modifications),
        figure_url=moving,
        figure_url_still=still,
        figure_alt=figure_alt(kb, exercise.id, list(exercise.applied_variants)) if drawn else None,
        attribution=exercise.attribution.line() if exercise.attribution is not None else None,
    )
