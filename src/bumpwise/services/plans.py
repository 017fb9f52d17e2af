"""The member's plan: built for today's stage week, stored with a fingerprint of its inputs, and
rebuilt only when the stage week, the profile, the latest symptoms or a coach's swap change.

A plan is built from the start of the programme (up to ``HISTORY_WEEKS`` back), so the work
progresses week by week as the planner intends; only the current week is kept. Plans read back
can be kept per process (``PLANS``, by member and fingerprint), so a page view neither parses nor
validates the stored JSON again; the cache is off unless configured (``plan_cache_size``): a member's
repeat views are kept rendered instead (services.rendered), and parsed plans churning through the
cache cost the garbage collector more than parsing saves once members outnumber its size.

A plan is stored as its validated JSON laid out to be read in parts (``stored_json``,
``persistence.packing``): the API's week sends the week as stored (``week_for``), and today
validates only its day (``day_plan_for``). The contract's version is in the fingerprint, so a plan
stored under another shape is rebuilt rather than read in parts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

from pydantic import ValidationError

from bumpwise import __version__
from bumpwise.domain.alerts import training_dates
from bumpwise.domain.contract import PlanDay, PlanDocument, PlanWeek
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan
from bumpwise.domain.planner import build_plan
from bumpwise.domain.swaps import Swap, apply_swaps
from bumpwise.domain.vocab import Clearance
from bumpwise.persistence.models import CoachSwap, MemberProfile
from bumpwise.persistence.packing import BREAK, DAYS, WEEKS, PlanParts, plan_json, plan_parts
from bumpwise.persistence.repositories.health import PlanInputs, PlanRecord
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.coach_library import planned_library
from bumpwise.services.plan_cache import PlanCache
from bumpwise.services.ports import PlanUnitOfWork
from bumpwise.services.profiles import MemberState, no_profile, state_of

HISTORY_WEEKS = 6
DAY_DATE = re.compile(rb'\{"day":\d+,"date":"(\d{4}-\d{2}-\d{2})"')
"""How a stored day's JSON begins (``PlanDay``'s first fields): its date, read without parsing it."""
LAYOUT = BREAK + WEEKS + DAYS + DAY_DATE.pattern
"""What reading a stored plan in parts relies on, in the contract's version."""
PLANS: PlanCache[PlanDocument] = PlanCache(size=0)  # bootstrap sets the configured size


def plan_for(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, PlanDocument]:
    """Inside an open unit of work: the member's state and this week's plan, fresh.

    A stored plan is read back with validation; one that no longer reads (stored by an older
    shape of the contract) is rebuilt like a stale one. A rebuilt plan is saved in the caller's
    transaction, which the caller commits (this never commits for it)."""
    inputs = _member_inputs(uow, kb, user_id, today)
    return inputs.state, _fresh_plan(uow, kb, user_id, inputs, now)


def week_for(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, PlanDocument, bytes | None]:
    """``plan_for`` for the API's week, with this week's JSON: a fresh stored plan's week as
    stored, cut out of it and not parsed (issue 18: validating a week and writing it out again
    cost over half of the API's week), beside the rest of the plan, validated without its
    weeks. The stored week was written from a validated plan of this contract, whose version is
    in the fingerprint. Else the plan as ``plan_for`` gives it, and its week written out."""
    inputs = _member_inputs(uow, kb, user_id, today)
    stored = _stored_parts(inputs.stored, inputs.fingerprint)
    if stored is not None:
        return inputs.state, stored[0], stored[1].week
    plan = _fresh_plan(uow, kb, user_id, inputs, now)
    week = plan.current_week
    return inputs.state, plan, None if week is None else week.model_dump_json().encode()


def day_plan_for(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, PlanDocument]:
    """``plan_for`` for today's page: the plan with only ``today`` in its week (no day when the
    week has none on that date). Of a fresh stored plan only the rest, the week without its days
    and that one day are validated (issue 18: the whole week was over a third of the page's CPU);
    else the whole plan as ``plan_for`` gives it. Read the plan for this day only."""
    inputs = _member_inputs(uow, kb, user_id, today)
    stored = _stored_parts(inputs.stored, inputs.fingerprint)
    day_plan = None if stored is None else _with_only_day(*stored, today)
    if day_plan is not None:
        return inputs.state, day_plan
    return inputs.state, _fresh_plan(uow, kb, user_id, inputs, now)


