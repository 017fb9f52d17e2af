"""The week layout helpers (``week_layout.py``): training days, strength days that are never back
to back (Sunday to Monday counts, the layout repeats every week), the minutes strength days keep
for cardio, and the cardio shares (the week builder decides the capacities, see
test_planner_time.py).

Expectations are written from issue 3 and design.md §5, checked directly on the pure helpers.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bumpwise.domain.week_layout import (
    TRAINING_DAYS,
    cardio_reserve,
    pick_strength_days,
    share_cardio,
    spread,
    strength_sessions_for,
)

QUICK = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def adjacent(a: int, b: int) -> bool:
    return (a - b) % 7 in (1, 6)


# --- training and strength days ---------------------------------------------------------------


@pytest.mark.parametrize("days", range(1, 8))
def test_training_days_are_distinct_days_of_the_week(days):
    training = TRAINING_DAYS[days]
    assert len(training) == days == len(set(training))
    assert all(0 <= d <= 6 for d in training)


@pytest.mark.parametrize(("days", "expected"), [(1, 1), (2, 2), (3, 2), (4, 2), (5, 2), (6, 3), (7, 3)])
def test_strength_sessions_for_each_number_of_days(days, expected):
    assert strength_sessions_for(days, 2) == expected


@pytest.mark.parametrize("days", range(1, 8))
def test_strength_days_are_never_adjacent_including_sunday_to_monday(days):
    chosen = pick_strength_days(TRAINING_DAYS[days], strength_sessions_for(days, 2))
    assert len(chosen) == strength_sessions_for(days, 2)
    assert set(chosen) <= set(TRAINING_DAYS[days])
    for a in chosen:
        for b in chosen:
            assert a == b or not adjacent(a, b), chosen


def test_wrap_around_counts_as_adjacent():
    assert pick_strength_days((0, 6), 2) == (0,)
    assert pick_strength_days((0, 1, 2, 3, 4, 5, 6), 4) == (0, 2, 4)


@QUICK
@given(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(sorted), st.integers(1, 4))
def test_any_training_days_give_non_adjacent_strength_days(training, count):
    chosen = pick_strength_days(tuple(training), count)
    assert len(chosen) <= count
    assert set(chosen) <= set(training)
    assert all(a == b or not adjacent(a, b) for a in chosen for b in chosen)


# --- cardio shares -----------------------------------------------------------------------------


def test_fill_gives_every_day_its_whole_capacity():
    capacity = {0: 12, 1: 30, 3: 30}
    assert share_cardio(capacity, 10, 10, fill=True) == capacity


def test_build_up_targets_are_spread_in_5_minute_steps():
    shares = share_cardio({1: 30, 3: 30, 5: 30}, 60, 10, fill=False)
    assert sum(shares.values()) == 60
    assert all(m % 5 == 0 and m >= 10 for m in shares.values()), shares


@QUICK
@given(st.dictionaries(st.integers(0, 6), st.integers(0, 90), min_size=1), st.integers(0, 300))
def test_spread_never_exceeds_a_day_and_meets_the_target_when_the_days_hold_it(capacity, target):
    shares = spread(capacity, target, 10)
    assert all(10 <= m <= capacity[d] for d, m in shares.items()), shares
    room = sum(c for c in capacity.values() if c >= 10)
    if room >= target:
        assert sum(shares.values()) >= target, (shares, target)


def test_strength_days_keep_a_cardio_block_when_cardio_days_are_too_few():
    """Two training days, both strength days: each keeps 10 minutes when 20 are left for strength."""
    assert cardio_reserve((0, 3), (0, 3), {0: 30, 3: 30}, min_days=3, min_block=10, min_strength=20) == {
        0: 10,
        3: 10,
    }
    assert cardio_reserve((0, 3), (0, 3), {0: 25, 3: 25}, min_days=3, min_block=10, min_strength=20) == {}
    assert (
        cardio_reserve((0, 1, 3), (0, 3), {0: 30, 1: 30, 3: 30}, min_days=1, min_block=10, min_strength=20)
        == {}
    )
