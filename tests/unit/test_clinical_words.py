"""Issue 12 points 1 and 9: what may be suggested, and the rules and sources behind every item.

Each scenario names the line of /work/shared/reference/guidelines.md its expectation rests on.
The property tests judge suggestions and plan items with the independent oracle of
tests/strategies.py (the rules re-derived from the data, and design.md §5 written by hand).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from builders import MONDAY, kb, parsed, plan_json, postpartum, pregnant
from bumpwise.domain.errors import DataError, InputError
from bumpwise.domain.evaluation import evaluate, rules_in_force
from bumpwise.domain.knowledge import knowledge_dir, load_knowledge, variants_missing_words
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.screening import screen
from bumpwise.domain.suggestions import alternatives, suggestions_for, swap_choices, usable_ids
from bumpwise.domain.swaps import check_swap
from bumpwise.domain.vocab import StageKind
from strategies import DERANDOMIZED, WeekRules, design_violations, rule_violations, seeds, valid_profiles

KB = kb()
MANY = settings(DERANDOMIZED, max_examples=1000)
PLANS = settings(DERANDOMIZED, max_examples=1000)
ALLOW_RULES = {"allowed-in-pregnancy", "allowed-after-birth"}


def pgp_at_30_weeks() -> Any:
    return parsed(stage=pregnant(30), conditions=["pelvic_girdle_pain"], equipment=["dumbbells", "chair"])


# --- point 1: one place decides what may be suggested ------------------------------------------


def test_pelvic_girdle_pain_is_not_offered_the_split_stance_moves_the_rules_forbid() -> None:
    """guidelines.md §8 "Advice to encode": do not stand on one leg, avoid straddle movements
    (PGPLEAF, rule pelvic-girdle-pain-no-one-leg-work): reverse lunge and static split squat,
    the lunge's curated substitutes, are one-leg work and must not be offered."""
    profile = pgp_at_30_weeks()
    lunge = KB.exercises["forward-lunge"]
    assert {"reverse-lunge", "static-split-squat"} <= set(lunge.substitutes)
    offered = suggestions_for(profile, KB, lunge)
    ids = [v.exercise.id for v in offered.alternatives]
    assert ids, "a lunge should still get a two-footed alternative"
    assert "reverse-lunge" not in ids and "static-split-squat" not in ids
    for verdict in offered.alternatives:
        assert verdict.usable and verdict.prescription is not None
        assert verdict.prescription.attributes["asymmetric_lower_body"] is False
    assert offered.what_to_do_now is None


def test_a_warning_sign_suggests_nothing_but_what_to_do_now() -> None:
    """guidelines.md §3 "Warning signs: stop exercising": chest pain, stop and seek urgent care;
    no exercise, cardio included, is offered in place of another."""
    profile = parsed(stage=pregnant(30), symptoms=["chest_pain"], equipment=["stationary_bike"])
    offered = suggestions_for(profile, KB, KB.exercises["running"])
    assert offered.alternatives == ()
    assert offered.what_to_do_now == screen(profile, KB).next_step
    assert offered.as_dict()["try_instead"] == []
    assert swap_choices(profile, KB) == ()
    assert usable_ids(profile, KB, ["walking", "stationary-bike"]) == []


def test_a_usable_exercise_needs_no_alternative() -> None:
    """guidelines.md §4.1 (ACOG 804, Canada 2019): strength work is recommended in pregnancy, so
    an allowed exercise is not followed by a list of replacements."""
    profile = parsed(stage=pregnant(20))
    assert suggestions_for(profile, KB, KB.exercises["bodyweight-squat"]).alternatives == ()


def test_a_coach_is_offered_nothing_to_swap_in_while_a_warning_sign_holds_the_plan() -> None:
    """guidelines.md §3: a warning sign means stop and contact care. The swap list is empty; a
    swap recorded through the API anyway has no week to go into while the plan is held."""
    profile = parsed(stage=pregnant(24), symptoms=["vaginal_bleeding"])
    assert swap_choices(profile, KB) == ()
    check_swap(profile, KB, "bodyweight-squat", "walking")  # kept for when the plan resumes
    assert build_plan(profile, KB, start=MONDAY, weeks=1).weeks == ()


