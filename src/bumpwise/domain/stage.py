"""The stage of pregnancy or recovery: one value, built from a week or from dates (design.md §2).

Pure: ``today`` always comes in. Pregnancy weeks are completed weeks since the due date minus
280 days (so 27 weeks and 6 days is week 27), clamped to 1–42; weeks after birth are completed
weeks since the birth, clamped to 0–104. Stage weeks always start on the same weekday.
Trimesters: T1 weeks 1–13, T2 14–27, T3 28 and later. Postpartum phases: weeks 0–5, 6–11, 12+.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import StrictInt

from bumpwise.domain.catalog import N_, _, ngettext
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Strict
from bumpwise.domain.vocab import Delivery, StageKind

PREGNANCY_DAYS = 280
"""From the first day of the last period to the due date: 40 weeks."""
PREGNANT_WEEKS = (1, 42)
POSTPARTUM_WEEKS = (0, 104)
TRIMESTER_STARTS = (1, 14, 28)
"""The first pregnancy week of trimesters 1, 2 and 3."""
POSTPARTUM_PHASE_STARTS = (0, 6, 12)
"""The first week after birth of phases 1 (0–6 weeks), 2 (6–12 weeks) and 3 (12 weeks and on)."""

EARLIEST_DUE_PAST = timedelta(weeks=3)
LATEST_BIRTH_PAST = timedelta(weeks=POSTPARTUM_WEEKS[1] + 4)


def _ordinal_band(week: int, starts: tuple[int, ...]) -> int:
    """1 + how many band starts after the first lie at or below ``week``."""
    return 1 + sum(week >= start for start in starts[1:])


class Stage(Strict):
    """Pregnant at week 1–42, or postpartum at week 0–104 with a delivery (see ``check_stage``)."""

    kind: StageKind
    week: StrictInt
    delivery: Delivery | None = None

    @classmethod
    def from_dates(
        cls, *, due_date: date | None, birth_date: date | None, delivery: Delivery | None, day: date
    ) -> Stage | None:
        """The stage on ``day``; None only for a day before the birth when no due date is known."""
        return StageClock(due_date, birth_date, delivery).stage_on(day)

    @property
    def pregnant(self) -> bool:
        return self.kind is StageKind.PREGNANT

    @property
    def trimester(self) -> int | None:
        """1, 2 or 3 in pregnancy; None after birth."""
        return _ordinal_band(self.week, TRIMESTER_STARTS) if self.pregnant else None

    @property
    def postpartum_phase(self) -> int | None:
        """1 (weeks 0–5), 2 (weeks 6–11) or 3 (week 12 on) after birth; None in pregnancy."""
        return None if self.pregnant else _ordinal_band(self.week, POSTPARTUM_PHASE_STARTS)

    @property
    def week_range(self) -> tuple[int, int]:
        return PREGNANT_WEEKS if self.pregnant else POSTPARTUM_WEEKS

    def label(self, *, capitalized: bool = False) -> str:
        """``week 26 of pregnancy (trimester 2)`` or ``week 3 after a caesarean birth``."""
        if self.pregnant:
            text = _(
                "week %(week)s of pregnancy (trimester %(trimester)s)",
                week=self.week,
                trimester=self.trimester,
            )
        elif self.delivery is not None and self.delivery.value == "caesarean":
            text = _("week %(week)s after a caesarean birth", week=self.week)
        else:
            assert self.delivery is not None
            text = _("week %(week)s after a vaginal birth", week=self.week)
        return text[0].upper() + text[1:] if capitalized else text

    def short_label(self) -> str:
        """``week 26, T2`` in pregnancy; ``3 weeks after a vaginal birth`` after it."""
        if self.pregnant:
            return _("week %(week)s, T%(trimester)s", week=self.week, trimester=self.trimester)
        assert self.delivery is not None
        if self.delivery.value == "caesarean":
            return ngettext(
                "%(num)s week after a caesarean birth", "%(num)s weeks after a caesarean birth", self.week
            )
        return ngettext(
            "%(num)s week after a vaginal birth", "%(num)s weeks after a vaginal birth", self.week
        )

    def advanced(self, weeks: int) -> Stage:
        """The same pregnancy or recovery ``weeks`` later, capped at the end of the range."""
        return self.model_copy(update={"week": min(self.week + weeks, self.week_range[1])})

    def at_week(self, week: int) -> Stage:
        return self.model_copy(update={"week": week})

    def as_profile_stage(self) -> dict[str, object]:
        """The profile's ``stage`` object, as a profile file or the API spells it."""
        stage: dict[str, object] = {"kind": self.kind.value, "week": self.week}
        if self.delivery is not None:
            stage["delivery"] = self.delivery.value
        return stage


def check_stage(stage: Stage) -> None:
    """The week range of the stage kind, and a delivery exactly when postpartum."""
    low, high = stage.week_range
    if not low <= stage.week <= high:
        raise InputError(
            "stage.week", f"{stage.week} is out of range for {stage.kind.value}: {low} to {high}"
        )
    if not stage.pregnant and stage.delivery is None:
        raise InputError(
            "stage.delivery",
            N_("delivery is required after birth: vaginal or caesarean"),
            [d.value for d in Delivery],
        )
    if stage.pregnant and stage.delivery is not None:
        raise InputError("stage.delivery", N_("delivery applies only after birth (stage.kind postpartum)"))


