"""Postnatal return-to-running readiness (GOOM19; rules/readiness.yaml and the blocking referral)."""

from __future__ import annotations

from typing import Any

import pytest

from builders import RUNNING_TEST_IDS, all_tests_passed, kb, parsed, postpartum, pregnant
from bumpwise.domain.readiness import running_readiness, running_ready
from bumpwise.domain.rule import Refer
from bumpwise.domain.vocab import Clearance


def readiness(**overrides: object):
    return running_readiness(parsed(**overrides), kb())


def rule_ids(result) -> list[str]:
    return [r.rule for r in result.reasons]


def steps(result) -> str:
    return "\n".join(result.next_steps)


READY_VAGINAL_14 = {"stage": postpartum(14), "return_to_running_tests": all_tests_passed()}


def test_week_14_after_a_vaginal_birth_with_every_test_passed_and_no_symptoms_is_ready():
    result = readiness(**READY_VAGINAL_14)
    assert result.ready is True
    assert result.reasons == ()
    assert result.next_steps, "a ready person is still told how to start"
    assert running_ready(parsed(**READY_VAGINAL_14), kb()) is True


def test_week_12_after_a_vaginal_birth_with_every_test_passed_is_ready():
    assert readiness(stage=postpartum(12), return_to_running_tests=all_tests_passed()).ready is True


# --- one case per readiness rule -------------------------------------------------------

READINESS_CASES = [
    ("running-check-is-for-after-birth", {"stage": pregnant(30), "activity_level": "vigorous"}),
    ("running-not-before-12-weeks", {"stage": postpartum(8), "return_to_running_tests": all_tests_passed()}),
    (
        "running-after-caesarean-not-before-16-weeks",
        {"stage": postpartum(13, "caesarean"), "return_to_running_tests": all_tests_passed()},
    ),
    ("running-tests-not-all-passed", {"stage": postpartum(20)}),
    (
        "running-abdominal-wall-assessment",
        {
            "stage": postpartum(20),
            "conditions": ["diastasis_recti"],
            "return_to_running_tests": all_tests_passed(),
        },
    ),
    (
        "running-lumbopelvic-pain-assessment",
        {"stage": postpartum(20), "symptoms": ["back_pain"], "return_to_running_tests": all_tests_passed()},
    ),
    (
        "refer-pelvic-floor-symptoms",
        {
            "stage": postpartum(20),
            "symptoms": ["urinary_leakage"],
            "return_to_running_tests": all_tests_passed(),
        },
    ),
]


def test_the_table_covers_every_rule_that_holds_back_running():
    held = {
        r.id
        for r in kb().rules
        if isinstance(r.action, Refer) and (r.action.scope == "running" or r.action.blocks_running)
    }
    assert {rule_id for rule_id, _ in READINESS_CASES} == held


@pytest.mark.parametrize(("rule_id", "overrides"), READINESS_CASES, ids=[c[0] for c in READINESS_CASES])
def test_each_readiness_rule_holds_running_back_and_names_itself(rule_id, overrides):
    result = readiness(**overrides)
    assert result.ready is False
    assert rule_id in rule_ids(result)
    assert result.next_steps


def test_pregnancy_is_not_ready_for_the_postnatal_check():
    result = readiness(stage=pregnant(20), activity_level="vigorous")
    assert result.ready is False
    assert rule_ids(result) == ["running-check-is-for-after-birth"]


def test_week_8_after_birth_is_told_to_wait_4_more_weeks():
    result = readiness(stage=postpartum(8), return_to_running_tests=all_tests_passed())
    assert result.ready is False
    assert rule_ids(result) == ["running-not-before-12-weeks"]
    assert "Wait 4 more weeks" in steps(result)
    assert "week 12" in steps(result)


def test_week_11_after_birth_is_told_to_wait_1_more_week_in_the_singular():
    result = readiness(stage=postpartum(11), return_to_running_tests=all_tests_passed())
    assert "Wait 1 more week:" in steps(result)


def test_week_13_after_a_caesarean_with_every_test_passed_waits_for_week_16_and_says_the_sources_differ():
    result = readiness(stage=postpartum(13, "caesarean"), return_to_running_tests=all_tests_passed())
    assert result.ready is False
    assert rule_ids(result) == ["running-after-caesarean-not-before-16-weeks"]
    (reason,) = result.reasons
    assert reason.conflict is not None
    assert "stricter" in reason.conflict.lower()
    assert "Wait 3 more weeks" in steps(result)
    assert "week 16" in steps(result)