def test_the_coach_swap_list_holds_only_what_the_rules_leave_usable() -> None:
    """guidelines.md §8: with pelvic girdle pain no one-leg or wide-stance work is on the list."""
    choices = swap_choices(pgp_at_30_weeks(), KB)
    assert choices
    ids = {v.exercise.id for v in choices}
    assert not ids & {"reverse-lunge", "static-split-squat", "forward-lunge", "step-up"}
    for verdict in choices:  # a sumo squat may stay, done as a hip-width squat
        assert verdict.usable and verdict.prescription is not None
        assert not verdict.prescription.attributes["asymmetric_lower_body"]
        assert not verdict.prescription.attributes["wide_stance"]


@MANY
@given(valid_profiles())
def test_no_suggestion_anywhere_is_one_the_rules_in_force_exclude(data: dict[str, Any]) -> None:
    """Over random valid profiles: every alternative offered for every exercise, every coach swap
    choice and every filtered curated list, as prescribed, breaks no rule in force (re-derived
    by the oracle) and none of design.md §5's policies."""
    profile = parse_profile(data, KB)
    rules = WeekRules.of(data)
    choices = swap_choices(profile, KB)
    usable = {v.exercise.id for v in choices}
    in_force = rules_in_force(profile, KB)
    for exercise in KB.exercises.values():
        assert {v.exercise.id for v in alternatives(in_force, exercise)} <= usable
    for exercise_id in ("forward-lunge", "running", "crunch", "sumo-squat"):
        exercise = KB.exercises[exercise_id]
        assert {v.exercise.id for v in suggestions_for(profile, KB, exercise).alternatives} <= usable
        assert set(usable_ids(profile, KB, exercise.substitutes)) <= usable
    for verdict in choices:
        assert verdict.prescription is not None
        item = {"exercise": _prescribed(verdict)}
        assert rule_violations(item, rules) == []
        assert design_violations(item, data) == []
        assert not set(verdict.missing_equipment)


def _prescribed(verdict: Any) -> dict[str, Any]:
    from bumpwise.domain.contract import prescribed_json

    return prescribed_json(verdict.prescription)


# --- point 9: every item names its rules and sources --------------------------------------------


def test_an_exercise_no_rule_changes_names_the_rule_that_allows_it() -> None:
    """guidelines.md §4.1: ACOG 804, Canada 2019 and the UK CMO recommend aerobic and strength
    work through pregnancy (rule allowed-in-pregnancy); §10.1: the UK CMO after birth, built up
    gradually (rule allowed-after-birth)."""
    during = evaluate(parsed(stage=pregnant(10)), KB.exercises["bodyweight-squat"], KB)
    assert during.status == "allowed"
    assert [r.rule for r in during.reasons] == ["allowed-in-pregnancy"]
    assert set(during.reasons[0].sources) == {"ACOG804", "CAN19", "UKCMO"}
    after = evaluate(parsed(stage=postpartum(20)), KB.exercises["bodyweight-squat"], KB)
    assert [r.rule for r in after.reasons] == ["allowed-after-birth"]


def test_a_changed_exercise_names_the_rules_that_change_it_not_the_allowance() -> None:
    """guidelines.md §8: with pelvic girdle pain a lunge is swapped; the reasons are the PGP rule."""
    verdict = evaluate(pgp_at_30_weeks(), KB.exercises["forward-lunge"], KB)
    assert verdict.status == "excluded"
    assert "pelvic-girdle-pain-no-one-leg-work" in {r.rule for r in verdict.reasons}
    assert not ALLOW_RULES & {r.rule for r in verdict.reasons}


@PLANS
@given(valid_profiles(), seeds)
def test_every_plan_item_names_at_least_one_rule_and_its_sources(data: dict[str, Any], seed: int) -> None:
    plan = plan_json(build_plan(parse_profile(data, KB), KB, start=MONDAY, weeks=1, seed=seed))
    rule_ids = {r.id for r in KB.rules}
    for week in plan["weeks"]:
        for day in week["days"]:
            for session in day["sessions"]:
                for item in session["items"]:
                    assert item["rules"], item["exercise"]["id"]
                    assert set(item["rules"]) <= rule_ids
                    assert item["rules"] == list(dict.fromkeys(r["rule"] for r in item["reasons"]))
                    assert item["sources"] and set(item["sources"]) <= set(KB.sources)
                    design = [r for r in item["reasons"] if r["design_choice"]]
                    assert all("DESIGN" in r["sources"] for r in design)


