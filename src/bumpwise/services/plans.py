"""The member's plan: built for today's stage week, stored with a fingerprint of its inputs, and
rebuilt only when the stage week, the profile, the latest symptoms or a coach's swap change.

A plan is built from the start of the programme (up to ``HISTORY_WEEKS`` back), so the work
progresses week by week as the planner intends; only the current week is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache
from threading import Lock

from pydantic import ValidationError

from bumpwise import __version__
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan
from bumpwise.domain.planner import build_plan
from bumpwise.domain.swaps import Swap, apply_swaps
from bumpwise.domain.vocab import Clearance
from bumpwise.persistence.repositories.health import PlanRecord
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
        read = _read_back(user_id, fingerprint, stored.plan)
        if read is not None:
            return state, read
    data = apply_swaps(_build(state, kb, elapsed, seed=user_id), state.profile, kb, swaps).json()
    plan = PlanDocument.model_validate(data)
    _store(uow, user_id, state, fingerprint, plan.clearance, data, now)
    _remember(user_id, fingerprint, plan)
    return state, plan


_READ: OrderedDict[tuple[int, str], PlanDocument] = OrderedDict()
_READ_LOCK = Lock()
READ_CACHE_SIZE = 128
"""Plans read back lately, by member and fingerprint: a fingerprint names every input a plan is
built from, so the stored plan under it never changes, and a page view need not validate it again."""


def _read_back(user_id: int, fingerprint: str, data: Mapping[str, object]) -> PlanDocument | None:
    key = (user_id, fingerprint)
    with _READ_LOCK:
        cached = _READ.get(key)
        if cached is not None:
            _READ.move_to_end(key)
            return cached
    try:
        plan = PlanDocument.model_validate(data)
    except ValidationError:
        return None
    _remember(user_id, fingerprint, plan)
    return plan


def forget_read_plans() -> None:
    """Empty the cache of plans read back (as a fresh worker process starts)."""
    with _READ_LOCK:
        _READ.clear()


def _remember(user_id: int, fingerprint: str, plan: PlanDocument) -> None:
    with _READ_LOCK:
        _READ[(user_id, fingerprint)] = plan
        _READ.move_to_end((user_id, fingerprint))
        while len(_READ) > READ_CACHE_SIZE:
            _READ.popitem(last=False)


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
    uow: PlanUnitOfWork,
    user_id: int,
    state: MemberState,
    fingerprint: str,
    clearance: Clearance,
    plan: Mapping[str, object],
    now: datetime,
) -> None:
    uow.health.save_plan(
        PlanRecord(
            user_id=user_id,
            fingerprint=fingerprint,
            week_start=state.stage.week_start,
            stage_week=state.stage.week,
            clearance=clearance.value,
            plan=dict(plan),
            created_at=now,
        )
    )
