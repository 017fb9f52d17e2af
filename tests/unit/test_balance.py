"""Thigh balance helpers (``balance.py``): side weights, volumes and ``rebalance``.

Issue 3: posterior (glutes + hamstrings) against anterior (quadriceps) volume, sets weighted 1 for
a primary muscle and 0.5 for a secondary, ratio kept in 1.0–1.5. ``rebalance`` may move sets
within 1..max_sets and may drop (0 sets) only an item marked removable. Real exercises from the
shipped library are used, so the weights are the ones plans get.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import kb
from bumpwise.domain.balance import Adjustable, Slack, rebalance, side_weight, volumes
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH

LOW, HIGH, MAX_SETS = 1.0, 1.5, 4
LOWER_BODY = ("hinge", "squat", "lunge", "knee_flexion", "bridge", "hip_abduction")


def ex(exercise_id: str):
    return kb().exercises[exercise_id]


def item(exercise_id: str, sets: int, removable: bool = False) -> Adjustable:
    return Adjustable(ex(exercise_id), sets, removable, max_sets=MAX_SETS)


def ratio(items: list[Adjustable]) -> float:
    posterior, anterior = volumes(items)
    return posterior / anterior


# --- weights and volumes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "posterior", "anterior"),
    [
        ("dumbbell-romanian-deadlift", 1.0, 0.0),  # hamstrings and glutes primary: counted once
        ("kettlebell-deadlift", 1.0, 0.5),  # quadriceps secondary
        ("goblet-squat", 1.0, 1.0),  # quadriceps and glutes primary
        ("wall-sit", 0.5, 1.0),  # glutes secondary
        ("clamshell", 0.5, 0.0),  # hip abductors primary, glutes secondary
        ("glute-bridge", 1.0, 0.0),
        ("band-row", 0.0, 0.0),  # an upper-body pull: no thigh work
    ],
)
def test_side_weights(exercise_id, posterior, anterior):
    assert side_weight(ex(exercise_id), POSTERIOR_THIGH) == posterior
    assert side_weight(ex(exercise_id), ANTERIOR_THIGH) == anterior


def test_volumes_are_sets_times_weights():
    items = [item("dumbbell-romanian-deadlift", 3), item("goblet-squat", 2), item("wall-sit", 2)]
    assert volumes(items) == (3 + 2 + 1.0, 0 + 2 + 2)


# --- rebalance ----------------------------------------------------------------------------------


def test_a_week_already_in_range_is_left_alone():
    items = [item("dumbbell-romanian-deadlift", 3), item("goblet-squat", 3), item("wall-sit", 2)]
    before = [i.sets for i in items]
    assert LOW <= ratio(items) <= HIGH
    assert rebalance(items, LOW, HIGH)
    assert [i.sets for i in items] == before


def test_too_much_posterior_work_is_balanced_by_moving_sets():
    items = [item("dumbbell-romanian-deadlift", 3), item("glute-bridge", 3), item("wall-sit", 1)]
    assert ratio(items) > HIGH
    assert rebalance(items, LOW, HIGH)
    assert LOW <= ratio(items) <= HIGH
    assert all(1 <= i.sets <= MAX_SETS for i in items)


def test_too_much_anterior_work_is_balanced_by_moving_sets():
    items = [item("wall-sit", 4), item("goblet-squat", 1), item("dumbbell-romanian-deadlift", 1)]
    assert ratio(items) < LOW
    assert rebalance(items, LOW, HIGH)
    assert LOW <= ratio(items) <= HIGH


def test_hinge_squat_bridge_at_one_three_one_sets_is_balanced_by_a_squat_set():
    """5/3 = 1.67: only a fourth squat set (6/4 = 1.5) brings it in range; the first planner
    gave up on this week, which about 8% of random plans hit."""
    items = [item("hip-hinge-dowel", 1), item("bodyweight-squat", 3), item("glute-bridge", 1)]
    assert rebalance(items, LOW, HIGH)
    assert LOW <= ratio(items) <= HIGH


def test_only_removable_items_may_be_dropped():
    items = [
        item("wall-sit", 1),
        item("dumbbell-romanian-deadlift", 4),
        item("standing-band-hamstring-curl", 4, removable=True),
        item("glute-bridge", 4, removable=True),
    ]
    assert rebalance(items, LOW, HIGH)
    assert LOW <= ratio(items) <= HIGH
    for adjusted in items:
        assert adjusted.sets >= (0 if adjusted.removable else 1)


def test_an_added_set_must_fit_in_the_session_spare_time():
    slack = Slack(0)
    items = [item("bodyweight-squat", 3), item("hip-hinge-dowel", 1), item("glute-bridge", 1)]
    for adjustable in items:
        adjustable.slack, adjustable.seconds_per_set = slack, 60
    assert not rebalance(items, LOW, HIGH)
    slack.seconds = 60
    assert rebalance(items, LOW, HIGH)
    assert slack.seconds == 0


def test_an_impossible_week_is_reported_and_kept_within_bounds():
    items = [item("wall-sit", 1), item("wall-sit", 1), item("clamshell", 1)]
    for adjustable in items:
        adjustable.max_sets = 1
    assert not rebalance(items, LOW, HIGH)
    assert all(i.sets == 1 for i in items)


def test_one_sided_work_needs_no_balancing():
    items = [item("dumbbell-romanian-deadlift", 3), item("clamshell", 2)]
    assert rebalance(items, LOW, HIGH)
    assert [i.sets for i in items] == [3, 2]


def reachable(items: list[Adjustable]) -> bool:
    """Brute force: can any choice of sets within bounds put the ratio in range?"""
    choices = [range(i.min_sets, MAX_SETS + 1) for i in items]
    for sets in itertools.product(*choices):
        posterior = sum(s * i.posterior for s, i in zip(sets, items, strict=True))
        anterior = sum(s * i.anterior for s, i in zip(sets, items, strict=True))
        if posterior and anterior and LOW <= posterior / anterior <= HIGH:
            return True
    return False


lower_body_ids = sorted(e.id for e in kb().exercises.values() if e.pattern.value in LOWER_BODY)
adjustables = st.lists(
    st.tuples(st.sampled_from(lower_body_ids), st.integers(1, MAX_SETS), st.booleans()),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(adjustables)
def test_rebalance_keeps_bounds_and_succeeds_whenever_a_balance_exists(drafts):
    items = [item(i, sets, removable) for i, sets, removable in drafts]
    posterior, anterior = volumes(items)
    one_sided = posterior == 0 or anterior == 0
    possible = reachable([item(i, sets, removable) for i, sets, removable in drafts])
    ok = rebalance(items, LOW, HIGH)
    for adjusted, (_, _, removable) in zip(items, drafts, strict=True):
        assert (0 if removable else 1) <= adjusted.sets <= MAX_SETS
    if one_sided:
        assert ok
        return
    after_posterior, after_anterior = volumes(items)
    assert after_posterior > 0 and after_anterior > 0, "balancing must not drop a whole side"
    if ok:
        assert LOW <= after_posterior / after_anterior <= HIGH
    assert ok == possible, (drafts, [i.sets for i in items])
