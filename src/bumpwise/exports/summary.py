"""The weekly summary: what was done against the guidelines, week by week, from an activity log.

One pure function, ``summarize``, serves the member page, the coach's client page, the API and
``bumpwise report``. Weeks are stage weeks (they start on the weekday the stage weeks start), the
last one holding ``until``. The numbers of each week and across the weeks (targets from the
requirement rules, totals, adherence, streak, RPE trend, highlights) are computed by the pure
domain module ``domain/progress.py``; this module puts one log's weeks together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypedDict

from bumpwise.domain.catalog import N_
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.progress import (
    Adherence,
    AdherenceJson,
    RpeTrend,
    RpeTrendJson,
    Streak,
    StreakJson,
    SymptomEvent,
    SymptomEventJson,
    Targets,
    TargetsJson,
    WeekJson,
    WeekSummary,
    WeekTally,
    completion,
    highlights,
    out_of_range,
    plan_streak,
    rpe_trend,
    symptom_timeline,
    targets_from,
)
from bumpwise.exports.logs import ActivityLog

MIN_WEEKS = 4
MAX_WEEKS = 12


class SummaryJson(TypedDict):
    start: str
    end: str
    targets: TargetsJson
    weeks: list[WeekJson]
    rpe_trend: RpeTrendJson
    symptom_timeline: list[SymptomEventJson]
    highlights: list[str]
    unknown_exercises: list[str]
    completion: AdherenceJson | None
    streak: StreakJson | None
    disclaimer: str


@dataclass(frozen=True)
class Summary:
    start: date
    end: date
    weeks: tuple[WeekSummary, ...]
    targets: Targets
    rpe_trend: RpeTrend
    symptom_timeline: tuple[SymptomEvent, ...]
    highlights: tuple[str, ...]
    disclaimer: str
    unknown_exercises: tuple[str, ...] = field(default=())
    completion: Adherence | None = None
    streak: Streak | None = None

    @property
    def warning(self) -> bool:
        return any(e.warning_signs for e in self.symptom_timeline)

    def as_dict(self) -> SummaryJson:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "targets": self.targets.as_dict(),
            "weeks": [w.as_dict() for w in self.weeks],
            "rpe_trend": self.rpe_trend.as_dict(),
            "symptom_timeline": [e.as_dict() for e in self.symptom_timeline],
            "highlights": list(self.highlights),
            "unknown_exercises": list(self.unknown_exercises),
            "completion": self.completion.as_dict() if self.completion else None,
            "streak": self.streak.as_dict() if self.streak else None,
            "disclaimer": self.disclaimer,
        }


def summarize(
    log: ActivityLog,
    kb: KnowledgeBase,
    *,
    weeks: int = MIN_WEEKS,
    until: date | None = None,
    plan: PlanDocument | None = None,
) -> Summary:
    """The summary of the ``weeks`` stage weeks up to and including the one holding ``until``
    (default: the last date in the log). ``plan`` is a plan in its typed contract (``Plan.document()``
    or a stored plan); with it each week reports adherence, and items logged without sets count
    the planned sets."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise InputError(
            "weeks",
            N_("%(weeks)s is out of range: %(low)s to %(high)s"),
            values={"weeks": weeks, "low": MIN_WEEKS, "high": MAX_WEEKS},
        )
    last = until or log.last_date()
    if last is None:
        raise InputError("", N_("the log has no sessions or symptom reports to summarise: give --until"))
    clock = log.clock()
    first = clock.week_start(last) - timedelta(weeks=weeks - 1)
    targets = targets_from(kb)
    maker = WeekTally(kb, log.sessions, log.symptoms, clock, targets, plan)
    rows = tuple(maker.week(index + 1, first + timedelta(weeks=index)) for index in range(weeks))
    rows = tuple(replace(w, outside_aims=out_of_range(w, targets)) for w in rows)
    streak = plan_streak(rows, last_under_way=last < rows[-1].end)
    trend = rpe_trend(rows)
    timeline = symptom_timeline(log.symptoms, clock, kb, first, rows[-1].end)
    return Summary(
        start=first,
        end=rows[-1].end,
        weeks=rows,
        targets=targets,
        rpe_trend=trend,
        symptom_timeline=timeline,
        highlights=highlights(rows, targets, trend, timeline, streak),
        disclaimer=kb.disclaimer,
        unknown_exercises=tuple(sorted(maker.unknown)),
        completion=completion(rows),
        streak=streak,
    )
