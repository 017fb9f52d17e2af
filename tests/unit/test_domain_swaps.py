"""A coach's swap as an operation on the domain plan: the planned dose stays, the week's totals
and thigh balance are counted again, and nothing the rules exclude is swapped in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import MONDAY, kb, parsed
from bumpwise.domain.balance import side_weight
from bumpwise.domain.errors import InputError
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.plan import Item, Plan, Week
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import Profile
from bumpwise.domain.swaps import COACH_SWAP_RULE, Swap, apply_swaps, check_swap
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH, Pattern, SessionKind

KB = kb()
PERSON = parsed(equipment=["dumbbells"])


def week_of(person: Profile, seed: int = 1) -> Plan:
    return build_plan(person, KB, start=MONDAY, weeks=1, seed=seed)


def strength_mains(week: Week) -> list[Item]:
    return [
        item
        for day in week.days
        for session in day.sessions
        if session.kind is SessionKind.STRENGTH
        for item in session.items
        if item.block == "main"
    ]


def items_of(week: Week, exercise_id: str) -> list[Item]:
    return [i for d in week.days for s in d.sessions for i in s.items if i.exercise_id == exercise_id]


def usable_stand_in(person: Profile, planned: Item, pattern: Pattern) -> str | None:
    """A library exercise of ``pattern`` the rules leave usable for ``person`` (not ``planned``)."""
    rules = rules_in_force(person, KB)
    return next(
        (
            e.id
            for e in sorted(KB.exercises.values(), key=lambda e: e.id)
            if e.pattern is pattern and e.id != planned.exercise_id and rules.evaluate(e).usable
        ),
        None,
    )


def test_a_swapped_item_keeps_the_planned_dose_not_the_librarys() -> None:
    plan = week_of(PERSON)
    week = plan.weeks[0]
    # An item planned below its library dose: the stand-in must not get the library's sets back.
    planned, target = next(
        (i, stand_in)
        for i in strength_mains(week)
        if i.dose.sets < i.prescription.dose.sets
        and (stand_in := usable_stand_in(PERSON, i, i.prescription.exercise.pattern)) is not None
    )
    swapped = apply_swaps(plan, PERSON, KB, [Swap(planned.exercise_id, target, "easier on the wrists")])
    (item,) = {id(i): i for i in items_of(swapped.weeks[0], target) if i.substituted_for}.values()
    assert item.dose.sets == planned.dose.sets
    assert item.dose.rest_seconds == planned.dose.rest_seconds
    default = KB.exercises[target].dose
    same_measure = (item.dose.reps is None) == (planned.dose.reps is None)
    if same_measure:
        assert (item.dose.reps, item.dose.hold_seconds) == (planned.dose.reps, planned.dose.hold_seconds)
    assert item.dose.sets != default.sets or planned.dose.sets == default.sets
    assert item.block == planned.block and item.substituted_for == planned.exercise_id
    assert item.reasons[0].rule == COACH_SWAP_RULE and item.reasons[0].design_choice
    assert "easier on the wrists" in item.why
    assert not items_of(swapped.weeks[0], planned.exercise_id)


def test_totals_and_thigh_balance_are_counted_again_after_a_swap() -> None:
    plan = week_of(PERSON)
    week = plan.weeks[0]
    hinge = next(i for i in strength_mains(week) if i.prescription.exercise.pattern is Pattern.HINGE)
    squat_id = usable_stand_in(PERSON, hinge, Pattern.SQUAT)
    assert squat_id is not None
    squat = KB.exercises[squat_id]
    swapped = apply_swaps(plan, PERSON, KB, [Swap(hinge.exercise_id, squat_id)]).weeks[0]

    moved = [i for i in strength_mains(week) if i.exercise_id == hinge.exercise_id]
    sets = sum(i.dose.sets for i in moved)
    hinge_exercise = hinge.prescription.exercise
    posterior = week.totals.posterior_volume + sets * (
        side_weight(squat, POSTERIOR_THIGH) - side_weight(hinge_exercise, POSTERIOR_THIGH)
    )
    anterior = week.totals.anterior_volume + sets * (
        side_weight(squat, ANTERIOR_THIGH) - side_weight(hinge_exercise, ANTERIOR_THIGH)
    )
    assert (swapped.totals.posterior_volume, swapped.totals.anterior_volume) == (posterior, anterior)
    assert (posterior, anterior) != (week.totals.posterior_volume, week.totals.anterior_volume)
    assert swapped.totals.balance_ratio == (round(posterior / anterior, 2) if anterior else None)
    assert swapped.totals.balance_ratio != week.totals.balance_ratio
    # Minutes and session counts do not change with a like-for-like swap.
    assert replace(swapped.totals, posterior_volume=0, anterior_volume=0) == replace(
        week.totals, posterior_volume=0, anterior_volume=0
    )
    if swapped.totals.balance_ratio is not None and swapped.totals.balance_ratio < 1.0:
        assert any("no longer balanced" in note for note in swapped.notes)


def test_an_excluded_exercise_is_refused_and_left_out_of_the_plan() -> None:
    person = parsed(conditions=["pelvic_girdle_pain"])
    rules = rules_in_force(person, KB)
    excluded = next(
        e.id
        for e in sorted(KB.exercises.values(), key=lambda e: e.id)
        if rules.evaluate(e).prescription is None
    )
    plan = week_of(person)
    planned = strength_mains(plan.weeks[0])[0]
    with pytest.raises(InputError) as refused:
        check_swap(person, KB, planned.exercise_id, excluded)
    assert refused.value.field == "to_exercise" and "excluded" in refused.value.message
    swapped = apply_swaps(plan, person, KB, [Swap(planned.exercise_id, excluded)])
    assert not items_of(swapped.weeks[0], excluded)
    assert swapped.weeks[0].days == plan.weeks[0].days and swapped.weeks[0].totals == plan.weeks[0].totals
    assert any(f"swap to {excluded} is left out" in note for note in swapped.weeks[0].notes)


def test_no_swap_applies_while_the_person_is_not_cleared() -> None:
    person = parsed(symptoms=["vaginal_bleeding"])
    plan = week_of(person)
    assert apply_swaps(plan, person, KB, [Swap("glute-bridge", "bodyweight-squat")]) is plan
