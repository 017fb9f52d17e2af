"""Progress over the weeks, judged by the guidelines: the pure analytics behind the weekly summary.

Per stage week: moderate minutes against the 150-minute guideline, strength sessions, pelvic floor
days, posterior/anterior thigh volume and ratio, RPE, adherence to a plan when one is given, and the
symptoms reported; across the weeks: the RPE trend, the plan streak, completion and the plain-words
highlights. The targets come from the knowledge base's requirement rules, so progress is judged by
the same numbers as the planner. What was done is read through small protocols (``LoggedWork``,
``ReportedSymptoms``), so any log (the log file, the web app's rows) can be summarised.
``exports.summary.summarize`` puts the weeks of one activity log together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypedDict, TypeVar

from bumpwise.domain.balance import side_weight
from bumpwise.domain.catalog import N_, _, format_day, format_long_date, format_number, ngettext
from bumpwise.domain.contract import PlanDay, PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.rule import (
    Require,
    RequireAerobicMinutes,
    RequireIntensity,
    RequirePelvicFloorDaily,
    RequireStrengthSessions,
    RequireThighBalance,
)
from bumpwise.domain.stage import Stage, StageClock
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH, Pattern, SessionKind, StageKind

TREND_STEP = 0.3
"""RPE points per week a fitted line must rise or fall by to be called a trend."""


class LoggedItem(Protocol):
    """One exercise done; ``sets`` may be unknown."""

    @property
    def exercise(self) -> str: ...
    @property
    def sets(self) -> int | None: ...


class LoggedWork(Protocol):
    """One session done, as any log records it."""

    @property
    def date(self) -> dt.date: ...
    @property
    def kind(self) -> SessionKind: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def rpe(self) -> int | None: ...
    @property
    def items(self) -> Sequence[LoggedItem]: ...


class ReportedSymptoms(Protocol):
    """One check-in: the symptoms and warning signs reported on a day."""

    @property
    def date(self) -> dt.date: ...
    @property
    def symptoms(self) -> Sequence[str]: ...
    @property
    def warning_signs(self) -> Sequence[str]: ...
    @property
    def note(self) -> str: ...
    @property
    def ids(self) -> tuple[str, ...]: ...


class TargetsJson(TypedDict):
    moderate_minutes: int
    strength_sessions: int
    pelvic_floor_days: int
    rpe: list[int]
    balance_ratio: list[float]


class AdherenceJson(TypedDict):
    planned: int
    done: int
    percent: int


class WeekJson(TypedDict):
    week: int
    start: str
    end: str
    stage: str
    stage_short: str
    trimester: int | None
    stage_change: str | None
    sessions: int
    moderate_minutes: int
    aerobic_minutes: int
    light_minutes: int
    strength_sessions: int
    pelvic_floor_days: int
    posterior_volume: float
    anterior_volume: float
    balance_ratio: float | None
    rpe_mean: float | None
    rpe_max: int | None
    adherence: AdherenceJson | None
    symptoms: list[str]
    warning_signs: list[str]
    outside_aims: list[str]
    plan_met: bool


class StreakJson(TypedDict):
    current: int
    best: int


class SymptomEventJson(TypedDict):
    date: str
    stage: str
    symptoms: list[str]
    warning_signs: list[str]
    names: list[str]
    note: str


class RpeTrendJson(TypedDict):
    direction: str
    per_week: float | None


@dataclass(frozen=True)
class Targets:
    """The numbers a week is judged by, read from the requirement rules (``targets_from``)."""

    moderate_minutes: int = 150
    strength_sessions: int = 2
    pelvic_floor_days: int = 7
    rpe_min: int = 12
    rpe_max: int = 14
    balance_min: float = 1.0
    balance_max: float = 1.5

    def as_dict(self) -> TargetsJson:
        return {
            "moderate_minutes": self.moderate_minutes,
            "strength_sessions": self.strength_sessions,
            "pelvic_floor_days": self.pelvic_floor_days,
            "rpe": [self.rpe_min, self.rpe_max],
            "balance_ratio": [self.balance_min, self.balance_max],
        }


def targets_from(kb: KnowledgeBase) -> Targets:
    """The numbers of the first rule of each requirement, exactly as the planner reads them."""
    aerobic = _first(kb, RequireAerobicMinutes)
    strength = _first(kb, RequireStrengthSessions)
    pelvic = _first(kb, RequirePelvicFloorDaily)
    intensity = _first(kb, RequireIntensity)
    balance = _first(kb, RequireThighBalance)
    base = Targets()
    return Targets(
        moderate_minutes=aerobic.params.minutes_per_week if aerobic else base.moderate_minutes,
        strength_sessions=strength.params.min_sessions if strength else base.strength_sessions,
        pelvic_floor_days=pelvic.params.days_per_week if pelvic else base.pelvic_floor_days,
        rpe_min=intensity.params.rpe_min if intensity else base.rpe_min,
        rpe_max=intensity.params.rpe_max if intensity else base.rpe_max,
        balance_min=balance.params.ratio_min if balance else base.balance_min,
        balance_max=balance.params.ratio_max if balance else base.balance_max,
    )


R = TypeVar("R", bound=Require)


def _first(kb: KnowledgeBase, kind: type[R]) -> R | None:
    return next((r.action for r in kb.rules if isinstance(r.action, kind)), None)


@dataclass(frozen=True)
class Adherence:
    planned: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0

    def as_dict(self) -> AdherenceJson:
        return {"planned": self.planned, "done": self.done, "percent": self.percent}


@dataclass(frozen=True)
class WeekSummary:
    index: int
    start: date
    stage_at_start: Stage | None
    """None for a week before the birth when the log gives no due date."""
    stage_change: str | None
    sessions: int
    moderate_minutes: int
    aerobic_minutes: int
    light_minutes: int
    strength_sessions: int
    pelvic_floor_days: int
    posterior_volume: float
    anterior_volume: float
    rpe_mean: float | None
    rpe_max: int | None
    adherence: Adherence | None
    symptoms: tuple[str, ...]
    warning_signs: tuple[str, ...]
    outside_aims: tuple[str, ...] = ()
    """Short labels of the aims this week missed or went past (``out_of_range``), shown as marks."""

    @property
    def plan_met(self) -> bool:
        """Every session the plan set for this week was done (False when the week had no plan)."""
        return self.adherence is not None and self.adherence.done >= self.adherence.planned

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def balance_ratio(self) -> float | None:
        if not self.anterior_volume:
            return None
        return round(self.posterior_volume / self.anterior_volume, 2)

    @property
    def stage(self) -> str:
        return _stage_label(self.stage_at_start)

    @property
    def trimester(self) -> int | None:
        return self.stage_at_start.trimester if self.stage_at_start is not None else None

    @property
    def stage_short(self) -> str:
        """``week 26, T2`` in pregnancy; ``3 weeks after a vaginal birth`` after it."""
        if self.stage_at_start is None:
            return self.stage
        return self.stage_at_start.short_label()

    def as_dict(self) -> WeekJson:
        return {
            "week": self.index,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "stage": self.stage,
            "stage_short": self.stage_short,
            "trimester": self.trimester,
            "stage_change": self.stage_change,
            "sessions": self.sessions,
            "moderate_minutes": self.moderate_minutes,
            "aerobic_minutes": self.aerobic_minutes,
            "light_minutes": self.light_minutes,
            "strength_sessions": self.strength_sessions,
            "pelvic_floor_days": self.pelvic_floor_days,
            "posterior_volume": self.posterior_volume,
            "anterior_volume": self.anterior_volume,
            "balance_ratio": self.balance_ratio,
            "rpe_mean": self.rpe_mean,
            "rpe_max": self.rpe_max,
            "adherence": self.adherence.as_dict() if self.adherence else None,
            "symptoms": list(self.symptoms),
            "warning_signs": list(self.warning_signs),
            "outside_aims": list(self.outside_aims),
            "plan_met": self.plan_met,
        }


@dataclass(frozen=True)
class Streak:
    """Weeks in a row in which every session the plan set for that week was done.

    Each week is judged by its own planned sessions, so a lighter week of the plan (late pregnancy,
    early after the birth) counts just like a full one. Weeks with no planned sessions neither add
    to nor end a streak. ``current`` runs back from the latest week; a latest week still under way
    that is not met yet is left out rather than ending it. ``best`` is the longest run shown."""

    current: int
    best: int

    def as_dict(self) -> StreakJson:
        return {"current": self.current, "best": self.best}


def plan_streak(weeks: Sequence[WeekSummary], *, last_under_way: bool = False) -> Streak | None:
    """The streak over ``weeks`` (oldest first), or None when no week had planned sessions."""
    planned = [w for w in weeks if w.adherence is not None]
    if not planned:
        return None
    if last_under_way and planned[-1] is weeks[-1] and not planned[-1].plan_met:
        planned = planned[:-1]
    best = run = 0
    for week in planned:
        run = run + 1 if week.plan_met else 0
        best = max(best, run)
    return Streak(current=run, best=best)


def completion(weeks: Iterable[WeekSummary]) -> Adherence | None:
    """Planned sessions done over all the weeks shown, or None when none had planned sessions."""
    shown = [w.adherence for w in weeks if w.adherence is not None]
    if not shown:
        return None
    return Adherence(planned=sum(a.planned for a in shown), done=sum(a.done for a in shown))


def out_of_range(week: WeekSummary, targets: Targets) -> tuple[str, ...]:
    """The aims a week is outside of, as the short labels the charts print: minutes below the
    week's target, fewer strength sessions than the aim, thigh balance outside the band, or an
    average effort above the top of the RPE aim."""
    labels = []
    if week.moderate_minutes < targets.moderate_minutes:
        labels.append("minutes below aim")
    if week.strength_sessions < targets.strength_sessions:
        labels.append("strength below aim")
    ratio = week.balance_ratio
    if ratio is not None and not targets.balance_min <= ratio <= targets.balance_max:
        labels.append("balance outside aim")
    if week.rpe_mean is not None and week.rpe_mean > targets.rpe_max:
        labels.append("effort above aim")
    return tuple(labels)


@dataclass(frozen=True)
class SymptomEvent:
    date: date
    stage: str
    symptoms: tuple[str, ...]
    warning_signs: tuple[str, ...]
    names: tuple[str, ...]
    note: str

    def as_dict(self) -> SymptomEventJson:
        return {
            "date": self.date.isoformat(),
            "stage": self.stage,
            "symptoms": list(self.symptoms),
            "warning_signs": list(self.warning_signs),
            "names": list(self.names),
            "note": self.note,
        }


@dataclass(frozen=True)
class RpeTrend:
    direction: str
    """``rising``, ``steady``, ``falling``, or ``not enough data`` (fewer than two weeks with RPE)."""
    per_week: float | None

    def as_dict(self) -> RpeTrendJson:
        return {"direction": self.direction, "per_week": self.per_week}


class WeekTally:
    """Totals one stage week of a log. Thigh volume is sets × side weight over the lower-body
    balance patterns only, as in the planner (balance.py)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        sessions: Sequence[LoggedWork],
        reports: Sequence[ReportedSymptoms],
        clock: StageClock,
        targets: Targets,
        plan: PlanDocument | None,
    ) -> None:
        self.kb = kb
        self.sessions = sessions
        self.reports = reports
        self.clock = clock
        self.targets = targets
        self.counted = frozenset(kb.planning.balance_patterns)
        self.planned = _planned_sessions(plan)
        self.planned_sets = _planned_sets(plan)
        self.unknown: set[str] = set()

    def week(self, index: int, start: date) -> WeekSummary:
        end = start + timedelta(days=6)
        done = [s for s in self.sessions if start <= s.date <= end]
        reports = [r for r in self.reports if start <= r.date <= end]
        volumes = [self.volumes(s) for s in done]
        rpes = [s.rpe for s in done if s.rpe is not None]
        cardio = [s for s in done if s.kind is SessionKind.CARDIO]
        # Moderate strength work counts toward the 150 minutes too (Canada 2019, UK CMO).
        counted = [s for s in done if s.kind in (SessionKind.CARDIO, SessionKind.STRENGTH)]
        return WeekSummary(
            index=index,
            start=start,
            stage_at_start=self.clock.stage_on(start),
            stage_change=stage_change(self.clock, start),
            sessions=len(done),
            moderate_minutes=sum(s.minutes or 0 for s in counted if self.moderate(s)),
            aerobic_minutes=sum(s.minutes or 0 for s in cardio if self.moderate(s)),
            light_minutes=sum(s.minutes or 0 for s in cardio if not self.moderate(s)),
            strength_sessions=sum(1 for s in done if s.kind is SessionKind.STRENGTH),
            pelvic_floor_days=len({s.date for s in done if self.pelvic_floor(s)}),
            posterior_volume=round(sum(p for p, _ in volumes), 2),
            anterior_volume=round(sum(a for _, a in volumes), 2),
            rpe_mean=round(sum(rpes) / len(rpes), 1) if rpes else None,
            rpe_max=max(rpes) if rpes else None,
            adherence=self.adherence(start, done),
            symptoms=_unique(i for r in reports for i in r.symptoms),
            warning_signs=_unique(i for r in reports for i in r.warning_signs),
        )

    def moderate(self, session: LoggedWork) -> bool:
        """A session counts as moderate unless its RPE says it was lighter than the target band."""
        return session.rpe is None or session.rpe >= self.targets.rpe_min

    def volumes(self, session: LoggedWork) -> tuple[float, float]:
        posterior = anterior = 0.0
        for item in session.items:
            exercise = self.kb.exercises.get(item.exercise)
            if exercise is None:
                self.unknown.add(item.exercise)
                continue
            if exercise.pattern not in self.counted:
                continue
            sets = item.sets or self.planned_sets.get((session.date, item.exercise)) or exercise.dose.sets
            posterior += sets * side_weight(exercise, POSTERIOR_THIGH)
            anterior += sets * side_weight(exercise, ANTERIOR_THIGH)
        return posterior, anterior

    def pelvic_floor(self, session: LoggedWork) -> bool:
        if session.kind is SessionKind.PELVIC_FLOOR:
            return True
        exercises = (self.kb.exercises.get(i.exercise) for i in session.items)
        return any(e is not None and e.pattern is Pattern.PELVIC_FLOOR for e in exercises)

    def adherence(self, start: date, done: list[LoggedWork]) -> Adherence | None:
        """Planned sessions of the week against logged ones, kind by kind (a session moved to
        another day of the same week still counts)."""
        wanted: Counter[str] = Counter()
        for offset in range(7):
            wanted.update(self.planned.get(start + timedelta(days=offset), Counter()))
        if not wanted:
            return None
        logged = Counter(s.kind.value for s in done)
        return Adherence(planned=sum(wanted.values()), done=sum(min(n, logged[k]) for k, n in wanted.items()))


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _stage_label(stage: Stage | None) -> str:
    return stage.label() if stage is not None else _("before the birth (no due date given)")


