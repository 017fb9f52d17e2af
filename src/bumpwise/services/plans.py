"""The member's plan: built for today's stage week, stored with a fingerprint of its inputs, and
rebuilt only when the stage week, the profile, the latest symptoms or a coach's swap change.

A plan is built from the start of the programme (up to ``HISTORY_WEEKS`` back), so the work
progresses week by week as the planner intends; only the current week is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy.exc import IntegrityError

from bumpwise import __version__
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan
from bumpwise.domain.planner import build_plan
from bumpwise.persistence.models import CoachSwap, MemberProfile, StoredPlan
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.plan_cache import PlanCache
from bumpwise.services.profiles import MemberState, member_state, state_of
from bumpwise.services.swaps import apply_swaps

HISTORY_WEEKS = 6
PLANS: PlanCache[dict[str, Any]] = PlanCache()


def plan_for(
    uow: UnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, dict[str, Any]]:
    """Inside an open unit of work: the member's state and this week's plan (§6 JSON), fresh."""
    state = member_state(uow, kb, user_id, today)
    swaps = list(uow.coaching.swaps_of(user_id))
    elapsed = _elapsed_weeks(state)
    fingerprint = _fingerprint(state, swaps, elapsed)
    stored = _stored(uow, user_id, fingerprint)
    if stored is not None:
        return state, stored
    return state, _rebuild(uow, kb, user_id, state, swaps, fingerprint, now)


def plans_for(
    uow: UnitOfWork, kb: KnowledgeBase, rows: Sequence[MemberProfile], today: date, now: datetime
) -> dict[int, tuple[MemberState, dict[str, Any]]]:
    """``plan_for`` for a page of members (the coach's roster) in a few queries instead of a few
    per member: symptom states, swaps and stored fingerprints for all at once, then the plans the
    cache does not hold in one more; a plan whose inputs changed is rebuilt as ``plan_for`` does."""
    ids = [row.user_id for row in rows]
    symptom_states = uow.health.symptom_states(ids)
    swaps = uow.coaching.swaps_of_many(ids)
    stored = uow.health.stored_fingerprints(ids)
    found: dict[int, tuple[MemberState, dict[str, Any]]] = {}
    wanted: dict[int, tuple[MemberState, str]] = {}
    for row in rows:
        state = state_of(kb, row, *symptom_states[row.user_id], today)
        fingerprint = _fingerprint(state, list(swaps[row.user_id]), _elapsed_weeks(state))
        cached = PLANS.get(row.user_id, fingerprint) if stored.get(row.user_id) == fingerprint else None
        if cached is not None:
            found[row.user_id] = (state, cached)
        else:
            wanted[row.user_id] = (state, fingerprint)
    bodies = uow.health.stored_plan_bodies([i for i, (_, fp) in wanted.items() if stored.get(i) == fp])
    for user_id, (state, fingerprint) in wanted.items():
        body = bodies.get(user_id)
        if body is not None and body[0] == fingerprint:
            PLANS.put(user_id, fingerprint, body[1])
            found[user_id] = (state, body[1])
            continue
        found[user_id] = (state, _rebuild(uow, kb, user_id, state, list(swaps[user_id]), fingerprint, now))
    return found


def _rebuild(
    uow: UnitOfWork,
    kb: KnowledgeBase,
    user_id: int,
    state: MemberState,
    swaps: list[CoachSwap],
    fingerprint: str,
    now: datetime,
) -> dict[str, Any]:
    plan = apply_swaps(_build(state, kb, _elapsed_weeks(state), seed=user_id), state.profile, swaps, kb)
    _store(uow, user_id, state, fingerprint, plan, now)
    return plan


@dataclass(frozen=True)
class Refreshed:
    checked: int
    rebuilt: int


def refresh_stored_plans(
    new_uow: Callable[[], UnitOfWork], kb: KnowledgeBase, today: date, now: datetime, *, batch: int = 200
) -> Refreshed:
    """Bring every member's stored plan up to date for ``today`` (a new stage week, a knowledge
    update), batch by batch, so no page view or roster pays for a rebuild. Run by
    ``bumpwise db refresh-plans``, e.g. daily just after midnight and after each deploy."""
    checked = rebuilt = 0
    after = 0
    while True:
        with new_uow() as uow:
            rows = list(uow.health.onboarded_after(after, batch))
            if not rows:
                return Refreshed(checked, rebuilt)
            before = uow.health.stored_fingerprints([row.user_id for row in rows])
            plans_for(uow, kb, rows, today, now)
            now_stored = uow.health.stored_fingerprints([row.user_id for row in rows])
        checked += len(rows)
        rebuilt += sum(1 for user_id, fingerprint in now_stored.items() if before.get(user_id) != fingerprint)
        after = rows[-1].user_id


def _stored(uow: UnitOfWork, user_id: int, fingerprint: str) -> dict[str, Any] | None:
    """The stored plan if it was built from ``fingerprint``: from this process's cache when it
    holds it, else read and parsed once (fingerprint and body in one read, so a plan stored by
    another process in between is never cached under the wrong fingerprint)."""
    if uow.health.stored_fingerprint(user_id) != fingerprint:
        return None
    cached = PLANS.get(user_id, fingerprint)
    if cached is not None:
        return cached
    found = uow.health.stored_plan_body(user_id)
    if found is None or found[0] != fingerprint:
        return None
    PLANS.put(user_id, fingerprint, found[1])
    return found[1]


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


def _fingerprint(state: MemberState, swaps: list[CoachSwap], elapsed: int) -> str:
    inputs = {
        "profile": state.profile.model_dump(mode="json"),
        "week_start": state.stage.week_start.isoformat(),
        "elapsed": elapsed,
        "swaps": [(s.from_exercise, s.to_exercise, s.note) for s in swaps],
        "knowledge": knowledge_version(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


@cache
def knowledge_version() -> str:
    from bumpwise.domain.knowledge import knowledge_dir
    from bumpwise.domain.knowledge_cache import fingerprint

    return f"{__version__}:{fingerprint(knowledge_dir())}"


def _store(
    uow: UnitOfWork, user_id: int, state: MemberState, fingerprint: str, plan: dict[str, Any], now: datetime
) -> None:
    stored = uow.health.stored_plan(user_id)
    if stored is None:
        stored = StoredPlan(user_id=user_id)
        uow.session.add(stored)
    stored.fingerprint = fingerprint
    stored.week_start = state.stage.week_start
    stored.stage_week = state.stage.week
    stored.clearance = plan["clearance"]
    stored.plan = plan
    stored.created_at = now
    try:
        uow.commit()
    except IntegrityError:  # another request stored the same plan a moment ago
        uow.rollback()
        return
    PLANS.put(user_id, fingerprint, plan)


def current_week(plan: dict[str, Any]) -> dict[str, Any] | None:
    return plan["weeks"][0] if plan["weeks"] else None


def day_of(plan: dict[str, Any], today: date) -> dict[str, Any] | None:
    week = current_week(plan)
    if week is None:
        return None
    return next((d for d in week["days"] if d["date"] == today.isoformat()), None)
