"""The week layout helpers (``week_layout.py``): training days, strength days that are never back
to back (Sunday to Monday counts, the layout repeats every week), and the cardio shares.

Expectations are written from issue 3 and design.md §5, checked directly on the pure helpers.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bumpwise.domain.week_layout import (
    TRAINING_DAYS,
    DayPlan,
    WeekTargets,
    lay_out_week,
    pick_strength_days,
    strength_sessions_for,
)

QUICK = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])


def adjacent(a: int, b: int) -> bool:
    return (a - b) % 7 in (1, 6)


def targets(
    days: int,
    minutes: int,
    *,
    cardio: int = 150,
    fill: bool = True,
    strength: int | None = None,
    min_days: int = 3,
) -> WeekTargets:
    return WeekTargets(
        days_per_week=days,
        minutes_per_session=minutes,
        strength_sessions=strength if strength is not None else strength_sessions_for(days, 2),
        cardio_minutes=cardio,
        cardio_min_days=min_days,
        fill_cardio_days=fill,
        min_strength_minutes=20,
        min_cardio_block=10,
    )


def strength_days(layout: tuple[DayPlan, ...]) -> list[int]:
    return [d for d, plan in enumerate(layout) if plan.strength_minutes]


def cardio_total(layout: tuple[DayPlan, ...]) -> int:
    return sum(plan.cardio_minutes for plan in layout)


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


@pytest.mark.parametrize("days", range(1, 8))
@pytest.mark.parametrize("minutes", [10, 20, 30, 45, 60, 90])
def test_every_layout_has_seven_days_and_the_right_training_days(days, minutes):
    layout = lay_out_week(targets(days, minutes))
    assert len(layout) == 7
    assert sum(not plan.rest for plan in layout) == days
    assert len(strength_days(layout)) == strength_sessions_for(days, 2)
    for plan in layout:
        assert plan.strength_minutes + plan.cardio_minutes <= minutes
        if plan.strength_minutes:
            assert plan.strength_minutes >= min(20, minutes)
        if plan.cardio_minutes:
            assert plan.cardio_minutes >= min(10, minutes)


# --- cardio shares ----------------------------------------------------------------------------


def test_cardio_days_take_the_whole_session_and_strength_days_give_only_what_is_needed():
    layout = lay_out_week(targets(5, 30))
    strength = strength_days(layout)
    for day, plan in enumerate(layout):
        if day in strength:
            assert plan.strength_minutes >= 20
            assert plan.strength_minutes + plan.cardio_minutes == 30
        elif not plan.rest:
            assert plan.cardio_minutes == 30
    assert cardio_total(layout) == 110  # three cardio days, two 10-minute blocks; 150 does not fit


def test_strength_days_keep_their_whole_session_when_cardio_days_suffice():
    layout = lay_out_week(targets(6, 60))
    assert cardio_total(layout) >= 150
    for day in strength_days(layout):
        assert layout[day].strength_minutes == 60


def test_three_cardio_days_are_found_even_with_two_training_days_short():
    layout = lay_out_week(targets(3, 90))
    days_with_cardio = [d for d, plan in enumerate(layout) if plan.cardio_minutes]
    assert len(days_with_cardio) >= 3
    assert cardio_total(layout) >= 150


def test_a_short_strength_day_gives_no_cardio_block():
    layout = lay_out_week(targets(2, 25))
    for day in strength_days(layout):
        assert layout[day].cardio_minutes == 0


def test_build_up_targets_are_spread_in_5_minute_steps():
    layout = lay_out_week(targets(4, 30, cardio=60, fill=False))
    blocks = [plan.cardio_minutes for plan in layout if plan.cardio_minutes]
    assert sum(blocks) == 60
    assert all(b % 5 == 0 for b in blocks)
    assert len(blocks) >= 3, "at least three days carry cardio"


@QUICK
@given(st.integers(1, 7), st.integers(10, 90), st.integers(30, 150), st.booleans())
def test_layout_invariants(days, minutes, cardio, fill):
    layout = lay_out_week(targets(days, minutes, cardio=cardio, fill=fill))
    chosen = strength_days(layout)
    assert all(a == b or not adjacent(a, b) for a in chosen for b in chosen)
    training = set(TRAINING_DAYS[days])
    for day, plan in enumerate(layout):
        assert plan.strength_minutes + plan.cardio_minutes <= minutes
        if day not in training:
            assert plan.rest
    if not fill:
        assert cardio_total(layout) <= cardio + 10


def capacity(days: int, minutes: int) -> int:
    """What the week can hold: whole cardio days, plus strength days' time above 20 minutes when
    that is at least one 10-minute block."""
    strength = strength_sessions_for(days, 2)
    spare = minutes - 20
    return (days - strength) * minutes + (strength * spare if spare >= 10 else 0)


@QUICK
@given(st.integers(3, 7), st.integers(10, 90))
def test_fill_reaches_near_150_when_the_week_has_room(days, minutes):
    if capacity(days, minutes) >= 150:
        assert cardio_total(lay_out_week(targets(days, minutes))) >= 146


def test_fill_reaches_150_when_the_week_has_room():
    assert capacity(4, 57) >= 150
    assert cardio_total(lay_out_week(targets(4, 57))) >= 150


def test_build_up_target_is_met_when_the_week_has_room():
    assert capacity(6, 35) >= 150
    assert cardio_total(lay_out_week(targets(6, 35, cardio=150, fill=False))) == 150


@QUICK
@given(st.integers(1, 7), st.integers(10, 90), st.integers(6, 30).map(lambda k: 5 * k))
def test_build_up_target_is_met_whenever_the_week_has_room(days, minutes, cardio):
    """Checked for targets the week can hold with room to spare on the cardio days alone."""
    strength = strength_sessions_for(days, 2)
    if (days - strength) * minutes >= cardio and days - strength >= 3:
        assert cardio_total(lay_out_week(targets(days, minutes, cardio=cardio, fill=False))) >= cardio