def _phase(stage: Stage | None) -> tuple[StageKind | None, int | None]:
    return (stage.kind, stage.trimester) if stage is not None else (None, None)


def stage_change(clock: StageClock, start: date) -> str | None:
    """The birth or a new trimester on a day of the week starting ``start``, if one falls there."""
    for offset in range(7):
        day = start + timedelta(days=offset)
        now = clock.stage_on(day)
        if now is None or _phase(clock.stage_on(day - timedelta(days=1))) == _phase(now):
            continue
        if now.kind is StageKind.POSTPARTUM:
            return _("Birth on %(day)s", day=format_day(day))
        return _("Trimester %(trimester)s begins on %(day)s", trimester=now.trimester, day=format_day(day))
    return None


# --- the plan side --------------------------------------------------------------------------


def _plan_days(plan: PlanDocument | None) -> Iterable[PlanDay]:
    if plan is None:
        return ()
    return (day for week in plan.weeks for day in week.days)


def _planned_sessions(plan: PlanDocument | None) -> dict[date, Counter[str]]:
    return {day.date: Counter(s.kind.value for s in day.sessions) for day in _plan_days(plan)}


def _planned_sets(plan: PlanDocument | None) -> dict[tuple[date, str], int]:
    return {
        (day.date, item.exercise.id): item.dose.sets
        for day in _plan_days(plan)
        for session in day.sessions
        for item in session.items
    }