def today_for(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, PlanDocument, bytes | None]:
    """``day_plan_for`` for the API's today: the plan with no day in its week, and today's day as
    JSON. Of a fresh stored plan the day goes as stored (written from a validated plan of this
    contract; its date read where its JSON begins), as ``week_for`` sends the week; else written
    out from the plan."""
    inputs = _member_inputs(uow, kb, user_id, today)
    stored = _stored_parts(inputs.stored, inputs.fingerprint)
    found = None if stored is None else _day_as_stored(*stored, today)
    if found is not None:
        return inputs.state, *found
    plan = _fresh_plan(uow, kb, user_id, inputs, now)
    day = plan.day_on(today)
    return inputs.state, plan, None if day is None else day.model_dump_json().encode()


@dataclass(frozen=True)
class _Inputs:
    """What one member's plan is built from, and their fingerprint (with the plan stored for her
    when read with them)."""

    state: MemberState
    swaps: list[Swap]
    library: str
    fingerprint: str
    stored: PlanInputs | None = None


def _member_inputs(uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date) -> _Inputs:
    inputs = uow.health.plan_inputs(user_id)
    if inputs is None or not inputs.profile.screening_answered:
        raise no_profile()
    state = state_of(kb, inputs.profile, *inputs.symptom_state, today)
    swaps = _swaps(uow.coaching.swaps_of(user_id)) if inputs.has_swaps else []
    library = uow.imports.library_stamps([user_id]).get(user_id, "") if inputs.has_coach else ""
    fingerprint = _fingerprint(state, swaps, _elapsed_weeks(state), library, kb.lang)
    return _Inputs(state, swaps, library, fingerprint, inputs)


def _fresh_plan(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, inputs: _Inputs, now: datetime
) -> PlanDocument:
    stored = None if inputs.stored is None else _stored(inputs.stored, user_id, inputs.fingerprint)
    return stored if stored is not None else _rebuild(uow, kb, user_id, inputs, now)


def plans_for(
    uow: UnitOfWork, kb: KnowledgeBase, rows: Sequence[MemberProfile], today: date, now: datetime
) -> dict[int, tuple[MemberState, PlanDocument]]:
    """``plan_for`` for a page of members (the coach's roster) in a few queries instead of a few
    per member: symptom states, swaps and stored fingerprints for all at once, then the plans the
    cache does not hold in one more; a plan whose inputs changed is rebuilt as ``plan_for`` does."""
    inputs = _page_inputs(uow, kb, rows, today)
    stored = uow.health.stored_fingerprints(list(inputs))
    found: dict[int, tuple[MemberState, PlanDocument]] = {}
    wanted: dict[int, _Inputs] = {}
    for user_id, got in inputs.items():
        cached = PLANS.get(user_id, got.fingerprint) if stored.get(user_id) == got.fingerprint else None
        if cached is not None:
            found[user_id] = (got.state, cached)
        else:
            wanted[user_id] = got
    readable = [user_id for user_id, got in wanted.items() if stored.get(user_id) == got.fingerprint]
    bodies = uow.health.stored_plan_bodies(readable)
    for user_id, got in wanted.items():
        body = bodies.get(user_id)
        read = _read_back(user_id, got.fingerprint, body[1]) if body and body[0] == got.fingerprint else None
        if read is None:
            read = _rebuild(uow, kb, user_id, got, now)
        found[user_id] = (got.state, read)
    return found


def _page_inputs(
    uow: UnitOfWork, kb: KnowledgeBase, rows: Sequence[MemberProfile], today: date
) -> dict[int, _Inputs]:
    """The plan inputs of a page of members, in three queries for the whole page."""
    ids = [row.user_id for row in rows]
    symptom_states = uow.health.symptom_states(ids)
    swaps = {user_id: _swaps(found) for user_id, found in uow.coaching.swaps_of_many(ids).items()}
    libraries = uow.imports.library_stamps(ids)
    inputs: dict[int, _Inputs] = {}
    for row in rows:
        state = state_of(kb, row, *symptom_states[row.user_id], today)
        own_swaps, library = swaps[row.user_id], libraries[row.user_id]
        fingerprint = _fingerprint(state, own_swaps, _elapsed_weeks(state), library, kb.lang)
        inputs[row.user_id] = _Inputs(state, own_swaps, library, fingerprint)
    return inputs


@dataclass(frozen=True)
class PlanSummary:
    """What the coach's roster shows of a client's plan."""

    clearance: Clearance
    training_days: tuple[date, ...]