def _clamp(week: int, bounds: tuple[int, int]) -> int:
    return min(max(week, bounds[0]), bounds[1])


@dataclass(frozen=True)
class StageClock:
    """The stage on any day from a due date, a birth date, or both (a log that spans the birth)."""

    due_date: date | None
    birth_date: date | None
    delivery: Delivery | None

    def stage_on(self, day: date) -> Stage | None:
        """None only for a day before the birth when no due date is known."""
        if self.birth_date is not None and day >= self.birth_date:
            week = _clamp(self.completed_weeks(day), POSTPARTUM_WEEKS)
            return Stage(kind=StageKind.POSTPARTUM, week=week, delivery=self.delivery)
        if self.due_date is None:
            return None
        pregnancy_origin = self.due_date - timedelta(days=PREGNANCY_DAYS)
        week = _clamp((day - pregnancy_origin).days // 7, PREGNANT_WEEKS)
        return Stage(kind=StageKind.PREGNANT, week=week)

    def origin(self) -> date:
        """Day 0 of the stage weeks: the birth, or else the due date minus 280 days."""
        if self.birth_date is not None:
            return self.birth_date
        assert self.due_date is not None
        return self.due_date - timedelta(days=PREGNANCY_DAYS)

    def completed_weeks(self, day: date) -> int:
        """Whole weeks from the origin to ``day``, before any clamping to the stage's range."""
        return (day - self.origin()).days // 7

    def week_start(self, day: date) -> date:
        """The first day of the stage week that holds ``day`` (stage weeks start on one weekday)."""
        return day - timedelta(days=(day - self.origin()).days % 7)


def clock_at(stage: Stage, on: date) -> StageClock:
    """The clock whose stage on ``on`` is ``stage``, ``on`` being the first day of that stage week."""
    origin = on - timedelta(weeks=stage.week)
    if stage.pregnant:
        return StageClock(origin + timedelta(days=PREGNANCY_DAYS), None, None)
    return StageClock(None, origin, stage.delivery)


@dataclass(frozen=True)
class StageNow:
    """Today's stage from the stored date, the first day of its stage week, and a notice when the
    date has run past the end of the range."""

    stage: Stage
    week_start: date
    notice: str | None = None

    @property
    def kind(self) -> StageKind:
        return self.stage.kind

    @property
    def week(self) -> int:
        return self.stage.week

    @property
    def delivery(self) -> Delivery | None:
        return self.stage.delivery

    @property
    def label(self) -> str:
        return self.stage.label(capitalized=True)

    def as_profile_stage(self) -> dict[str, object]:
        return self.stage.as_profile_stage()


OVERDUE_NOTICE = (
    "Your due date was more than two weeks ago. If your baby has arrived, update your "
    "details with the birth date to start a recovery plan."
)
PAST_RANGE_NOTICE = "Your plan stays at the two-year mark, the end of the postpartum range."


def stage_now(
    kind: str, *, due_date: date | None, birth_date: date | None, delivery: str | None, today: date
) -> StageNow:
    """Today's stage from the due date in pregnancy, or from the birth date after it."""
    if kind == StageKind.PREGNANT:
        assert due_date is not None
        clock = StageClock(due_date, None, None)
        notice = OVERDUE_NOTICE if clock.completed_weeks(today) > PREGNANT_WEEKS[1] else None
    else:
        assert birth_date is not None
        clock = StageClock(None, birth_date, Delivery(delivery) if delivery else None)
        notice = PAST_RANGE_NOTICE if clock.completed_weeks(today) > POSTPARTUM_WEEKS[1] else None
    stage = clock.stage_on(today) or Stage(
        kind=StageKind.POSTPARTUM, week=POSTPARTUM_WEEKS[0], delivery=clock.delivery
    )
    return StageNow(stage, clock.week_start(today), notice)


def check_dates(kind: str, due_date: date | None, birth_date: date | None, today: date) -> None:
    """Refuse dates that cannot be right, naming the field."""
    if kind == StageKind.PREGNANT:
        if due_date is None:
            raise InputError("due_date", N_("is required during pregnancy"))
        if due_date < today - EARLIEST_DUE_PAST:
            raise InputError(
                "due_date", N_("is more than three weeks ago: if the baby is born, give the birth date")
            )
        if due_date > today + timedelta(days=PREGNANCY_DAYS):
            raise InputError("due_date", N_("is more than 40 weeks away"))
        return
    if birth_date is None:
        raise InputError("birth_date", N_("is required after the birth"))
    if birth_date > today:
        raise InputError("birth_date", N_("is in the future"))
    if birth_date < today - LATEST_BIRTH_PAST:
        raise InputError("birth_date", N_("is more than two years ago, beyond the postpartum range"))