# --- across the weeks -----------------------------------------------------------------------


def rpe_trend(weeks: Iterable[WeekSummary]) -> RpeTrend:
    """Least-squares slope of the weekly mean RPE, in RPE points per week."""
    points = [(float(w.index), w.rpe_mean) for w in weeks if w.rpe_mean is not None]
    if len(points) < 2:
        return RpeTrend(N_("not enough data"), None)
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    direction = (
        N_("rising") if slope >= TREND_STEP else N_("falling") if slope <= -TREND_STEP else N_("steady")
    )
    return RpeTrend(direction, round(slope, 2))


def symptom_timeline(
    reports: Iterable[ReportedSymptoms], clock: StageClock, kb: KnowledgeBase, start: date, end: date
) -> tuple[SymptomEvent, ...]:
    events = []
    for report in sorted(reports, key=lambda r: r.date):
        if not start <= report.date <= end:
            continue
        names = tuple(_term_name(kb, i) for i in report.ids)
        events.append(
            SymptomEvent(
                date=report.date,
                stage=_stage_label(clock.stage_on(report.date)),
                symptoms=tuple(report.symptoms),
                warning_signs=tuple(report.warning_signs),
                names=names,
                note=report.note,
            )
        )
    return tuple(events)


def _term_name(kb: KnowledgeBase, term_id: str) -> str:
    term = kb.warning_signs.get(term_id) or kb.symptoms.get(term_id)
    return term.name if term is not None else term_id.replace("_", " ")