def plan_summaries_for(
    uow: UnitOfWork, kb: KnowledgeBase, rows: Sequence[MemberProfile], today: date, now: datetime
) -> dict[int, tuple[MemberState, PlanSummary]]:
    """``plans_for`` for the roster, which reads only a plan's clearance and this week's training
    days: both are stored beside a plan, so a page of fresh plans parses none. A plan whose
    inputs changed is rebuilt as ``plans_for`` does; one stored without the days (before they
    were kept) is parsed once and they are filled in."""
    inputs = _page_inputs(uow, kb, rows, today)
    stored = uow.health.stored_summaries(list(inputs))
    found: dict[int, tuple[MemberState, PlanSummary]] = {}
    unsummarised: dict[int, str] = {}
    for user_id, got in inputs.items():
        summary = stored.get(user_id)
        days = summary.training_days if summary and summary.fingerprint == got.fingerprint else None
        if summary is not None and days is not None:
            found[user_id] = (got.state, PlanSummary(Clearance(summary.clearance), days))
        else:
            unsummarised[user_id] = got.fingerprint
    wanted = [row for row in rows if row.user_id in unsummarised]
    for user_id, (state, plan) in (plans_for(uow, kb, wanted, today, now) if wanted else {}).items():
        days = tuple(training_dates(plan.current_week))
        uow.health.fill_summary(user_id, unsummarised[user_id], days)
        found[user_id] = (state, PlanSummary(plan.clearance, days))
    return found


@dataclass(frozen=True)
class Refreshed:
    checked: int
    rebuilt: int


def refresh_stored_plans(
    new_uow: Callable[[], UnitOfWork], kb: KnowledgeBase, today: date, now: datetime, *, batch: int = 200
) -> Refreshed:
    """Bring every member's stored plan up to date for ``today`` (a new stage week, a knowledge
    update), batch by batch, so no page view or roster pays for a rebuild; a plan stored without
    the roster's summary (before migration 0018) gets it. Run by ``bumpwise db refresh-plans``,
    e.g. daily just after midnight and after each deploy."""
    checked = rebuilt = 0
    after = 0
    while True:
        with new_uow() as uow:
            rows = list(uow.health.onboarded_after(after, batch))
            if not rows:
                return Refreshed(checked, rebuilt)
            before = uow.health.stored_fingerprints([row.user_id for row in rows])
            plan_summaries_for(uow, kb, rows, today, now)
            now_stored = uow.health.stored_fingerprints([row.user_id for row in rows])
            uow.commit()
        checked += len(rows)
        rebuilt += sum(1 for user_id, fingerprint in now_stored.items() if before.get(user_id) != fingerprint)
        after = rows[-1].user_id


def forget_read_plans() -> None:
    """Empty the cache of plans read back (as a fresh worker process starts)."""
    PLANS.clear()


def _with_library(uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, stamp: str) -> KnowledgeBase:
    """The knowledge base with the reviewed exercises of the member's coaches (none: ``kb`` itself)."""
    if not stamp:
        return kb
    return kb.with_exercises(planned_library(uow.imports.library_of_member(user_id)))


def _swaps(rows: Iterable[CoachSwap]) -> list[Swap]:
    return [Swap(s.from_exercise, s.to_exercise, s.note) for s in rows]


def _rebuild(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, inputs: _Inputs, now: datetime
) -> PlanDocument:
    """The plan built again from its inputs (with the member's coaches' library) and stored."""
    state = inputs.state
    own_kb = _with_library(uow, kb, user_id, inputs.library)
    built = _build(state, own_kb, _elapsed_weeks(state), seed=user_id)
    plan = PlanDocument.model_validate(apply_swaps(built, state.profile, own_kb, inputs.swaps).json())
    _store(uow, user_id, state, inputs.fingerprint, plan, now)
    PLANS.put(user_id, inputs.fingerprint, plan)
    return plan


def _stored(inputs: PlanInputs, user_id: int, fingerprint: str) -> PlanDocument | None:
    """The stored plan if it was built from ``fingerprint``: from this process's cache when it
    holds it and the stored fingerprint still matches, else validated once (fingerprint and body
    were read together, so a plan stored by another process in between is never cached under the
    wrong fingerprint)."""
    if inputs.stored_fingerprint != fingerprint:
        return None
    cached = PLANS.get(user_id, fingerprint)
    if cached is not None:
        return cached
    found = inputs.stored_plan_body()
    return None if found is None else _read_back(user_id, fingerprint, found[1])


def _read_back(user_id: int, fingerprint: str, text: bytes) -> PlanDocument | None:
    try:
        plan = PlanDocument.model_validate_json(text)
    except ValidationError:
        return None
    PLANS.put(user_id, fingerprint, plan)
    return plan


