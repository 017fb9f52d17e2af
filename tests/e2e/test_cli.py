"""The real ``bumpwise`` console script, run in subprocesses: the JSON contract of design.md §6,
the text people read, exit codes, and ``validate-data`` on broken knowledge files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from builders import EXERCISE_KEYS, all_tests_passed, kb, postpartum, pregnant, profile
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.profile import parse_profile
from cli_support import BUMPWISE, as_json, as_text, assert_bad_input, flat, run, write


def test_the_console_script_is_installed_next_to_the_interpreter():
    assert BUMPWISE.exists()


# --- screen ---------------------------------------------------------------------------

SCREEN_CASES = [
    ("cleared", profile(stage=pregnant(20)), None),
    ("consult_provider", profile(conditions=["twin_pregnancy"]), "relative-twin-pregnancy"),
    (
        "not_cleared",
        profile(stage=pregnant(30), conditions=["placenta_previa"]),
        "absolute-placenta-previa-from-26-weeks",
    ),
    ("seek_care_now", profile(symptoms=["chest_pain"], conditions=["anaemia"]), "warning-sign-chest-pain"),
]


@pytest.mark.parametrize(("clearance", "data", "rule_id"), SCREEN_CASES, ids=[c[0] for c in SCREEN_CASES])
def test_screen_json_follows_the_contract(tmp_path, clearance, data, rule_id):
    out = as_json(run("screen", write(tmp_path, data), "--format", "json"))
    assert out["clearance"] == clearance
    assert isinstance(out["disclaimer"], str) and out["disclaimer"] == kb().disclaimer
    assert isinstance(out["reasons"], list)
    for reason in out["reasons"]:
        assert {"rule", "source", "text"} <= set(reason)
        assert reason["source"] in kb().sources
        assert reason["text"]
    if rule_id is None:
        assert out["reasons"] == []
    else:
        assert out["reasons"][0]["rule"] == rule_id


@pytest.mark.parametrize(("clearance", "data", "rule_id"), SCREEN_CASES, ids=[c[0] for c in SCREEN_CASES])
def test_screen_text_tells_a_person_the_headline_why_what_next_and_the_disclaimer(
    tmp_path, clearance, data, rule_id
):
    result = run("screen", write(tmp_path, data))
    text = as_text(result, kb().disclaimer)
    message = kb().messages.clearances[clearance]
    assert message.headline in text
    assert "What to do next" in text
    assert flat(message.next_step) in text
    if rule_id is not None:
        assert flat(kb().rule(rule_id).summary) in text
        assert rule_id in text
    assert "{" not in result.stdout, "text output must not be JSON"


def test_screen_reads_the_profile_from_standard_input():
    out = as_json(
        run("screen", "-", "--format", "json", stdin=json.dumps(profile(conditions=["preeclampsia"])))
    )
    assert out["clearance"] == "not_cleared"


# --- exercises ------------------------------------------------------------------------


def test_exercises_list_json_is_a_list_of_exercise_objects():
    rows = as_json(run("exercises", "list", "--format", "json"))
    assert isinstance(rows, list)
    assert {row["id"] for row in rows} == set(kb().exercises)
    for row in rows:
        assert set(row) >= EXERCISE_KEYS, row["id"]
        assert isinstance(row["primary_muscles"], list) and row["primary_muscles"]
        assert isinstance(row["secondary_muscles"], list)
        assert isinstance(row["equipment"], list)
        assert row["impact"] in ("low", "high")
        for flag in ("asymmetric_lower_body", "wide_stance", "spinal_flexion"):
            assert isinstance(row[flag], bool)


@pytest.mark.parametrize(("equipment", "bridge_present"), [(["chair"], True), ([], False)])
def test_exercises_list_safe_for_leaves_out_what_is_excluded_and_never_shows_supine_at_week_20(
    tmp_path, equipment, bridge_present
):
    data = profile(stage=pregnant(20), equipment=equipment)
    rows = as_json(run("exercises", "list", "--safe-for", write(tmp_path, data), "--format", "json"))
    rules = rules_in_force(parse_profile(data, kb()), kb())
    excluded = {e.id for e in kb().exercises.values() if rules.evaluate(e).status == "excluded"}
    shown = {row["id"] for row in rows}
    assert excluded, "a week-20 profile should have something excluded"
    assert shown.isdisjoint(excluded)
    assert shown | excluded == set(kb().exercises)
    for row in rows:
        assert set(row) >= EXERCISE_KEYS
        assert row["position"] != "supine", row["id"]
    bridge = [row for row in rows if row["id"] == "glute-bridge"]
    if bridge_present:
        assert bridge and bridge[0]["position"] == "reclined"
    else:
        assert bridge == []


def test_exercises_show_json_gives_the_whole_exercise():
    out = as_json(run("exercises", "show", "hamstring-pulses", "--format", "json"))
    assert out["id"] == "hamstring-pulses"
    assert set(out) >= EXERCISE_KEYS
    assert set(out["cues"]) == {"setup", "movement", "breath", "core_and_pelvic_floor"}
    assert "third_trimester" in [v["key"] for v in out["variants"]]


def test_exercises_show_text_gives_name_cues_dose_and_disclaimer():
    result = run("exercises", "show", "forward-lunge")
    text = as_text(result, kb().disclaimer)
    lunge = kb().exercises["forward-lunge"]
    assert lunge.name in text
    assert flat(lunge.cues.setup[0]) in text
    assert lunge.dose.describe() in text


def test_exercises_check_json_gives_the_verdict_and_the_rule_trail(tmp_path):
    data = profile(stage=pregnant(30), conditions=["pelvic_girdle_pain"])
    out = as_json(run("exercises", "check", "forward-lunge", write(tmp_path, data), "--format", "json"))
    assert out["exercise"] == "forward-lunge"
    assert out["verdict"] == "excluded"
    assert out["prescribed"] is None
    rules = [r["rule"] for r in out["reasons"]]
    assert "pelvic-girdle-pain-no-one-leg-work" in rules
    for reason in out["reasons"]:
        assert {"rule", "source", "text"} <= set(reason)
    assert out["disclaimer"] == kb().disclaimer


def test_exercises_check_text_says_how_to_do_it_and_why(tmp_path):
    data = profile(stage=pregnant(20), equipment=["chair"])
    result = run("exercises", "check", "glute-bridge", write(tmp_path, data))
    text = as_text(result, kb().disclaimer)
    assert "Allowed with changes" in text
    assert "Shoulders-elevated glute bridge" in text
    assert "no-supine-after-first-trimester" in text


NOT_CLEARED_PROFILES = [
    ("seek_care_now", profile(symptoms=["vaginal_bleeding"])),
    ("not_cleared", profile(conditions=["preeclampsia"])),
]


@pytest.mark.parametrize(
    ("clearance", "data"), NOT_CLEARED_PROFILES, ids=[c[0] for c in NOT_CLEARED_PROFILES]
)
def test_exercises_check_never_allows_an_exercise_for_a_person_who_is_not_cleared(tmp_path, clearance, data):
    out = as_json(run("exercises", "check", "walking", write(tmp_path, data), "--format", "json"))
    assert out["verdict"] == "excluded"
    assert out["reasons"]


def test_exercises_list_safe_for_lists_nothing_for_a_person_who_must_seek_care(tmp_path):
    data = profile(symptoms=["vaginal_bleeding"])
    rows = as_json(run("exercises", "list", "--safe-for", write(tmp_path, data), "--format", "json"))
    assert rows == []


# --- readiness ------------------------------------------------------------------------


def test_readiness_json_at_week_8_is_not_ready_with_reasons_and_next_steps(tmp_path):
    data = profile(stage=postpartum(8))
    out = as_json(run("readiness", "running", write(tmp_path, data), "--format", "json"))
    assert out["ready"] is False
    assert {r["rule"] for r in out["reasons"]} == {
        "running-not-before-12-weeks",
        "running-tests-not-all-passed",
    }
    for reason in out["reasons"]:
        assert {"rule", "source", "text"} <= set(reason)
    assert any(step.startswith("Wait 4 more weeks") for step in out["next_steps"])


def test_readiness_json_at_week_14_with_every_test_passed_is_ready(tmp_path):
    data = profile(stage=postpartum(14), return_to_running_tests=all_tests_passed())
    out = as_json(run("readiness", "running", write(tmp_path, data), "--format", "json"))
    assert out["ready"] is True
    assert out["reasons"] == []
    assert out["next_steps"]


def test_readiness_text_says_not_ready_why_and_the_next_steps(tmp_path):
    data = profile(
        stage=postpartum(20), symptoms=["urinary_leakage"], return_to_running_tests=all_tests_passed()
    )
    result = run("readiness", "running", write(tmp_path, data))
    text = as_text(result, kb().disclaimer)
    assert "Not ready to run yet" in text
    assert "refer-pelvic-floor-symptoms" in text
    assert "Next steps" in text


# --- bad input ------------------------------------------------------------------------

BAD_PROFILES = [
    ("unknown-condition", profile(conditions=["sore_feet"]), "error: conditions[0]: "),
    ("week-as-text", profile(stage={"kind": "pregnant", "week": "30"}), "error: stage.week: "),
    ("unknown-key", profile(colour="blue"), "error: colour: "),
    ("malformed-json", '{"stage": {"kind": "pregnant",', "error: the profile is not valid JSON"),
    ("not-an-object", "[1, 2, 3]", "error: the profile must be a JSON object"),
    (
        "unknown-running-test",
        profile(stage=postpartum(14), return_to_running_tests={"plank": True}),
        "error: return_to_running_tests.plank: ",
    ),
    (
        "postpartum-condition",
        profile(stage=postpartum(6), conditions=["placenta_previa"]),
        "error: conditions[0]: ",
    ),
]


@pytest.mark.parametrize(("case", "data", "prefix"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES])
def test_bad_profile_input_exits_2_with_one_error_line_naming_the_field(tmp_path, case, data, prefix):
    assert_bad_input(run("screen", write(tmp_path, data), "--format", "json"), prefix)


def test_a_missing_profile_file_exits_2(tmp_path):
    assert_bad_input(run("readiness", "running", str(tmp_path / "absent.json")), "error: PROFILE: ")


def test_an_unknown_exercise_id_exits_2_with_the_allowed_ids():
    result = run("exercises", "show", "moonwalk")
    assert_bad_input(result, "error: ID: ")
    assert "glute-bridge" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("screen", "PROFILE", "--format", "xml"), ("screen",)],
    ids=["unknown-format", "missing-argument"],
)
def test_a_usage_error_exits_2_and_is_not_called_an_internal_error(tmp_path, args):
    argv = [write(tmp_path, profile()) if a == "PROFILE" else a for a in args]
    result = run(*argv)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr


# --- validate-data --------------------------------------------------------------------


def test_validate_data_accepts_the_shipped_knowledge():
    result = run("validate-data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert f"{len(kb().exercises)} exercises" in result.stdout


def broken_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), copy)
    return copy


def assert_data_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for part in expected:
        assert part in lines[0], (part, lines[0])


def test_validate_data_names_the_file_and_field_of_an_exercise_with_an_unknown_position(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "exercises" / "glute-bridge.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nposition: supine\n" in text
    path.write_text(text.replace("\nposition: supine\n", "\nposition: upside_down\n"), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "glute-bridge.yaml", "position", "upside_down", "reclined")


PLAN_PARAMS = "params: {minutes_per_week: 150, min_days: 3, weekly_increase_minutes: 15}"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        # the typo of issue 11 point 5: the misspelt name is refused, and the real one is missing
        ("params: {minutes_per_wk: 150, min_days: 3, weekly_increase_minutes: 15}", "minutes_per_week"),
        ("params: {minutes_per_week: 150, min_days: 3, weekly_increase_minutes: 15, bouts: 3}", "bouts"),
    ],
)
def test_validate_data_rejects_an_unknown_requirement_parameter(tmp_path, params, named):
    """Issue 11 point 5: a misspelt or unknown number in rules/plan.yaml is a data error, not a
    silent fallback to numbers in code."""
    copy = broken_copy(tmp_path)
    path = copy / "rules" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert PLAN_PARAMS in text
    path.write_text(text.replace(PLAN_PARAMS, params, 1), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "plan.yaml", "aerobic_minutes", named)


def test_validate_data_names_the_file_and_field_of_an_exercise_without_cues(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "exercises" / "glute-bridge.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["cues"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "glute-bridge.yaml", "cues")


def test_validate_data_names_a_variant_that_moves_the_body_without_its_own_setup(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "exercises" / "glute-bridge.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    [variant] = [v for v in data["variants"] if v["key"] == "shoulders_elevated"]
    del variant["cues"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "glute-bridge.yaml", "variants.shoulders_elevated.cues.setup", "set-up cues")


@pytest.fixture(scope="module")
def broken_rule_result(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    copy = broken_copy(tmp_path_factory.mktemp("broken-rule"))
    path = copy / "rules" / "exercise.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "sources: [PGPLEAF]"
    assert marker in text
    path.write_text(text.replace(marker, "sources: [NOT_A_SOURCE]", 1), encoding="utf-8")
    return run("validate-data", "--dir", str(copy))


def test_validate_data_rejects_a_rule_citing_an_unknown_source_naming_the_rule_and_field(broken_rule_result):
    assert_data_error(broken_rule_result, "pelvic-girdle-pain-no-one-leg-work", "sources", "NOT_A_SOURCE")


def test_validate_data_names_the_rule_file_of_a_broken_rule(broken_rule_result):
    assert "exercise.yaml" in broken_rule_result.stderr


def test_validate_data_counts_the_articles():
    result = run("validate-data")
    assert " articles" in result.stdout
    assert int(result.stdout.strip().rsplit(", ", 1)[1].split()[0]) >= 12


def test_validate_data_names_an_article_with_a_broken_internal_link(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "articles" / "warning-signs.md"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("(/learn/lying-on-your-back)", "(/learn/lying-on-the-moon)")
    path.write_text(broken, encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "articles/warning-signs.md", "body", "/learn/lying-on-the-moon")


# --- validate-data on language overlays (issue 19) ------------------------------------------


def with_spanish(copy: Path, complete: bool, files: dict[str, object]) -> Path:
    base = copy / "locales" / "es"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    info = {"code": "es", "name": "Español", "english_name": "Spanish", "complete": complete}
    (base / "language.yaml").write_text(yaml.safe_dump(info, allow_unicode=True), encoding="utf-8")
    for rel, data in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def test_validate_data_fails_when_a_complete_spanish_overlay_misses_an_id(tmp_path):
    copy = broken_copy(tmp_path)
    english = yaml.safe_load((copy / "symptoms.yaml").read_text(encoding="utf-8"))["symptoms"]
    translated = [
        {"id": s["id"], "name": f"Síntoma {i}", "description": "Descripción."} for i, s in enumerate(english)
    ]
    with_spanish(copy, True, {"symptoms.yaml": {"symptoms": translated[1:]}})
    result = run("validate-data", "--dir", str(copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"locales/es/symptoms.yaml: symptoms[{english[0]['id']}].name: is not translated" in result.stderr
    # the same overlay with every id, in a language not yet complete: no complaint about this file
    with_spanish(copy, False, {"symptoms.yaml": {"symptoms": translated}})
    result = run("validate-data", "--dir", str(copy))
    assert result.returncode == 0, result.stderr
    assert "languages: en; es 1 overlay files" in result.stdout


def test_validate_data_fails_when_a_spanish_overlay_breaks_a_placeholder_or_names_an_unknown_id(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "rules" / "plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = data["rules"][0]
    rule["summary"] = "Every day, {minutes} minutes of pelvic floor training."
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    broken = {"id": rule["id"], "summary": "Cada día, {minutos} minutos de suelo pélvico."}
    with_spanish(copy, False, {"rules/plan.yaml": {"rules": [broken]}})
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(
        result, "locales/es/rules/plan.yaml", f"rules[{rule['id']}].summary", "placeholders ({minutes})"
    )
    with_spanish(copy, False, {"rules/plan.yaml": {"rules": [{"id": "no-such-rule", "summary": "Resumen."}]}})
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "locales/es/rules/plan.yaml", "'no-such-rule' is not in the English list")
