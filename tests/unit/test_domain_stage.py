"""Today's stage week from the stored dates (services/stage.py): pure, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.services.stage import check_dates, stage_now

TODAY = date(2026, 3, 2)


def pregnant(due: date, today: date = TODAY):  # type: ignore[no-untyped-def]
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