# --- point 7: warning signs and symptoms checked against the stage, in its words ---------------


@pytest.mark.parametrize(
    "sign", ["reduced_fetal_movement", "amniotic_fluid_leak", "regular_painful_contractions"]
)
def test_a_pregnancy_only_warning_sign_after_birth_is_refused_naming_what_the_stage_allows(sign: str) -> None:
    """guidelines.md §3: WS_FETAL_MOVES, WS_FLUID_LEAK and WS_CONTRACTIONS are signs of
    pregnancy; after birth they are an input error the person sees, never silently ignored."""
    with pytest.raises(InputError) as error:
        parsed(stage=postpartum(6), symptoms=[sign])
    assert error.value.field == "symptoms[0]"
    assert "pregnant" in error.value.message and "postpartum" in error.value.message
    assert sign not in error.value.allowed
    assert {"vaginal_bleeding", "increasing_postpartum_bleeding", "chest_pain"} <= set(error.value.allowed)


@pytest.mark.parametrize("sign", ["wound_pain_or_discharge", "increasing_postpartum_bleeding"])
def test_an_after_birth_warning_sign_in_pregnancy_is_refused(sign: str) -> None:
    """guidelines.md §3, postpartum table: PP_WOUND (caesarean wound) and bleeding that gets
    heavier after the birth belong to the postpartum stage."""
    with pytest.raises(InputError) as error:
        parsed(stage=pregnant(20), symptoms=[sign])
    assert error.value.field == "symptoms[0]"
    assert sign not in error.value.allowed and "reduced_fetal_movement" in error.value.allowed


def test_bleeding_after_birth_is_worded_and_ruled_for_after_birth() -> None:
    """guidelines.md §3 postpartum table, PP_BLEED: vaginal bleeding not linked to the cycle or
    that increases with activity (GOOM19): contact the provider. Not pregnancy words."""
    profile = parsed(stage=postpartum(8), symptoms=["vaginal_bleeding"])
    result = screen(profile, KB)
    assert result.clearance.value == "seek_care_now"
    assert [r.rule for r in result.reasons] == ["warning-sign-vaginal-bleeding-after-birth"]
    assert "pregnan" not in result.reasons[0].text.lower()
    wording = KB.warning_signs["vaginal_bleeding"].worded_for(profile.stage.kind)
    assert "pregnan" not in wording.description.lower() and "after the birth" in wording.description
    during = screen(parsed(stage=pregnant(20), symptoms=["vaginal_bleeding"]), KB)
    assert [r.rule for r in during.reasons] == ["warning-sign-vaginal-bleeding"]


def test_tummy_pain_after_birth_does_not_speak_of_a_bump() -> None:
    """guidelines.md §3 WS_ABDO_PAIN applies to both stages; after birth there is no bump."""
    sign = KB.warning_signs["abdominal_pain"]
    assert "bump" in sign.worded_for(None).description
    assert "bump" not in sign.worded_for(StageKind.POSTPARTUM).description


def test_every_warning_sign_stops_exercise_at_every_stage_it_applies_to() -> None:
    """guidelines.md §3: any warning sign means stop and seek care, at each stage it belongs to."""
    for sign in KB.warning_signs.values():
        for kind in sign.applies_to:
            stage = pregnant(20) if kind.value == "pregnant" else postpartum(8)
            assert screen(parsed(stage=stage, symptoms=[sign.id]), KB).clearance.value == "seek_care_now"


def test_a_stored_pregnancy_sign_still_holds_the_plan_after_the_birth_is_recorded() -> None:
    """A warning sign already accepted is never dropped: one reported in pregnancy and not yet
    resolved keeps the plan on hold once the birth is recorded (guidelines.md §3)."""
    data = {**_profile_dict(postpartum(1)), "symptoms": ["reduced_fetal_movement"]}
    profile = parse_profile(data, KB, stored_reports=True)
    assert screen(profile, KB).clearance.value == "seek_care_now"


def _profile_dict(stage: dict[str, Any]) -> dict[str, Any]:
    from builders import profile as profile_dict

    return profile_dict(stage=stage)


