"""The one Stage (domain/stage.py): from a week or from dates, trimesters, phases, labels; pure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.domain.stage import (
    PREGNANCY_DAYS,
    Stage,
    StageClock,
    StageNow,
    check_dates,
    check_stage,
    clock_at,
    stage_now,
)
from bumpwise.domain.vocab import Delivery, StageKind

TODAY = date(2026, 3, 2)


def pregnant(due: date, today: date = TODAY) -> StageNow:
    return stage_now("pregnant", due_date=due, birth_date=None, delivery=None, today=today)


def test_pregnancy_week_counts_completed_weeks_from_the_due_date_minus_280_days() -> None:
    assert pregnant(TODAY + timedelta(days=280 - 27 * 7 - 6)).week == 27
    assert pregnant(TODAY + timedelta(days=280 - 28 * 7)).week == 28
    assert pregnant(TODAY + timedelta(days=280 - 28 * 7)).label == "Week 28 of pregnancy (trimester 3)"


def test_the_stage_week_changes_on_the_same_weekday_every_week() -> None:
    due = TODAY + timedelta(weeks=12, days=3)
    starts = sorted({pregnant(due, TODAY + timedelta(days=d)).week_start for d in range(7)})
    assert len(starts) == 2 and starts[1] - starts[0] == timedelta(weeks=1)


def test_weeks_are_clamped_and_a_late_due_date_asks_for_the_birth() -> None:
    early = pregnant(TODAY + timedelta(days=279))
    assert early.week == 1 and early.notice is None
    late = pregnant(TODAY - timedelta(weeks=3))
    assert late.week == 42 and late.notice and "birth date" in late.notice


def test_postpartum_weeks_count_from_the_birth() -> None:
    stage = stage_now(
        "postpartum", due_date=None, birth_date=TODAY - timedelta(days=20), delivery="caesarean", today=TODAY
    )
    assert stage.week == 2 and stage.label == "Week 2 after a caesarean birth"
    assert stage.as_profile_stage() == {"kind": "postpartum", "week": 2, "delivery": "caesarean"}


@pytest.mark.parametrize(
    ("kind", "due", "birth", "field"),
    [
        ("pregnant", None, None, "due_date"),
        ("pregnant", TODAY - timedelta(weeks=4), None, "due_date"),
        ("pregnant", TODAY + timedelta(weeks=41), None, "due_date"),
        ("postpartum", None, TODAY + timedelta(days=1), "birth_date"),
        ("postpartum", None, TODAY - timedelta(weeks=120), "birth_date"),
    ],
)
def test_impossible_dates_are_refused_naming_the_field(
    kind: str, due: date | None, birth: date | None, field: str
) -> None:
    with pytest.raises(InputError) as error:
        check_dates(kind, due, birth, TODAY)
    assert error.value.field == field


def pregnant_at(week: int) -> Stage:
    return Stage(kind=StageKind.PREGNANT, week=week)


def postpartum_at(week: int, delivery: Delivery = Delivery.VAGINAL) -> Stage:
    return Stage(kind=StageKind.POSTPARTUM, week=week, delivery=delivery)


@pytest.mark.parametrize(
    ("week", "trimester"), [(1, 1), (13, 1), (14, 2), (27, 2), (28, 3), (40, 3), (41, 3), (42, 3)]
)
def test_trimester_bounds_are_13_14_and_27_28(week: int, trimester: int) -> None:
    stage = pregnant_at(week)
    assert stage.trimester == trimester
    assert stage.postpartum_phase is None
    assert stage.label() == f"week {week} of pregnancy (trimester {trimester})"


@pytest.mark.parametrize(("week", "phase"), [(0, 1), (5, 1), (6, 2), (11, 2), (12, 3), (104, 3)])
def test_postpartum_phases_start_at_6_and_12_weeks(week: int, phase: int) -> None:
    stage = postpartum_at(week)
    assert stage.postpartum_phase == phase
    assert stage.trimester is None


def test_labels_long_short_and_capitalized() -> None:
    assert pregnant_at(26).short_label() == "week 26, T2"
    assert pregnant_at(26).label(capitalized=True) == "Week 26 of pregnancy (trimester 2)"
    assert postpartum_at(3, Delivery.CAESAREAN).label() == "week 3 after a caesarean birth"
    assert postpartum_at(3).short_label() == "3 weeks after a vaginal birth"
    assert postpartum_at(1).short_label() == "1 week after a vaginal birth"


def test_advancing_stops_at_the_end_of_the_range() -> None:
    assert pregnant_at(40).advanced(1).week == 41
    assert pregnant_at(40).advanced(5).week == 42
    assert postpartum_at(100).advanced(10).week == 104


@pytest.mark.parametrize(
    ("stage", "field"),
    [
        (Stage(kind=StageKind.PREGNANT, week=0), "stage.week"),
        (Stage(kind=StageKind.PREGNANT, week=43), "stage.week"),
        (Stage(kind=StageKind.POSTPARTUM, week=105, delivery=Delivery.VAGINAL), "stage.week"),
        (Stage(kind=StageKind.POSTPARTUM, week=3), "stage.delivery"),
        (Stage(kind=StageKind.PREGNANT, week=3, delivery=Delivery.VAGINAL), "stage.delivery"),
    ],
)
def test_a_stage_out_of_range_or_with_the_wrong_delivery_is_refused(stage: Stage, field: str) -> None:
    with pytest.raises(InputError) as error:
        check_stage(stage)
    assert error.value.field == field


def test_around_the_due_date_weeks_40_41_42_then_clamped() -> None:
    due = date(2026, 6, 1)
    clock = StageClock(due, None, None)
    assert clock.stage_on(due - timedelta(days=1)) == pregnant_at(39)
    assert clock.stage_on(due) == pregnant_at(40)
    assert clock.stage_on(due + timedelta(days=6)) == pregnant_at(40)
    assert clock.stage_on(due + timedelta(days=7)) == pregnant_at(41)
    assert clock.stage_on(due + timedelta(days=14)) == pregnant_at(42)
    assert clock.stage_on(due + timedelta(days=30)) == pregnant_at(42)
    assert clock.week_start(due + timedelta(days=3)) == due
    assert clock.origin() == due - timedelta(days=PREGNANCY_DAYS)


def test_a_clock_with_both_dates_changes_kind_on_the_birth_day() -> None:
    due, birth = date(2026, 6, 1), date(2026, 5, 25)
    clock = StageClock(due, birth, Delivery.CAESAREAN)
    assert clock.stage_on(birth - timedelta(days=1)) == pregnant_at(38)
    assert clock.stage_on(birth) == postpartum_at(0, Delivery.CAESAREAN)
    assert clock.stage_on(birth + timedelta(weeks=6)) == postpartum_at(6, Delivery.CAESAREAN)
    assert StageClock(None, birth, Delivery.VAGINAL).stage_on(birth - timedelta(days=1)) is None


def test_a_stage_on_a_day_gives_the_same_clock_as_the_dates() -> None:
    on = date(2026, 3, 16)
    assert clock_at(pregnant_at(28), on).stage_on(on) == pregnant_at(28)
    assert clock_at(pregnant_at(28), on).stage_on(on - timedelta(days=1)) == pregnant_at(27)
    assert clock_at(postpartum_at(12), on).stage_on(on + timedelta(days=6)) == postpartum_at(12)
    born_today = Stage.from_dates(due_date=None, birth_date=on, delivery=Delivery.VAGINAL, day=on)
    assert born_today == postpartum_at(0)


def test_today_from_a_birth_date_in_the_future_is_week_0() -> None:
    stage = stage_now("postpartum", due_date=None, birth_date=TODAY + timedelta(days=2), delivery="vaginal",
                      today=TODAY)  # fmt: skip
    assert stage.stage == postpartum_at(0)
