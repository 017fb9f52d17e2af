"""A coach's swaps as an operation on the plan, judged by the same rules as everything else.

``apply_swaps`` puts each swap into a planned plan: the new exercise takes the planned item's
place, its block and its planned dose (the sets the planner balanced stay; the measure and
sidedness follow the new exercise when it is done another way), the week's totals and thigh
balance are recomputed, and the week says when a swap unbalances it. Every swap is judged once,
against screening and the rules in force for the person now, by ``suggestions.swap_in``: a swap
that is no longer safe (a new trimester, a new symptom) or needs missing equipment is left out
and the week says why. A person who is not cleared has no weeks, so no swap applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bumpwise.domain.catalog import N_
from bumpwise.domain.engine import Reason, RuleSet, Verdict
from bumpwise.domain.errors import InputError
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.exercise import Dose
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Day, Item, Plan, Totals, Week
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import RequireThighBalance
from bumpwise.domain.screening import screen
from bumpwise.domain.suggestions import swap_in
from bumpwise.domain.totals import week_totals

COACH_SWAP_RULE = "coach-swap"
COACH_SOURCE = "COACH"


@dataclass(frozen=True)
class Swap:
    """One exercise for another in a person's plan, with the coach's note."""

    from_exercise: str
    to_exercise: str
    note: str = ""


def check_swap(profile: Profile, kb: KnowledgeBase, from_id: str, to_id: str) -> Verdict:
    """The verdict on a coach's new swap, or an InputError naming the field: both must be library
    exercises, different, and the new one usable for this person now. A swap stored while the
    person is not cleared waits for the plan to resume (``apply_swaps`` judges it again)."""
    for field, exercise_id in (("from_exercise", from_id), ("to_exercise", to_id)):
        if exercise_id not in kb.exercises:
            raise InputError(field, f"{exercise_id!r} is not an exercise in the library")
    if from_id == to_id:
        raise InputError("to_exercise", N_("is the same exercise"))
    outcome = swap_in(rules_in_force(profile, kb), to_id)
    if isinstance(outcome, str):
        raise InputError("to_exercise", outcome)
    return outcome


def apply_swaps(plan: Plan, profile: Profile, kb: KnowledgeBase, swaps: Sequence[Swap]) -> Plan:
    """``plan`` with ``swaps`` applied to every week, each judged once for ``profile`` now."""
    if not swaps or not plan.weeks:
        return plan
    screening = screen(profile, kb)
    if not screening.cleared:
        return plan
    rules = rules_in_force(profile, kb, screening)
    judged = [(swap, swap_in(rules, swap.to_exercise)) for swap in swaps]
    return replace(plan, weeks=tuple(_swapped_week(week, judged, rules) for week in plan.weeks))


def _swapped_week(week: Week, judged: list[tuple[Swap, Verdict | str]], rules: RuleSet) -> Week:
    notes = list(week.notes)
    days = week.days
    for swap, outcome in judged:
        if isinstance(outcome, str):
            notes.append(f"Your coach's swap to {swap.to_exercise} is left out this week: {outcome}.")
        else:
            days = tuple(_swapped_day(day, swap, outcome) for day in days)
    if days is week.days:
        return replace(week, notes=tuple(notes))
    totals = week_totals(days, rules.kb.planning.balance_patterns)
    unbalanced = _unbalanced(totals, rules)
    if unbalanced is not None:
        notes.append(unbalanced)
    return replace(week, days=days, totals=totals, notes=tuple(notes))


def _unbalanced(totals: Totals, rules: RuleSet) -> str | None:
    """What the week says when the swaps take its thigh balance out of the required range."""
    balance = rules.first_required(RequireThighBalance)
    ratio = totals.balance_ratio
    if balance is None or ratio is None:
        return None
    low, high = balance.params.ratio_min, balance.params.ratio_max
    if low <= ratio <= high:
        return None
    return (
        "With your coach's swaps the back and front of the thighs are no longer balanced this "
        f"week (back to front {ratio}, aimed at {low} to {high})."
    )


def _swapped_day(day: Day, swap: Swap, verdict: Verdict) -> Day:
    sessions = tuple(
        replace(
            s,
            items=tuple(
                _swapped_item(i, swap, verdict) if i.exercise_id == swap.from_exercise else i for i in s.items
            ),
        )
        for s in day.sessions
    )
    return replace(day, sessions=sessions)


def _swapped_item(item: Item, swap: Swap, verdict: Verdict) -> Item:
    prescription = verdict.prescription
    assert prescription is not None  # swap_in returns only usable verdicts
    planned_name = item.prescription.name
    coach = Reason(
        rule=COACH_SWAP_RULE,
        sources=(COACH_SOURCE,),
        text=f"Your coach swapped {planned_name} for {prescription.name}; the safety rules still apply.",
        design_choice=True,
    )
    note = f" Their note: {swap.note}" if swap.note else ""
    return Item(
        prescription=prescription,
        dose=planned_dose(item.dose, prescription.dose),
        block=item.block,
        why=f"Chosen by your coach in place of {planned_name}.{note}",
        substituted_for=swap.from_exercise,
        reasons=(coach, *verdict.reasons),
    )


def planned_dose(planned: Dose, default: Dose) -> Dose:
    """The planned dose for a stand-in: the planned sets and rest always; the planned reps, hold
    or minutes when the stand-in is measured the same way, else its own; its own sidedness."""
    if _measure(planned) == _measure(default):
        return planned.model_copy(update={"per_side": default.per_side})
    return default.model_copy(update={"sets": planned.sets, "rest_seconds": planned.rest_seconds})


def _measure(dose: Dose) -> str:
    if dose.minutes is not None:
        return "minutes"
    return "hold_seconds" if dose.hold_seconds is not None else "reps"
