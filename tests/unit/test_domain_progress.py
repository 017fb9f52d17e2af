"""Progress analytics in the domain (``domain/progress.py``), fed by plain values: any log that has
dates, kinds, minutes, RPE and items can be summarised, not only the log file's models.

Due 8 June 2026: stage weeks start on Mondays; 2 March 2026 is the Monday of pregnancy week 26
and the third trimester starts on Monday 16 March (week 28).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.progress import (
    Adherence,
    RpeTrend,
    Streak,
    Targets,
    WeekSummary,
    WeekTally,
    completion,
    highlights,
    out_of_range,
    plan_streak,
    rpe_trend,
    stage_change,
    streak_line,
    targets_from,
)
from bumpwise.domain.rule import RequireAerobicMinutes, RequireStrengthSessions
from bumpwise.domain.stage import StageClock
from bumpwise.domain.vocab import SessionKind

KB = default_knowledge()
CLOCK = StageClock(date(2026, 6, 8), None, None)
MONDAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Item:
    exercise: str
    sets: int | None = None


@dataclass(frozen=True)
class Done:
    date: date
    kind: SessionKind
    minutes: int | None = None
    rpe: int | None = None
    items: Sequence[Item] = ()


@dataclass(frozen=True)
class CheckIn:
    date: date
    symptoms: Sequence[str] = ()
    warning_signs: Sequence[str] = ()
    note: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return (*self.warning_signs, *self.symptoms)


@dataclass(frozen=True)
class Week:
    """A week's numbers with everything else neutral, for the functions across weeks."""

    index: int = 1
    moderate_minutes: int = 150
    strength_sessions: int = 2
    posterior: float = 0.0
    anterior: float = 0.0
    rpe_mean: float | None = None
    adherence: Adherence | None = None
    symptoms: tuple[str, ...] = field(default=())

    def summary(self) -> WeekSummary:
        return WeekSummary(
            index=self.index,
            start=MONDAY + timedelta(weeks=self.index - 1),
            stage_at_start=None,
            stage_change=None,
            sessions=0,
            moderate_minutes=self.moderate_minutes,
            aerobic_minutes=0,
            light_minutes=0,
            strength_sessions=self.strength_sessions,
            pelvic_floor_days=0,
            posterior_volume=self.posterior,
            anterior_volume=self.anterior,
            rpe_mean=self.rpe_mean,
            rpe_max=None,
            adherence=self.adherence,
            symptoms=self.symptoms,
            warning_signs=(),
        )


def test_targets_are_the_numbers_of_the_requirement_rules() -> None:
    targets = targets_from(KB)
    aerobic = next(r.action for r in KB.rules if isinstance(r.action, RequireAerobicMinutes))
    strength = next(r.action for r in KB.rules if isinstance(r.action, RequireStrengthSessions))
    assert targets.moderate_minutes == aerobic.params.minutes_per_week
    assert targets.strength_sessions == strength.params.min_sessions
    assert targets.as_dict()["rpe"] == [targets.rpe_min, targets.rpe_max]


def test_a_week_is_tallied_from_plain_values() -> None:
    sessions = [
        Done(MONDAY, SessionKind.STRENGTH, 30, 13, (Item("goblet-squat", 3), Item("glute-bridge"))),
        Done(MONDAY + timedelta(days=1), SessionKind.CARDIO, 40, 12),
        Done(MONDAY + timedelta(days=2), SessionKind.CARDIO, 20, 9),  # below the RPE band: light
        Done(MONDAY + timedelta(days=2), SessionKind.PELVIC_FLOOR, 5),
        Done(MONDAY + timedelta(days=7), SessionKind.STRENGTH, 30, 13),  # the next week
    ]
    tally = WeekTally(KB, sessions, [CheckIn(MONDAY, symptoms=("back_pain",))], CLOCK, targets_from(KB), None)
    week = tally.week(1, MONDAY)
    assert (week.sessions, week.strength_sessions, week.pelvic_floor_days) == (4, 1, 1)
    assert (week.moderate_minutes, week.aerobic_minutes, week.light_minutes) == (70, 40, 20)
    # goblet squat: 3 sets, back 1 and front 1; glute bridge: the library's 3 sets, back 1
    assert (week.posterior_volume, week.anterior_volume, week.balance_ratio) == (6.0, 3.0, 2.0)
    assert week.rpe_mean == round((13 + 12 + 9) / 3, 1) and week.rpe_max == 13
    assert week.symptoms == ("back_pain",) and week.adherence is None
    assert week.stage_short.startswith("week 26")


def test_an_exercise_outside_the_library_is_noted_not_counted() -> None:
    sessions = [Done(MONDAY, SessionKind.STRENGTH, 30, 13, (Item("not-an-exercise", 3),))]
    tally = WeekTally(KB, sessions, [], CLOCK, targets_from(KB), None)
    week = tally.week(1, MONDAY)
    assert (week.posterior_volume, week.anterior_volume) == (0.0, 0.0)
    assert tally.unknown == {"not-an-exercise"}


def test_the_new_trimester_is_named_on_the_week_it_starts() -> None:
    assert stage_change(CLOCK, MONDAY) is None
    assert stage_change(CLOCK, date(2026, 3, 16)) == "Trimester 3 begins on Monday 16 March"
    after = StageClock(date(2026, 6, 8), date(2026, 6, 3), None)
    assert stage_change(after, date(2026, 6, 1)) == "Birth on Wednesday 3 June"


def test_streak_completion_and_the_streak_in_words() -> None:
    met, missed = Adherence(planned=3, done=3), Adherence(planned=3, done=1)
    weeks = [Week(i + 1, adherence=a).summary() for i, a in enumerate([met, missed, met, None, met])]
    assert plan_streak(weeks) == Streak(current=2, best=2)
    assert plan_streak([Week().summary()]) is None
    done = completion(weeks)
    assert done is not None and (done.done, done.planned, done.percent) == (10, 12, 83)
    assert streak_line(Streak(current=0, best=2)).startswith("Plan streak: a week")
    assert streak_line(Streak(current=2, best=2)) == (
        "Plan streak: 2 weeks in a row with all of that week's planned sessions done."
    )


def test_the_aims_a_week_is_outside_of() -> None:
    targets = Targets()
    assert out_of_range(Week(posterior=3, anterior=3, rpe_mean=13).summary(), targets) == ()
    low = Week(moderate_minutes=100, strength_sessions=1, posterior=1, anterior=2, rpe_mean=15).summary()
    assert out_of_range(low, targets) == (
        "minutes below aim",
        "strength below aim",
        "balance outside aim",
        "effort above aim",
    )


def test_rpe_trend_and_the_highlights_say_it_in_words() -> None:
    weeks = tuple(Week(i + 1, rpe_mean=12 + i).summary() for i in range(4))
    trend = rpe_trend(weeks)
    assert trend == RpeTrend("rising", 1.0)
    assert rpe_trend(weeks[:1]) == RpeTrend("not enough data", None)
    lines = highlights(weeks, Targets(), trend, ())
    assert lines[0] == "4 of 4 weeks reached 150 moderate minutes."
    assert "Average effort RPE 13.5 (aim 12–14), rising. 1 week(s) averaged above 14" in lines[-1]