def highlights(
    weeks: tuple[WeekSummary, ...],
    targets: Targets,
    trend: RpeTrend,
    timeline: tuple[SymptomEvent, ...],
    streak: Streak | None = None,
) -> tuple[str, ...]:
    """Plain sentences a member or coach reads first; warning signs come before anything else."""
    n = len(weeks)
    lines = [
        _(
            "Warning sign reported on %(day)s: %(names)s. "
            "Stop exercising and contact your midwife, doctor or maternity unit.",
            day=format_long_date(e.date),
            names=", ".join(e.names[: len(e.warning_signs)]),
        )
        for e in timeline
        if e.warning_signs
    ]
    met = sum(1 for w in weeks if w.moderate_minutes >= targets.moderate_minutes)
    lines.append(
        _(
            "%(met)s of %(n)s weeks reached %(target)s moderate minutes.",
            met=met,
            n=n,
            target=targets.moderate_minutes,
        )
    )
    strong = sum(1 for w in weeks if w.strength_sessions >= targets.strength_sessions)
    lines.append(
        _(
            "%(strong)s of %(n)s weeks had at least %(target)s strength sessions.",
            strong=strong,
            n=n,
            target=targets.strength_sessions,
        )
    )
    days = sum(w.pelvic_floor_days for w in weeks)
    lines.append(_("Pelvic floor training on %(days)s of %(total)s days.", days=days, total=7 * n))
    lines.append(_balance_line(weeks, targets))
    lines.append(_rpe_line(weeks, targets, trend))
    done = completion(weeks)
    if done is not None:
        lines.append(
            _(
                "%(done)s of %(planned)s planned sessions done (%(percent)s%%).",
                done=done.done,
                planned=done.planned,
                percent=done.percent,
            )
        )
    if streak is not None:
        lines.append(streak_line(streak))
    return tuple(lines)


