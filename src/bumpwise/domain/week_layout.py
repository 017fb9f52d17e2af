"""Which days train, which of them are strength days, and how many cardio minutes each gets.

Strength days are never back to back, counting Sunday to Monday as consecutive, since the
same layout repeats every week. Cardio minutes go to the cardio days first; when the weekly
target needs more, or fewer than the minimum number of days carry cardio, strength days give
up a block of their time (never below the minimum strength session).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TRAINING_DAYS: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 5),
    5: (0, 1, 3, 4, 6),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
"""Training days (0 = the plan's first day) spread over the week for each days_per_week."""


@dataclass(frozen=True)
class DayPlan:
    strength_minutes: int = 0
    cardio_minutes: int = 0

    @property
    def rest(self) -> bool:
        return not (self.strength_minutes or self.cardio_minutes)


@dataclass(frozen=True)
class WeekTargets:
    days_per_week: int
    minutes_per_session: int
    strength_sessions: int
    cardio_minutes: int
    cardio_min_days: int
    fill_cardio_days: bool
    min_strength_minutes: int
    min_cardio_block: int


def strength_sessions_for(days_per_week: int, minimum: int) -> int:
    """At least ``minimum`` a week when the days allow; a third on six- or seven-day weeks."""
    return min(days_per_week, minimum + (1 if days_per_week >= 6 else 0))


def pick_strength_days(training: tuple[int, ...], count: int) -> tuple[int, ...]:
    chosen: list[int] = []
    for day in training:
        if len(chosen) == count:
            break
        if all(abs(day - other) not in (1, 6) for other in chosen):
            chosen.append(day)
    return tuple(chosen)


def lay_out_week(targets: WeekTargets) -> tuple[DayPlan, ...]:
    training = TRAINING_DAYS[targets.days_per_week]
    strength = pick_strength_days(training, targets.strength_sessions)
    minutes = targets.minutes_per_session
    cardio = _share_cardio(targets, training, strength)
    days = []
    for day in range(7):
        block = cardio.get(day, 0)
        strength_minutes = minutes - block if day in strength else 0
        days.append(DayPlan(strength_minutes=strength_minutes, cardio_minutes=block))
    return tuple(days)


def _share_cardio(
    targets: WeekTargets, training: tuple[int, ...], strength: tuple[int, ...]
) -> dict[int, int]:
    minutes = targets.minutes_per_session
    spare = minutes - targets.min_strength_minutes
    capacity = {d: minutes for d in training if d not in strength}
    if spare >= targets.min_cardio_block:
        for day in strength:
            total = sum(capacity.values())
            if len(capacity) >= targets.cardio_min_days and total >= targets.cardio_minutes:
                break
            capacity[day] = spare
    if targets.fill_cardio_days:
        return _fill(capacity, strength, targets)
    return _spread(capacity, targets.cardio_minutes, targets.min_cardio_block)


def _fill(capacity: dict[int, int], strength: tuple[int, ...], targets: WeekTargets) -> dict[int, int]:
    """Cardio days get their whole session; strength days give only what the target still needs."""
    shares = {d: c for d, c in capacity.items() if d not in strength}
    needed = targets.cardio_minutes - sum(shares.values())
    strength_days = [d for d in capacity if d in strength]
    for i, day in enumerate(strength_days):
        days_short = max(0, targets.cardio_min_days - len(shares))
        if needed <= 0 and days_short == 0:
            break
        per_day = _ceil5(needed / (len(strength_days) - i)) if needed > 0 else 0
        shares[day] = min(capacity[day], max(targets.min_cardio_block, per_day))
        needed -= shares[day]
    return shares


def _spread(capacity: dict[int, int], target: int, min_block: int) -> dict[int, int]:
    """Share ``target`` minutes over the days, evenly where possible, within each day's capacity.

    A first pass gives each day an even share (at least ``min_block``); what a full day could not
    take goes, up to 5 minutes at a time, to the days that still have room.
    """
    days = sorted(capacity)
    shares: dict[int, int] = {}
    remaining = target
    for i, day in enumerate(days):
        if remaining <= 0:
            break
        even = _ceil5(remaining / (len(days) - i))
        shares[day] = min(capacity[day], max(min_block, even))
        remaining -= shares[day]
    while remaining > 0:
        roomy = [d for d in days if (shares[d] < capacity[d] if d in shares else min_block <= capacity[d])]
        if not roomy:
            break
        day = min(roomy, key=lambda d: (shares.get(d, 0), d))
        step = min(5, capacity[day] - shares[day], remaining) if day in shares else min_block
        shares[day] = shares.get(day, 0) + step
        remaining -= step
    return shares


def _ceil5(value: float) -> int:
    """Up to the next multiple of 5 minutes (at least 5)."""
    return max(5, 5 * math.ceil(value / 5))
