"""Today's stage week from the stored date: the due date in pregnancy, the birth date after it.

Pure: ``today`` comes in. Pregnancy weeks are completed weeks since the due date minus 280 days
(so 27 weeks and 6 days is week 27), clamped to 1–42; weeks after birth are completed weeks
since the birth, clamped to 0–104. The stage week always starts on the same weekday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bumpwise.domain.errors import InputError
from bumpwise.domain.profile import POSTPARTUM_WEEKS, PREGNANT_WEEKS

PREGNANCY_DAYS = 280
EARLIEST_DUE_PAST = timedelta(weeks=3)
LATEST_BIRTH_PAST = timedelta(weeks=POSTPARTUM_WEEKS[1] + 4)


@dataclass(frozen=True)
class StageNow:
    kind: str
    week: int
    delivery: str | None
    week_start: date
    notice: str | None = None

    def as_profile_stage(self) -> dict[str, object]:
        stage: dict[str, object] = {"kind": self.kind, "week": self.week}
        if self.delivery is not None:
            stage["delivery"] = self.delivery
        return stage

    @property
    def label(self) -> str:
        if self.kind == "pregnant":
            trimester = 1 if self.week <= 13 else 2 if self.week <= 27 else 3
            return f"Week {self.week} of pregnancy (trimester {trimester})"
        return f"Week {self.week} after a {self.delivery} birth"


def stage_now(
    kind: str, *, due_date: date | None, birth_date: date | None, delivery: str | None, today: date
) -> StageNow:
    if kind == "pregnant":
        assert due_date is not None
        return _pregnancy(due_date, today)
    assert birth_date is not None
    return _postpartum(birth_date, delivery, today)


def _pregnancy(due_date: date, today: date) -> StageNow:
    origin = due_date - timedelta(days=PREGNANCY_DAYS)
    raw, start = _weeks_since(origin, today)
    low, high = PREGNANT_WEEKS
    notice = None
    if raw > high:
        notice = (
            "Your due date was more than two weeks ago. If your baby has arrived, update your "
            "details with the birth date to start a recovery plan."
        )
    return StageNow("pregnant", min(max(raw, low), high), None, start, notice)


def _postpartum(birth_date: date, delivery: str | None, today: date) -> StageNow:
    raw, start = _weeks_since(birth_date, today)
    low, high = POSTPARTUM_WEEKS
    notice = "Your plan stays at the two-year mark, the end of the postpartum range." if raw > high else None
    return StageNow("postpartum", min(max(raw, low), high), delivery, start, notice)


def _weeks_since(origin: date, today: date) -> tuple[int, date]:
    days = (today - origin).days
    return days // 7, today - timedelta(days=days % 7)


def check_dates(kind: str, due_date: date | None, birth_date: date | None, today: date) -> None:
    """Refuse dates that cannot be right, naming the field."""
    if kind == "pregnant":
        if due_date is None:
            raise InputError("due_date", "is required during pregnancy")
        if due_date < today - EARLIEST_DUE_PAST:
            raise InputError(
                "due_date", "is more than three weeks ago: if the baby is born, give the birth date"
            )
        if due_date > today + timedelta(days=PREGNANCY_DAYS):
            raise InputError("due_date", "is more than 40 weeks away")
        return
    if birth_date is None:
        raise InputError("birth_date", "is required after the birth")
    if birth_date > today:
        raise InputError("birth_date", "is in the future")
    if birth_date < today - LATEST_BIRTH_PAST:
        raise InputError("birth_date", "is more than two years ago, beyond the postpartum range")