def streak_line(streak: Streak) -> str:
    """The streak in plain words: a count, never a reproach."""
    if streak.current == 0:
        return _(
            "Plan streak: a week with all its planned sessions done starts one (each week has its plan)."
        )
    return ngettext(
        "Plan streak: %(num)s week with all of that week's planned sessions done.",
        "Plan streak: %(num)s weeks in a row with all of that week's planned sessions done.",
        streak.current,
    )


def _balance_line(weeks: tuple[WeekSummary, ...], targets: Targets) -> str:
    ratios = [w.balance_ratio for w in weeks if w.balance_ratio is not None]
    band = f"{targets.balance_min:.1f}–{targets.balance_max:.1f}"
    if not ratios:
        return _("No leg work for the front of the thigh was logged, so thigh balance is not known.")
    inside = sum(1 for r in ratios if targets.balance_min <= r <= targets.balance_max)
    return _(
        "Back-to-front thigh balance was within %(band)s in %(inside)s of %(weeks)s weeks with leg work.",
        band=band,
        inside=inside,
        weeks=len(ratios),
    )


def _rpe_line(weeks: tuple[WeekSummary, ...], targets: Targets, trend: RpeTrend) -> str:
    means = [w.rpe_mean for w in weeks if w.rpe_mean is not None]
    if not means:
        return _("No effort ratings (RPE) were logged.")
    average = sum(means) / len(means)
    above = sum(1 for m in means if m > targets.rpe_max)
    text = _(
        "Average effort RPE %(average)s (aim %(low)s–%(high)s), %(trend)s.",
        average=format_number(average),
        low=targets.rpe_min,
        high=targets.rpe_max,
        trend=_(trend.direction),
    )
    if above:
        text += " " + _(
            "%(above)s week(s) averaged above %(high)s: ease off to a pace you can talk at.",
            above=above,
            high=targets.rpe_max,
        )
    return text
