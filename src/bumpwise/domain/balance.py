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
class Adjustable:
    """A main strength item's sets, which rebalancing may change between 1 (0 for an accessory
    item it may drop) and max_sets."""

    exercise: Exercise
    sets: int
    removable: bool = False
    posterior: float = field(init=False)
    anterior: float = field(init=False)

    def __post_init__(self) -> None:
        self.posterior = side_weight(self.exercise, POSTERIOR_THIGH)
        self.anterior = side_weight(self.exercise, ANTERIOR_THIGH)

    @property
    def min_sets(self) -> int:
        return 0 if self.removable else 1


def volumes(items: list[Adjustable]) -> tuple[float, float]:
    posterior = sum(i.sets * i.posterior for i in items)
    anterior = sum(i.sets * i.anterior for i in items)
    return posterior, anterior


def rebalance(items: list[Adjustable], low: float, high: float, max_sets: int) -> bool:
    """Adjust sets so that low <= posterior/anterior <= high. True when the ratio ends in range
    (or there is no lower-body work on one side to balance)."""
    for _ in range(4 * max_sets * max(1, len(items))):
        posterior, anterior = volumes(items)
        if posterior == 0 or anterior == 0:
            return True
        ratio = posterior / anterior
        if ratio > high:
            moved = _step(items, toward="anterior", max_sets=max_sets)
        elif ratio < low:
            moved = _step(items, toward="posterior", max_sets=max_sets)
        else:
            return True
        if not moved:
            return False
    return False


def _step(items: list[Adjustable], toward: str, max_sets: int) -> bool:
    """One set more where the lagging side dominates, else one set less where the leading side does."""

    def gain(i: Adjustable) -> float:
        return (i.anterior - i.posterior) if toward == "anterior" else (i.posterior - i.anterior)

    growers = sorted(
        (i for i in items if gain(i) > 0 and i.sets < max_sets), key=lambda i: (-gain(i), i.sets)
    )
    if growers:
        growers[0].sets += 1
        return True
    shrinkers = sorted(
        (i for i in items if gain(i) < 0 and i.sets > i.min_sets), key=lambda i: (gain(i), -i.sets)
    )
    if shrinkers:
        shrinkers[0].sets -= 1
        return True
    return False
