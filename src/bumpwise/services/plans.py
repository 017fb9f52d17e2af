"""The member's plan: built for today's stage week, stored with a fingerprint of its inputs, and
rebuilt only when the stage week, the profile, the latest symptoms or a coach's swap change.

A plan is built from the start of the programme (up to ``HISTORY_WEEKS`` back), so the work
progresses week by week as the planner intends; only the current week is kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache

from pydantic import ValidationError

from bumpwise import __version__
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan
from bumpwise.domain.planner import build_plan
from bumpwise.domain.swaps import Swap, apply_swaps
from bumpwise.services.ports import PlanUnitOfWork
from bumpwise.services.profiles import MemberState, member_state

HISTORY_WEEKS = 6


def plan_for(
    uow: PlanUnitOfWork, kb: KnowledgeBase, user_id: int, today: date, now: datetime
) -> tuple[MemberState, PlanDocument]:
    """Inside an open unit of work: the member's state and this week's plan, fresh.

    A stored plan is read back with validation; one that no longer reads (stored by an older
    shape of the contract) is rebuilt like a stale one. A rebuilt plan is saved in the caller's
    transaction, which the caller commits (this never commits for it)."""
    state = member_state(uow, kb, user_id, today)
    swaps = [Swap(s.from_exercise, s.to_exercise, s.note) for s in uow.coaching.swaps_of(user_id)]
    elapsed = _elapsed_weeks(state)
    fingerprint = _fingerprint(state, swaps, elapsed)
    stored = uow.health.stored_plan(user_id)
    if stored is not None and stored.fingerprint == fingerprint:
        try:
            return state, PlanDocument.model_validate(stored.plan)
        except ValidationError:
            pass
    plan = apply_swaps(_build(state, kb, elapsed, seed=user_id), state.profile, kb, swaps).document()
    _store(uow, user_id, state, fingerprint, plan, now)
    return state, plan


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


def _fingerprint(state: MemberState, swaps: list[Swap], elapsed: int) -> str:
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
    uow: PlanUnitOfWork, user_id: int, state: MemberState, fingerprint: str, plan: PlanDocument, now: datetime
) -> None:
    uow.health.save_plan(
        user_id,
        fingerprint=fingerprint,
        week_start=state.stage.week_start,
        stage_week=state.stage.week,
        clearance=plan.clearance.value,
        plan=plan.model_dump(mode="json"),
        now=now,
    )