def test_week_16_after_a_caesarean_with_every_test_passed_is_ready():
    assert readiness(stage=postpartum(16, "caesarean"), return_to_running_tests=all_tests_passed()).ready


def test_week_8_after_a_caesarean_is_told_the_caesarean_floor_of_week_16_not_week_12():
    result = readiness(stage=postpartum(8, "caesarean"), return_to_running_tests=all_tests_passed())
    assert "week 16" in steps(result)
    assert "from week 12" not in steps(result)


def test_a_failed_test_and_a_missing_test_are_both_named_in_the_next_steps():
    tests = all_tests_passed()
    tests["hop_on_spot_10"] = False
    del tests["single_leg_bridge_20"]
    result = readiness(stage=postpartum(20), return_to_running_tests=tests)
    assert result.ready is False
    assert rule_ids(result) == ["running-tests-not-all-passed"]
    hop = kb().running_tests["hop_on_spot_10"].name
    bridge = kb().running_tests["single_leg_bridge_20"].name
    failed = [s for s in result.next_steps if hop in s]
    missing = [s for s in result.next_steps if bridge in s]
    assert failed and "Not yet passed" in failed[0]
    assert missing and "still to do" in missing[0]
    assert len(result.next_steps) == 2


def test_no_test_results_at_all_name_every_test_in_the_next_steps():
    result = readiness(stage=postpartum(20))
    names = [kb().running_tests[test_id].name for test_id in RUNNING_TEST_IDS]
    for name in names:
        assert name in steps(result)


def test_ten_passed_tests_are_not_enough():
    tests = all_tests_passed()
    del tests["walk_30_min"]
    assert readiness(stage=postpartum(20), return_to_running_tests=tests).ready is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"symptoms": ["urinary_leakage"]},
        {"symptoms": ["pelvic_heaviness"]},
        {"conditions": ["pelvic_floor_dysfunction"]},
    ],
)
def test_pelvic_floor_symptoms_hold_running_back_and_send_to_a_pelvic_health_physiotherapist(overrides):
    result = readiness(stage=postpartum(20), return_to_running_tests=all_tests_passed(), **overrides)
    assert result.ready is False
    assert rule_ids(result) == ["refer-pelvic-floor-symptoms"]
    assert "pelvic-health physiotherapist" in steps(result)


@pytest.mark.parametrize(
    ("symptom", "rule_id"),
    [
        ("increasing_postpartum_bleeding", "warning-sign-increasing-postpartum-bleeding"),
        ("calf_pain_or_swelling", "warning-sign-calf-pain-or-swelling"),
    ],
)
def test_a_warning_sign_holds_running_back_with_the_screening_reason_and_next_step(symptom, rule_id):
    result = readiness(stage=postpartum(20), return_to_running_tests=all_tests_passed(), symptoms=[symptom])
    assert result.ready is False
    assert rule_id in rule_ids(result)
    assert kb().messages.clearances[Clearance.SEEK_CARE_NOW].next_step in result.next_steps


def test_an_absolute_contraindication_holds_running_back():
    result = readiness(
        stage=postpartum(20), return_to_running_tests=all_tests_passed(), conditions=["preeclampsia"]
    )
    assert result.ready is False
    assert "absolute-preeclampsia" in rule_ids(result)


def test_a_relative_contraindication_holds_running_back_until_the_provider_clears_it():
    base = {"stage": postpartum(20), "return_to_running_tests": all_tests_passed(), "conditions": ["anaemia"]}
    assert readiness(**base).ready is False
    assert readiness(**base, provider_cleared=True).ready is True


def test_the_json_shape_has_ready_reasons_and_next_steps():
    knowledge = kb()
    data: dict[str, Any] = running_readiness(parsed(stage=postpartum(8)), knowledge).as_dict(
        knowledge.disclaimer
    )
    assert data["ready"] is False
    assert {r["rule"] for r in data["reasons"]} == {
        "running-not-before-12-weeks",
        "running-tests-not-all-passed",
    }
    for reason in data["reasons"]:
        assert {"rule", "source", "text"} <= set(reason)
    assert all(isinstance(step, str) for step in data["next_steps"])
    assert data["disclaimer"] == knowledge.disclaimer
