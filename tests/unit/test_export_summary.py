"""The weekly summary against a log whose numbers were worked out by hand.

The log spans stage weeks 26–29 of a pregnancy (due 8 June 2026, so stage weeks start on
Mondays and week 28, the third trimester, starts on Monday 16 March 2026). Thigh volume is
sets × 1 for a primary muscle of the side and × 0.5 for a secondary one (balance.py).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from bumpwise.domain.contract import (
    PlanDay,
    PlanDocument,
    PlanDose,
    PlanExercise,
    PlanItem,
    PlanSession,
    PlanWeek,
)
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.vocab import SessionKind
from bumpwise.exports.logs import parse_log
from bumpwise.exports.summary import summarize

KB = default_knowledge()
M = TypeVar("M", bound=BaseModel)


def partial(model: type[M], **fields: Any) -> M:
    """A model with only the given fields set: model_construct skips validation on purpose."""
    return model.model_construct(**fields)


LOG: dict[str, Any] = {
    "format": 1,
    "due_date": "2026-06-08",
    "sessions": [
        # before the window: ignored
        {"date": "2026-02-20", "kind": "strength", "minutes": 30, "rpe": 19, "items": ["goblet-squat"]},
        # week 1, stage week 26 (2–8 March)
        {
            "date": "2026-03-02",
            "kind": "strength",
            "minutes": 30,
            "rpe": 13,
            "items": [
                {"exercise": "dumbbell-romanian-deadlift", "sets": 3},  # back 3
                {"exercise": "goblet-squat", "sets": 3},  # back 3, front 3
                "glute-bridge",  # no sets: the library dose, 3 → back 3
            ],
        },
        {"date": "2026-03-02", "kind": "pelvic_floor", "minutes": 5, "items": ["pelvic-floor-slow-holds"]},
        {"date": "2026-03-03", "kind": "cardio", "minutes": 40, "rpe": 12, "items": ["walking"]},
        {"date": "2026-03-04", "kind": "pelvic_floor", "minutes": 5},
        {
            "date": "2026-03-05",
            "kind": "strength",
            "minutes": 30,
            "rpe": 14,
            "items": [
                {"exercise": "reverse-lunge", "sets": 2},  # back 2, front 2
                {"exercise": "hamstring-presses", "sets": 2},  # back 2
                {"exercise": "clamshell", "sets": 2},  # glutes secondary: back 1
            ],
        },
        {"date": "2026-03-06", "kind": "cardio", "minutes": 45, "rpe": 13},
        {"date": "2026-03-07", "kind": "cardio", "minutes": 30, "rpe": 10},  # light: not moderate
        # week 2, stage week 27 (9–15 March)
        {
            "date": "2026-03-09",
            "kind": "strength",
            "minutes": 35,
            "rpe": 13,
            "items": [
                {"exercise": "goblet-squat", "sets": 3},  # back 3, front 3
                {"exercise": "dumbbell-romanian-deadlift", "sets": 2},  # back 2
                "pelvic-floor-lift-with-squat",  # a pelvic floor item: a pelvic floor day
            ],
        },
        {"date": "2026-03-10", "kind": "cardio", "minutes": 50, "rpe": 13},
        {"date": "2026-03-11", "kind": "cardio", "minutes": 50, "rpe": 14},
        {
            "date": "2026-03-12",
            "kind": "strength",
            "minutes": 30,
            "rpe": 15,
            "items": [
                {"exercise": "step-up", "sets": 3},  # back 3, front 3
                {"exercise": "hamstring-presses", "sets": 1},  # back 1
            ],
        },
        {"date": "2026-03-13", "kind": "pelvic_floor", "minutes": 5},
        {"date": "2026-03-14", "kind": "cardio", "minutes": 60},  # no RPE: counted as moderate
        # week 3, stage week 28 (16–22 March): the third trimester begins
        {"date": "2026-03-16", "kind": "pelvic_floor", "minutes": 5, "items": ["the-knack"]},
        {
            "date": "2026-03-17",
            "kind": "strength",
            "minutes": 30,
            "rpe": 13,
            "items": [
                {"exercise": "supported-box-squat", "sets": 2},  # back 2, front 2
                {"exercise": "glute-bridge", "sets": 2},  # back 2
            ],
        },
        {"date": "2026-03-18", "kind": "cardio", "minutes": 30, "rpe": 12, "items": ["swimming"]},
        {"date": "2026-03-19", "kind": "pelvic_floor", "minutes": 5},
        {"date": "2026-03-20", "kind": "cardio", "minutes": 30, "rpe": 12},
        {"date": "2026-03-21", "kind": "pelvic_floor", "minutes": 5},
        # week 4, stage week 29 (23–29 March)
        {
            "date": "2026-03-23",
            "kind": "strength",
            "minutes": 25,
            "rpe": 12,
            "items": [
                {"exercise": "chair-supported-squat", "sets": 2},  # back 2, front 2
                {"exercise": "banded-glute-bridge", "sets": 2},  # back 2
                {"exercise": "banded-lateral-walk", "sets": 2},  # both secondary: back 1, front 1
            ],
        },
        {"date": "2026-03-24", "kind": "cardio", "minutes": 30, "rpe": 12},
        {"date": "2026-03-25", "kind": "pelvic_floor", "minutes": 5},
        {"date": "2026-03-27", "kind": "cardio", "minutes": 20, "rpe": 11},  # light
    ],
    "symptoms": [
        {"date": "2026-02-25", "symptoms": ["knee_pain"]},  # before the window
        {"date": "2026-03-04", "symptoms": ["back_pain"]},
        {"date": "2026-03-18", "symptoms": ["pelvic_pain_flare", "urinary_leakage"], "note": "after stairs"},
        {"date": "2026-03-26", "symptoms": ["back_pain"], "warning_signs": ["dizziness_or_faintness"]},
    ],
}

# Moderate minutes count moderate strength sessions as well as cardio (Canada 2019, UK CMO).
# week: (start, stage week, trimester, sessions, moderate, light, strength, pelvic floor days,
#        back volume, front volume, ratio, mean RPE, max RPE)
EXPECTED = [
    (date(2026, 3, 2), 26, 2, 7, 145, 30, 2, 2, 14.0, 5.0, 2.8, 12.4, 14),
    (date(2026, 3, 9), 27, 2, 6, 225, 0, 2, 2, 9.0, 6.0, 1.5, 13.8, 15),
    (date(2026, 3, 16), 28, 3, 6, 90, 0, 1, 3, 4.0, 2.0, 2.0, 12.3, 13),
    (date(2026, 3, 23), 29, 3, 4, 55, 20, 1, 1, 5.0, 3.0, 1.67, 11.7, 12),
]


def summary_of(data: dict[str, Any] = LOG, **options: Any) -> Any:
    return summarize(parse_log(data, KB), KB, **options)


def test_weeks_match_the_hand_computed_totals() -> None:
    summary = summary_of()
    assert (summary.start, summary.end) == (date(2026, 3, 2), date(2026, 3, 29))
    for week, expected in zip(summary.weeks, EXPECTED, strict=True):
        got = (
            week.start,
            int(week.stage.split()[1]),
            week.trimester,
            week.sessions,
            week.moderate_minutes,
            week.light_minutes,
            week.strength_sessions,
            week.pelvic_floor_days,
            week.posterior_volume,
            week.anterior_volume,
            week.balance_ratio,
            week.rpe_mean,
            week.rpe_max,
        )
        assert got == expected


def test_the_trimester_boundary_is_named_on_its_week() -> None:
    summary = summary_of()
    assert [w.stage_change for w in summary.weeks] == [
        None,
        None,
        "Trimester 3 begins on Monday 16 March",
        None,
    ]
    assert summary.weeks[2].stage == "week 28 of pregnancy (trimester 3)"


def test_rpe_trend_is_the_least_squares_slope() -> None:
    # weekly means 12.4, 13.8, 12.3, 11.7 → slope (−1.8) / 5 = −0.36 a week
    trend = summary_of().rpe_trend
    assert trend.per_week == -0.36
    assert trend.direction == "falling"


def test_symptom_timeline_in_the_window_with_names_and_stage() -> None:
    timeline = summary_of().symptom_timeline
    assert [e.date for e in timeline] == [date(2026, 3, 4), date(2026, 3, 18), date(2026, 3, 26)]
    assert timeline[1].symptoms == ("pelvic_pain_flare", "urinary_leakage")
    assert timeline[1].note == "after stairs"
    assert timeline[1].stage == "week 28 of pregnancy (trimester 3)"
    assert timeline[2].warning_signs == ("dizziness_or_faintness",)
    assert timeline[2].names[0] == KB.warning_signs["dizziness_or_faintness"].name


def test_highlights_lead_with_the_warning_sign_then_the_counts() -> None:
    summary = summary_of()
    lines = summary.highlights
    assert lines[0].startswith("Warning sign reported on 26 March 2026")
    assert "1 of 4 weeks reached 150 moderate minutes." in lines
    assert "2 of 4 weeks had at least 2 strength sessions." in lines
    assert "Pelvic floor training on 8 of 28 days." in lines
    assert "Back-to-front thigh balance was within 1.0–2.0 in 3 of 4 weeks with leg work." in lines
    assert summary.warning


def test_adherence_and_planned_sets_from_a_plan() -> None:
    # Week 1 plan: strength Mon and Thu, cardio Tue, Fri and Sun, pelvic floor every day (12).
    # Done: strength 2, cardio 3 (the light one counts as done), pelvic floor 2 → 7 of 12.
    kinds = {
        "2026-03-02": ["strength", "pelvic_floor"],
        "2026-03-03": ["cardio", "pelvic_floor"],
        "2026-03-04": ["pelvic_floor"],
        "2026-03-05": ["strength", "pelvic_floor"],
        "2026-03-06": ["cardio", "pelvic_floor"],
        "2026-03-07": ["pelvic_floor"],
        "2026-03-08": ["cardio", "pelvic_floor"],
    }
    # Only what the summary reads of a plan: each day's session kinds and the items' ids and sets.
    bridge = partial(
        PlanItem, exercise=partial(PlanExercise, id="glute-bridge"), dose=partial(PlanDose, sets=2)
    )
    days = tuple(
        partial(
            PlanDay,
            date=date.fromisoformat(day),
            sessions=tuple(
                partial(PlanSession, kind=SessionKind(k), items=(bridge,) if k == "strength" else ())
                for k in session_kinds
            ),
        )
        for day, session_kinds in kinds.items()
    )
    plan = partial(PlanDocument, weeks=(partial(PlanWeek, days=days),))
    summary = summary_of(plan=plan)
    first = summary.weeks[0]
    assert first.adherence is not None
    assert (first.adherence.planned, first.adherence.done, first.adherence.percent) == (12, 7, 58)
    assert all(w.adherence is None for w in summary.weeks[1:])
    # glute-bridge logged without sets on 2 March counts the 2 planned sets, not the library's 3
    assert (first.posterior_volume, first.balance_ratio) == (13.0, 2.6)
    assert "7 of 12 planned sessions done (58%)." in summary.highlights


def plan_of(weeks: dict[str, list[str]]) -> PlanDocument:
    """Only what the summary reads of a plan: each given day with its planned session kinds."""
    days = tuple(
        partial(
            PlanDay,
            date=date.fromisoformat(day),
            sessions=tuple(partial(PlanSession, kind=SessionKind(k), items=()) for k in kinds),
        )
        for day, kinds in weeks.items()
    )
    return partial(PlanDocument, weeks=(partial(PlanWeek, days=days),))


# Planned per week, against the log: week 1 strength 2 + cardio 2 (done 2 + 3: met, 4 of 4);
# week 2 strength 2 + cardio 3 (done 2 + 3: met, 5 of 5); week 3 strength 2 + cardio 2 (done 1 + 2:
# 3 of 4, not met); week 4 a lighter week, strength 1 + cardio 2 + pelvic floor 1 (done: met, 4 of 4).
PLANNED = {
    "2026-03-02": ["strength", "cardio"],
    "2026-03-05": ["strength", "cardio"],
    "2026-03-09": ["strength", "cardio"],
    "2026-03-11": ["cardio"],
    "2026-03-12": ["strength", "cardio"],
    "2026-03-16": ["strength", "cardio"],
    "2026-03-19": ["strength", "cardio"],
    "2026-03-23": ["strength", "cardio"],
    "2026-03-25": ["pelvic_floor"],
    "2026-03-27": ["cardio"],
}


def test_completion_per_week_and_overall_from_the_logs_and_the_plan() -> None:
    summary = summary_of(plan=plan_of(PLANNED))
    per_week = [(w.adherence.done, w.adherence.planned, w.plan_met) for w in summary.weeks]
    assert per_week == [(4, 4, True), (5, 5, True), (3, 4, False), (4, 4, True)]
    assert summary.completion is not None
    assert (summary.completion.done, summary.completion.planned, summary.completion.percent) == (16, 17, 94)
    assert summary.as_dict()["completion"] == {"planned": 17, "done": 16, "percent": 94}
    assert [w["plan_met"] for w in summary.as_dict()["weeks"]] == [True, True, False, True]


def test_streak_counts_weeks_that_met_their_own_plan() -> None:
    summary = summary_of(plan=plan_of(PLANNED))
    assert summary.streak is not None
    assert (summary.streak.current, summary.streak.best) == (1, 2)
    assert "Plan streak: 1 week with all of that week's planned sessions done." in summary.highlights


def test_a_week_with_nothing_planned_neither_adds_to_nor_ends_the_streak() -> None:
    without_week_3 = {day: kinds for day, kinds in PLANNED.items() if not "2026-03-16" <= day <= "2026-03-22"}
    summary = summary_of(plan=plan_of(without_week_3))
    assert summary.weeks[2].adherence is None and not summary.weeks[2].plan_met
    assert summary.streak is not None
    assert (summary.streak.current, summary.streak.best) == (3, 3)
    line = "Plan streak: 3 weeks in a row with all of that week's planned sessions done."
    assert line in summary.highlights


def test_the_week_under_way_does_not_end_the_streak_until_it_is_over() -> None:
    # On Tuesday 24 March week 4 has 2 of its 4 sessions: it is left out, not counted as missed.
    log = copy.deepcopy(LOG)
    log["sessions"] = [s for s in log["sessions"] if s["date"] <= "2026-03-24"]
    log["symptoms"] = [s for s in log["symptoms"] if s["date"] <= "2026-03-24"]
    until_tuesday = summary_of(log, plan=plan_of(PLANNED), until=date(2026, 3, 24))
    assert until_tuesday.weeks[3].adherence is not None and not until_tuesday.weeks[3].plan_met
    assert until_tuesday.streak is not None
    assert (until_tuesday.streak.current, until_tuesday.streak.best) == (0, 2)
    starts = "Plan streak: a week with all its planned sessions done starts one"
    assert any(line.startswith(starts) for line in until_tuesday.highlights)
    assert not any("miss" in line.lower() or "fail" in line.lower() for line in until_tuesday.highlights)


def test_no_plan_no_completion_or_streak() -> None:
    summary = summary_of()
    assert summary.completion is None and summary.streak is None
    assert not any(line.startswith("Plan streak") for line in summary.highlights)


def test_weeks_outside_the_aims_are_named() -> None:
    labels = [w.outside_aims for w in summary_of().weeks]
    assert labels == [
        ("minutes below aim", "balance outside aim"),
        (),
        ("minutes below aim", "strength below aim"),
        ("minutes below aim", "strength below aim"),
    ]


def test_more_weeks_reach_back_and_until_moves_the_window() -> None:
    summary = summary_of(weeks=6)
    assert summary.start == date(2026, 2, 16)
    assert summary.weeks[0].strength_sessions == 1  # the 20 February session
    assert summary_of(until=date(2026, 3, 15)).end == date(2026, 3, 15)


def test_a_log_across_the_birth_changes_stage_on_the_birth_day() -> None:
    data = copy.deepcopy(LOG)
    data.update(birth_date="2026-03-19", delivery="vaginal")
    summary = summary_of(data)
    # weeks now align to the birth date (a Thursday)
    assert summary.weeks[-1].start == date(2026, 3, 26)
    change = next(w for w in summary.weeks if w.stage_change and "Birth" in w.stage_change)
    assert change.stage_change == "Birth on Thursday 19 March"
    assert summary.weeks[-1].stage == "week 1 after a vaginal birth"
    # before the birth, weeks still count from the due date (they once counted from the birth: week 1)
    assert summary.weeks[0].stage == "week 26 of pregnancy (trimester 2)"
    assert summary.weeks[1].stage_change == "Trimester 3 begins on Monday 16 March"


def test_stage_at_a_date_instead_of_the_due_date() -> None:
    data = copy.deepcopy(LOG)
    del data["due_date"]
    data["stage"] = {"kind": "pregnant", "week": 26, "on": "2026-03-02"}
    assert summary_of(data).as_dict() == summary_of().as_dict()


def test_as_dict_is_json_ready_and_carries_the_disclaimer() -> None:
    import json

    data = summary_of().as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["disclaimer"] == KB.disclaimer
    assert data["targets"] == {
        "moderate_minutes": 150,
        "strength_sessions": 2,
        "pelvic_floor_days": 7,
        "rpe": [12, 14],
        "balance_ratio": [1.0, 2.0],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["sessions"][1]["items"].append("no-such-move"), "sessions[1].items[3].exercise"),
        (lambda d: d["sessions"][1].update(rpe=21), "sessions[1].rpe"),
        (lambda d: d["sessions"][1].update(kind="yoga"), "sessions[1].kind"),
        (lambda d: d["symptoms"][1].update(symptoms=["sore"]), "symptoms[1].symptoms[0]"),
        (lambda d: d["symptoms"][1].update(warning_signs=["back_pain"]), "symptoms[1].warning_signs[0]"),
        (lambda d: d.update(surprise=1), "surprise"),
        (
            lambda d: d.update(due_date=None, stage={"kind": "pregnant", "week": 50, "on": "2026-03-02"}),
            "stage.week",
        ),
    ],
)
def test_bad_logs_name_the_field(change: Any, field: str) -> None:
    data = copy.deepcopy(LOG)
    change(data)
    with pytest.raises(InputError) as error:
        parse_log(data, KB)
    assert error.value.field == field


def test_a_log_needs_one_stage_anchor() -> None:
    data = copy.deepcopy(LOG)
    del data["due_date"]
    with pytest.raises(InputError, match="give the stage"):
        parse_log(data, KB)
    data.update(birth_date="2026-03-19")
    with pytest.raises(InputError, match="delivery is required"):
        parse_log(data, KB)


def test_weeks_out_of_range_and_an_empty_log() -> None:
    with pytest.raises(InputError) as error:
        summary_of(weeks=13)
    assert error.value.field == "weeks"
    with pytest.raises(InputError, match="no sessions"):
        summary_of({"due_date": "2026-06-08"})
    empty = summary_of({"due_date": "2026-06-08"}, until=date(2026, 3, 29))
    assert all(w.sessions == 0 for w in empty.weeks)
    assert empty.rpe_trend.direction == "not enough data"


def test_the_example_in_the_log_format_doc_parses() -> None:
    import json
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "log-format.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", doc, re.S)
    assert example is not None
    summary = summary_of(json.loads(example.group(1)))
    assert summary.weeks[-1].warning_signs == ("dizziness_or_faintness",)
