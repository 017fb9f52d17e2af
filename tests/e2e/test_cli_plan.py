"""``bumpwise plan`` end to end: the real console script in a subprocess (issue 3, design.md §6).

JSON for scripts, Rich text for people, exit codes 0 / 2 with one ``error:`` line naming the field.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from builders import EXERCISE_KEYS, TOTAL_KEYS, kb, parsed, postpartum, pregnant, profile
from bumpwise.domain.planner import build_plan
from cli_support import assert_bad_input, flat, run, write

START = "2025-01-06"
PGP_30 = profile(
    stage=pregnant(30),
    conditions=["pelvic_girdle_pain"],
    equipment=["dumbbells", "small_ball", "chair"],
    days_per_week=4,
    minutes_per_session=40,
)


def plan_json(tmp_path: Path, data: dict[str, Any], *extra: str) -> dict[str, Any]:
    result = run("plan", write(tmp_path, data), "--format", "json", "--start", START, *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


# --- JSON --------------------------------------------------------------------------------------


def test_plan_json_follows_the_section_6_contract(tmp_path):
    plan = plan_json(tmp_path, PGP_30, "--weeks", "2", "--seed", "3")
    assert {"clearance", "reasons", "weeks", "disclaimer"} <= plan.keys()
    assert plan["clearance"] == "cleared"
    assert plan["disclaimer"] == kb().disclaimer
    for reason in plan["reasons"]:
        assert {"rule", "source", "text"} <= reason.keys()
    assert [w["stage_week"] for w in plan["weeks"]] == [30, 31]
    for index, week in enumerate(plan["weeks"]):
        assert week["totals"].keys() >= TOTAL_KEYS
        assert len(week["days"]) == 7
        first = date.fromisoformat(START) + timedelta(weeks=index)
        expected = [(first + timedelta(days=k)).isoformat() for k in range(7)]
        assert [d["date"] for d in week["days"]] == expected
        for day in week["days"]:
            assert {"day", "sessions"} <= day.keys()
            for session in day["sessions"]:
                assert {"kind", "minutes", "intensity", "items"} <= session.keys()
                assert session["kind"] in {"strength", "cardio", "pelvic_floor", "mobility"}
                for item in session["items"]:
                    assert {"exercise", "dose", "modifications", "substituted_for", "reasons"} <= item.keys()
                    assert item["exercise"].keys() >= EXERCISE_KEYS
                    assert isinstance(item["exercise"]["asymmetric_lower_body"], bool)
                    assert item["substituted_for"] is None or isinstance(item["substituted_for"], str)
                    for reason in item["reasons"]:
                        assert {"rule", "source", "text"} <= reason.keys()


def test_plan_json_is_the_domain_plan_and_is_repeatable(tmp_path):
    first = plan_json(tmp_path, PGP_30, "--weeks", "3", "--seed", "7")
    again = plan_json(tmp_path, PGP_30, "--weeks", "3", "--seed", "7")
    assert first == again
    assert first == domain_plan(PGP_30, weeks=3, seed=7)


def domain_plan(data: dict[str, Any], weeks: int = 1, seed: int = 0) -> dict[str, Any]:
    plan = build_plan(parsed(**data), kb(), start=date.fromisoformat(START), weeks=weeks, seed=seed)
    return json.loads(json.dumps(plan.document().model_dump(mode="json")))


def test_plan_reads_the_profile_from_standard_input():
    result = run("plan", "-", "--format", "json", "--start", START, stdin=json.dumps(PGP_30))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == domain_plan(PGP_30)


def test_default_plan_is_one_week_starting_today(tmp_path):
    result = run("plan", write(tmp_path, PGP_30), "--format", "json")
    plan = json.loads(result.stdout)
    assert len(plan["weeks"]) == 1
    around_now = {date.today().isoformat(), (date.today() - timedelta(1)).isoformat()}
    assert plan["weeks"][0]["days"][0]["date"] in around_now


def test_twelve_weeks_on_the_command_line(tmp_path):
    plan = plan_json(tmp_path, profile(stage=postpartum(10, "caesarean")), "--weeks", "12")
    assert [w["stage_week"] for w in plan["weeks"]] == list(range(10, 22))


@pytest.mark.parametrize(
    ("data", "clearance"),
    [
        (profile(conditions=["cerclage"]), "not_cleared"),
        (profile(symptoms=["chest_pain"]), "seek_care_now"),
        (profile(conditions=["anaemia"]), "consult_provider"),
    ],
)
def test_a_profile_that_is_not_cleared_exits_0_with_no_weeks_and_the_reasons(tmp_path, data, clearance):
    plan = plan_json(tmp_path, data, "--weeks", "4")
    assert plan["clearance"] == clearance
    assert plan["weeks"] == []
    assert plan["reasons"]
    assert plan["disclaimer"]


def test_a_profile_that_is_not_cleared_reads_what_to_do_next_in_text(tmp_path):
    text = run("plan", write(tmp_path, profile(conditions=["cerclage"])), "--start", START)
    assert text.returncode == 0
    assert "What to do next" in flat(text.stdout)
    assert "Week 1" not in flat(text.stdout)
    assert flat(text.stdout).endswith(flat(kb().disclaimer))


# --- text ----------------------------------------------------------------------------------------


def test_text_plan_shows_days_sessions_doses_cues_changes_why_and_ends_with_the_disclaimer(tmp_path):
    plan = domain_plan(PGP_30, seed=2)
    result = run("plan", write(tmp_path, PGP_30), "--seed", "2", "--start", START)
    assert result.returncode == 0, result.stderr
    text = flat(result.stdout)
    for day in plan["weeks"][0]["days"]:
        assert f"{day['weekday']} {day['date']}" in text
        for session in day["sessions"]:
            assert f"{session['title']} · about {session['minutes']} min" in text
            if session["kind"] in ("strength", "cardio"):
                assert "RPE 12–14" in text
            for item in session["items"]:
                assert f"{item['exercise']['name']} — {item['dose']['text']}" in text
                for modification in item["modifications"]:
                    assert flat(modification) in text
                if session["kind"] == "strength" and item["block"] == "main":
                    cues = item["cues"]
                    assert f"Set up: {flat(cues['setup'][0])}" in text
                    assert f"Breathe: {flat(cues['breath'][0])}" in text
                    assert f"Core and pelvic floor: {flat(cues['core_and_pelvic_floor'][0])}" in text
                    assert f"Why: {flat(item['why'])}" in text
                if item["substituted_for"]:
                    assert f"instead of {item['substituted_for']}" in text
    assert text.endswith(flat(kb().disclaimer))
    assert text.count(flat(kb().disclaimer)) == 1


def test_text_plan_says_what_changed_when_the_third_trimester_begins(tmp_path):
    data = profile(stage=pregnant(27), equipment=["dumbbells", "chair"])
    result = run("plan", write(tmp_path, data), "--weeks", "2", "--start", START)
    text = flat(result.stdout)
    assert "Week 2 · week 28 of pregnancy (trimester 3)" in text
    assert "Changed: Week 28: trimester 3 begins." in text
    assert text.index("Changed: Week 28") > text.index("Week 2 · week 28")


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (("--weeks", "0"), "error: weeks"),
        (("--weeks", "53"), "error: weeks"),
        (("--start", "2025-13-01"), "error: --start"),
    ],
)
def test_bad_options_exit_2_with_one_error_line_naming_the_field(tmp_path, args, prefix):
    assert_bad_input(run("plan", write(tmp_path, PGP_30), *args), prefix)


@pytest.mark.parametrize(
    ("data", "prefix"),
    [
        (profile(stage=pregnant(43)), "error: stage.week"),
        (profile(equipment=["rowing"]), "error: equipment[0]"),
        (profile(minutes_per_session=5), "error: minutes_per_session"),
        ({**profile(), "colour": "blue"}, "error: colour"),
    ],
)
def test_a_bad_profile_exits_2_with_one_error_line_naming_the_field(tmp_path, data, prefix):
    assert_bad_input(run("plan", write(tmp_path, data), "--start", START), prefix)


def test_a_missing_profile_file_exits_2(tmp_path):
    assert_bad_input(run("plan", str(tmp_path / "missing.json")), "error: PROFILE")


def test_an_unparseable_option_exits_2_and_names_the_option(tmp_path):
    result = run("plan", write(tmp_path, PGP_30), "--weeks", "many")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--weeks" in result.stderr
