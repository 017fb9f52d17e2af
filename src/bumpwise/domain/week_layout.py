"""Which days train, which of them are strength days, and how the cardio minutes are shared.

Strength days are never back to back, counting Sunday to Monday as consecutive, since the
same layout repeats every week. A training day has the person's minutes for its work (the daily
pelvic floor session is extra). Strength sessions are built first; what a
strength day has left, and the whole of every other training day, is cardio capacity.
``share_cardio`` fills that capacity: in full (``fill``) once the 150-minute goal is in force,
evenly and only up to the week's target while building up.
"""

from __future__ import annotations

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


def cardio_reserve(
    training: tuple[int, ...],
    strength: tuple[int, ...],
    work: dict[int, int],
    *,
    min_days: int,
    min_block: int,
    min_strength: int,
) -> dict[int, int]:
    """Minutes strength days keep for a cardio block, so that cardio falls on ``min_days`` days
    when the other training days are too few (never below the minimum strength session)."""
    short = min_days - sum(1 for d in training if d not in strength)
    reserve: dict[int, int] = {}
    for day in strength:
        if short <= 0:
            break
        if work[day] - min_block >= min_strength:
            reserve[day] = min_block
            short -= 1
    return reserve


def share_cardio(capacity: dict[int, int], target: int, min_block: int, *, fill: bool) -> dict[int, int]:
    """Cardio minutes per day: with ``fill`` every day's whole capacity (the person's time is
    used), otherwise ``target`` spread evenly over the days."""
    if fill:
        return dict(capacity)
    return spread(capacity, target, min_block)


def spread(capacity: dict[int, int], target: int, min_block: int) -> dict[int, int]:
    """Share ``target`` minutes over the days, evenly where possible, within each day's capacity.

    As many days as the target fills with a ``min_block`` bout each (at least one) get one, in day
    order; the rest goes 5 minutes at a time to the day with the least, so no two days differ by
    more than 5 minutes unless a day is full. What full days cannot take opens the next day.
    """
    days = sorted(d for d in capacity if capacity[d] >= min_block)
    if target <= 0 or not days:
        return {}
    used = days[: max(1, min(len(days), target // min_block))]
    shares = dict.fromkeys(used, min_block)
    remaining = target - min_block * len(used)
    while remaining > 0:
        roomy = [d for d in shares if shares[d] < capacity[d]]
        if roomy:
            day = min(roomy, key=lambda d: (shares[d], d))
            step = min(5, capacity[day] - shares[day], remaining)
            shares[day] += step
        else:
            unused = [d for d in days if d not in shares]
            if not unused:
                break
            day, step = unused[0], min_block
            shares[day] = step
        remaining -= step
    return shares
