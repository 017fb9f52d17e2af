"""Posterior (glutes + hamstrings) against anterior (quadriceps) thigh volume.

An item's sets count 1 toward a side when a muscle of that side is primary, 0.5 when only
secondary. The two sides are muscle groups: a set that works both glutes and hamstrings counts
once for the posterior side. Only lower-body patterns count (planning.yaml ``balance_patterns``).
``rebalance`` moves sets within bounds, and may drop an accessory item, until the week's ratio
sits in the required range, or reports that it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bumpwise.domain.exercise import Exercise
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH, Muscle


def side_weight(exercise: Exercise, side: frozenset[Muscle]) -> float:
    if side & set(exercise.primary_muscles):
        return 1.0
    if side & set(exercise.secondary_muscles):
        return 0.5
    return 0.0


@dataclass
class Slack:
    """Seconds a session has to spare; adding a set spends them, removing one gives them back."""

    seconds: int


@dataclass
class Adjustable:
    """A main strength item's sets, which rebalancing may change between 1 (0 for an accessory
    item it may drop, ``floor`` for the main hinge) and max_sets, never above ``below``'s sets
    (a squat never passes its session's main hinge)."""

    exercise: Exercise
    sets: int
    removable: bool = False
    max_sets: int = 4
    seconds_per_set: int = 0
    slack: Slack | None = None
    floor: int | None = None
    below: Adjustable | None = None
    posterior: float = field(init=False)
    anterior: float = field(init=False)

    def __post_init__(self) -> None:
        self.posterior = side_weight(self.exercise, POSTERIOR_THIGH)
        self.anterior = side_weight(self.exercise, ANTERIOR_THIGH)

    @property
    def min_sets(self) -> int:
        if self.floor is not None:
            return self.floor
        return 0 if self.removable else 1

    def can_change(self, change: int) -> bool:
        sets = self.sets + change
        if not self.min_sets <= sets <= self.max_sets:
            return False
        if self.below is not None and sets > self.below.sets:
            return False
        return change < 0 or self.slack is None or self.slack.seconds >= self.seconds_per_set

    def change(self, change: int) -> None:
        self.sets += change
        if self.slack is not None:
            self.slack.seconds -= change * self.seconds_per_set


def volumes(items: list[Adjustable]) -> tuple[float, float]:
    posterior = sum(i.sets * i.posterior for i in items)
    anterior = sum(i.sets * i.anterior for i in items)
    return posterior, anterior


def rebalance(items: list[Adjustable], low: float, high: float) -> bool:
    """Adjust sets so that low <= posterior/anterior <= high. True when the ratio ends in range
    (or there is no lower-body work on one side to balance)."""
    for _ in range(4 * max((i.max_sets for i in items), default=1) * max(1, len(items))):
        posterior, anterior = volumes(items)
        if posterior == 0 or anterior == 0:
            return True
        if low <= posterior / anterior <= high:
            return True
        if not _step(items, low, high):
            return False
    return False


def _distance(posterior: float, anterior: float, low: float, high: float) -> float:
    """How far the ratio lies outside [low, high]; 0 inside. Infinite when a side vanishes."""
    if posterior == 0 or anterior == 0:
        return float("inf")
    ratio = posterior / anterior
    return max(low - ratio, ratio - high, 0.0)


def _step(items: list[Adjustable], low: float, high: float) -> bool:
    """Make the single one-set change that brings the ratio closest to the range.

    Removing is preferred to adding when both help equally: sessions were fitted to their minutes,
    and an added set must fit in its session's spare time (and never exceeds the item's ceiling).
    """
    posterior, anterior = volumes(items)
    current = _distance(posterior, anterior, low, high)
    best: tuple[float, int, int] | None = None
    for index, item in enumerate(items):
        for change in (-1, 1):
            if not item.can_change(change):
                continue
            moved = _distance(
                posterior + change * item.posterior, anterior + change * item.anterior, low, high
            )
            key = (moved, change, index)
            if moved < current and (best is None or key < best):
                best = key
    if best is None:
        return False
    _, change, index = best
    items[index].change(change)
    return True