def _elapsed_weeks(state: MemberState) -> int:
    """Stage weeks begun since the programme started (0 in the first one), at most HISTORY_WEEKS."""
    days = (state.stage.week_start - state.row.program_started_on).days
    weeks = -(-days // 7)
    low = state.stage.stage.week_range[0]
    return max(0, min(weeks, HISTORY_WEEKS, state.stage.week - low))


def _build(state: MemberState, kb: KnowledgeBase, elapsed: int, *, seed: int) -> Plan:
    start = state.stage.week_start
    if elapsed:
        first = state.profile.at_week(state.stage.week - elapsed)
        plan = build_plan(first, kb, start=start - timedelta(weeks=elapsed), weeks=elapsed + 1, seed=seed)
        if plan.weeks and plan.weeks[-1].stage_week == state.stage.week:
            return replace(plan, weeks=plan.weeks[-1:])
    return build_plan(state.profile, kb, start=start, weeks=1, seed=seed)


def _fingerprint(
    state: MemberState, swaps: list[Swap], elapsed: int, library: str = "", lang: str = "en"
) -> str:
    """Of everything a plan is built from: the member's coaches' libraries and its language
    included (a plan's words are in the language it was built in: the stored plan is rebuilt when
    read in another)."""
    inputs: dict[str, object] = {
        "library": library,
        "profile": state.profile.model_dump(mode="json"),
        "week_start": state.stage.week_start.isoformat(),
        "elapsed": elapsed,
        "swaps": [(s.from_exercise, s.to_exercise, s.note) for s in swaps],
        "knowledge": knowledge_version(),
        "contract": contract_version(),
    }
    if lang != "en":
        inputs["lang"] = lang
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


@cache
def knowledge_version() -> str:
    from bumpwise.domain.knowledge import knowledge_dir
    from bumpwise.domain.knowledge_cache import fingerprint

    return f"{__version__}:{fingerprint(knowledge_dir())}"


@cache
def contract_version() -> str:
    """Of a plan's JSON as stored: the contract's schema and the stored layout. A plan stored
    under another is rebuilt, never sent on as stored (``week_for``)."""
    schema = json.dumps(PlanDocument.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode() + LAYOUT).hexdigest()


def _store(
    uow: PlanUnitOfWork, user_id: int, state: MemberState, fingerprint: str, plan: PlanDocument, now: datetime
) -> None:
    uow.health.save_plan(
        PlanRecord(
            user_id=user_id,
            fingerprint=fingerprint,
            week_start=state.stage.week_start,
            stage_week=state.stage.week,
            clearance=plan.clearance.value,
            plan_json=stored_json(plan),
            created_at=now,
            training_days=training_dates(plan.current_week),
        )
    )


def stored_json(plan: PlanDocument) -> bytes:
    """The plan's JSON as stored, laid out so that its week and days can be cut out of it as
    written (``persistence.packing``)."""
    if len(plan.weeks) > 1:
        raise ValueError("a stored plan holds one stage week")
    week = plan.current_week
    rest = plan.model_dump_json(exclude={"weeks"}).encode()
    if week is None:
        return plan_json(rest, None)
    days = [day.model_dump_json().encode() for day in week.days]
    return plan_json(rest, (week.model_dump_json(exclude={"days"}).encode(), days))


def _stored_parts(inputs: PlanInputs | None, fingerprint: str) -> tuple[PlanDocument, PlanParts] | None:
    """The stored plan's parts, with its rest validated, when it was built from ``fingerprint``
    and laid out by ``stored_json``; else None."""
    if inputs is None or inputs.stored_fingerprint != fingerprint:
        return None
    found = inputs.stored_plan_body()
    parts = None if found is None else plan_parts(found[1])
    if parts is None:
        return None
    try:
        return PlanDocument.model_validate_json(parts.rest), parts
    except ValidationError:
        return None


def _with_only_day(rest: PlanDocument, parts: PlanParts, on: date) -> PlanDocument | None:
    """The stored plan with only the day ``on`` in its week, validated (none when the week has no
    such day); None when the day cannot be read so."""
    found = _day_as_stored(rest, parts, on)
    if found is None:
        return None
    plan, day_json = found
    if day_json is None:
        return plan
    try:
        day = PlanDay.model_validate_json(day_json)
    except ValidationError:
        return None
    week = plan.current_week
    if week is None or day.date != on:
        return None
    return plan.model_copy(update={"weeks": (week.model_copy(update={"days": (day,)}),)})


def _day_as_stored(
    rest: PlanDocument, parts: PlanParts, on: date
) -> tuple[PlanDocument, bytes | None] | None:
    """The stored plan with its week validated without its days, and the JSON of its day ``on``
    as stored (None when the week has no such day); None when a day's date cannot be read from
    how its JSON begins, or two days have that date."""
    if parts.week_rest is None:
        return rest, None
    dates = [DAY_DATE.match(day) for day in parts.days]
    if any(found is None for found in dates):
        return None
    wanted = on.isoformat().encode()
    matching = [
        day for day, found in zip(parts.days, dates, strict=True) if found and found.group(1) == wanted
    ]
    if len(matching) > 1:
        return None
    try:
        week = PlanWeek.model_validate_json(parts.week_rest)
    except ValidationError:
        return None
    return rest.model_copy(update={"weeks": (week,)}), matching[0] if matching else None