# --- points 6 and 7: a variant that changes the form has its own name, summary and dose --------


def test_every_variant_that_changes_the_form_has_its_own_words_and_dose() -> None:
    assert variants_missing_words(KB) == []


def _knowledge_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    return folder


def test_validate_data_refuses_a_two_leg_form_of_a_per_side_exercise_without_its_own_dose(
    tmp_path: Path,
) -> None:
    folder = _knowledge_copy(tmp_path)
    path = folder / "exercises" / "single-leg-glute-bridge.yaml"
    path.write_text(
        path.read_text().replace("    dose: {sets: 3, reps: 8, per_side: false, rest_seconds: 45}\n", "")
    )
    with pytest.raises(DataError) as error:
        load_knowledge(folder)
    assert "single-leg-glute-bridge.yaml" in str(error.value) and ".dose" in str(error.value)


def test_validate_data_refuses_a_form_change_without_its_own_summary(tmp_path: Path) -> None:
    folder = _knowledge_copy(tmp_path)
    path = folder / "exercises" / "pike-push-up.yaml"
    data = yaml.safe_load(path.read_text())
    for variant in data["variants"]:
        variant.pop("summary", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(DataError) as error:
        load_knowledge(folder)
    assert "pike-push-up.yaml" in str(error.value) and "summary" in str(error.value)


def test_validate_data_refuses_a_warning_sign_no_rule_stops_at_a_stage_it_applies_to(tmp_path: Path) -> None:
    """guidelines.md §3: every warning sign means stop; a sign that no rule acts on at a stage
    would be accepted and then do nothing."""
    folder = _knowledge_copy(tmp_path)
    path = folder / "rules" / "screening.yaml"
    path.write_text(
        path.read_text().replace(
            "match: {stage_kind: postpartum, has_any: [vaginal_bleeding]}",
            "match: {stage_kind: postpartum, has_any: [increasing_postpartum_bleeding]}",
        )
    )
    with pytest.raises(DataError) as error:
        load_knowledge(folder)
    assert "vaginal_bleeding" in str(error.value) and "postpartum" in str(error.value)


def test_a_two_leg_bridge_is_not_done_each_side_and_is_named_and_described_as_itself() -> None:
    """The issue's example: "Shoulders-elevated two-leg bridge — 2 × 8 reps each side"."""
    verdict = evaluate(pgp_at_30_weeks(), KB.exercises["single-leg-glute-bridge"], KB)
    assert verdict.prescription is not None
    assert verdict.prescription.name == "Shoulders-elevated two-leg bridge"
    assert "each side" not in verdict.prescription.dose.describe()
    assert verdict.prescription.summary != KB.exercises["single-leg-glute-bridge"].summary
    assert "both feet" in verdict.prescription.summary


def test_a_third_trimester_wall_press_is_named_and_described_as_done() -> None:
    """The issue's example: a 32-week PDF printed "Your head is below your hips" under a
    high-hands wall press (guidelines.md §5: no inverted positions after the first trimester)."""
    verdict = evaluate(parsed(stage=pregnant(32), equipment=["dumbbells"]), KB.exercises["pike-push-up"], KB)
    assert verdict.prescription is not None
    assert verdict.prescription.name == "High-hands wall press"
    assert "below your hips" not in verdict.prescription.summary
    from bumpwise.domain.contract import prescribed_json

    assert prescribed_json(verdict.prescription)["summary"] == verdict.prescription.summary


@PLANS
@given(valid_profiles(), seeds)
def test_no_two_sided_item_is_dosed_each_side_unless_its_form_says_so(
    data: dict[str, Any], seed: int
) -> None:
    plan = plan_json(build_plan(parse_profile(data, KB), KB, start=MONDAY, weeks=1, seed=seed))
    for week in plan["weeks"]:
        for day in week["days"]:
            for session in day["sessions"]:
                for item in session["items"]:
                    exercise = KB.exercises[item["exercise"]["id"]]
                    if exercise.asymmetric_lower_body and not item["exercise"]["asymmetric_lower_body"]:
                        variants = [v for v in exercise.variants if v.name == item["exercise"]["name"]]
                        assert variants and variants[0].dose is not None, item["exercise"]["name"]
                        assert item["dose"]["per_side"] == variants[0].dose.per_side
