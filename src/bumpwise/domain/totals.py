"""A week's totals from its days: minutes, sessions and the thigh balance (balance.py).

Used by the swaps, which change a planned week after the planner has counted it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bumpwise.domain.balance import side_weight
from bumpwise.domain.plan import Day, Totals
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH, Pattern, SessionKind


def week_totals(days: tuple[Day, ...], balance_patterns: Iterable[Pattern]) -> Totals:
    """What ``days`` add up to; only main strength items of ``balance_patterns`` count toward balance."""
    sessions = [s for d in days for s in d.sessions]
    counted = set(balance_patterns)
    mains = [
        i
        for s in sessions
        if s.kind is SessionKind.STRENGTH
        for i in s.items
        if i.block == "main" and i.prescription.exercise.pattern in counted
    ]
    posterior = sum(i.dose.sets * side_weight(i.prescription.exercise, POSTERIOR_THIGH) for i in mains)
    anterior = sum(i.dose.sets * side_weight(i.prescription.exercise, ANTERIOR_THIGH) for i in mains)
    aerobic = sum(s.minutes for s in sessions if s.kind is SessionKind.CARDIO)
    strength = sum(
        s.minutes for s in sessions if s.kind is SessionKind.STRENGTH and s.intensity.label == "moderate"
    )
    return Totals(
        moderate_minutes=aerobic + strength,
        strength_sessions=sum(1 for s in sessions if s.kind is SessionKind.STRENGTH),
        pelvic_floor_days=sum(1 for d in days if any(s.kind is SessionKind.PELVIC_FLOOR for s in d.sessions)),
        posterior_volume=posterior,
        anterior_volume=anterior,
        cardio_days=sum(1 for d in days if any(s.kind is SessionKind.CARDIO for s in d.sessions)),
        aerobic_minutes=aerobic,
        strength_minutes=strength,
    )
