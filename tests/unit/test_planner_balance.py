"""Thigh balance in whole plans: posterior (glutes + hamstrings) over anterior (quadriceps) volume
within 1.0–1.5 (the ``posterior-anterior-thigh-balance`` design choice).

The scenarios reproduce the weeks that used to end out of range. Almost all had no lunge: pelvic
girdle pain excludes one-leg work, and the lunges' curated stand-ins needed a chair, so the
week's front-of-thigh work was one squat against a hinge and a bridge that cannot go below one
set. The rest were weeks with progression held whose sets had been trimmed to fit short sessions.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from builders import kb, one_week, plan_json, postpartum, pregnant, thigh_balance
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.rule import Require, RequireRecoveryPhase
from strategies import DERANDOMIZED, JsonObject, WeekRules, at_week, items_of, seeds, starts, valid_profiles

SEEDS = range(6)
_BALANCE = thigh_balance()
LOW, HIGH = _BALANCE.ratio_min, _BALANCE.ratio_max
UNBALANCED_NOTE = "could not be balanced"
SAMPLE = settings(DERANDOMIZED, max_examples=60)

PGP_T3_NO_CHAIR = {
    "stage": pregnant(29),
    "conditions": ["pelvic_girdle_pain"],
    "activity_level": "active",
    "equipment": ["resistance_band", "mini_band", "cable_machine"],
    "days_per_week": 3,
    "minutes_per_session": 30,
}
# Progression held (a reported symptom), caesarean build-up (at most two sets), ten minutes.
HELD_SHORT_SESSIONS = {
    "stage": postpartum(5, "caesarean"),
    "conditions": ["low_back_pain", "pelvic_floor_dysfunction"],
    "symptoms": ["abdominal_doming"],
    "activity_level": "active",
    "equipment": ["pool", "stationary_bike"],
    "days_per_week": 3,
    "minutes_per_session": 10,
}


def pattern_of(exercise_id: str | None) -> str | None:
    return kb().exercises[exercise_id].pattern.value if exercise_id else None


def in_range(week: dict[str, Any]) -> bool:
    ratio = week["totals"]["balance_ratio"]
    return ratio is None or LOW <= ratio <= HIGH


def strength_mains(week: dict[str, Any]) -> list[JsonObject]:
    return [
        item
        for _, session, item in items_of(week)
        if session["kind"] == "strength" and item.get("block") == "main"
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_pelvic_girdle_pain_without_a_chair_squats_in_the_lunge_slot_and_stays_balanced(seed):
    """Seeds 2 and 3 ended at 1.67 with "No lunge exercise fits" before the lunges listed
    hip-width squats that need no chair among their curated substitutes."""
    week = one_week(seed, **PGP_T3_NO_CHAIR)
    assert in_range(week), (week["totals"], week["notes"])
    assert not any(UNBALANCED_NOTE in n for n in week["notes"])
    swapped = [i for i in strength_mains(week) if pattern_of(i["substituted_for"]) == "lunge"]
    assert swapped, "the lunge slot of strength B should be filled by a swap"
    for item in swapped:
        e = item["exercise"]
        assert e["pattern"] == "squat", e["id"]
        assert not e["asymmetric_lower_body"] and not e["wide_stance"], e["id"]
        assert e["id"] in kb().exercises[item["substituted_for"]].substitutes


@pytest.mark.parametrize("seed", SEEDS)
def test_a_held_week_restores_trimmed_sets_to_balance_but_never_exceeds_its_level(seed):
    """Seeds 1 and 2 ended at 1.67: the split squat had been trimmed to one set to fit ten
    minutes, and a held week could not give it back."""
    week = one_week(seed, **HELD_SHORT_SESSIONS)
    assert in_range(week), (week["totals"], week["notes"])
    assert week["progression_level"] == 0
    for item in strength_mains(week):
        base = kb().exercises[item["exercise"]["id"]].dose.sets
        assert item["dose"]["sets"] <= min(2, base), item["exercise"]["id"]  # held, gentle start


def test_an_inactive_person_after_birth_gets_the_gentle_start_cap_of_two_sets():
    """Two build-up rules are in force (inactive, and the first six weeks after birth); the
    early recovery phase (postpartum-phase-early-recovery) caps sets at two."""
    week = one_week(0, stage=postpartum(3), activity_level="inactive", equipment=["dumbbells", "chair"])
    assert strength_mains(week)
    for item in strength_mains(week):
        assert item["dose"]["sets"] <= 2, (item["exercise"]["id"], item["dose"])


def set_ceiling(data: dict[str, Any], index: int, week: dict[str, Any], base_sets: int) -> int:
    """The most sets a main strength item may have: its sets at this progression level, plus one
    for balancing unless progression is held, never above the build-up's or planning's maximum."""
    rules = WeekRules.of(at_week(data, data["stage"]["week"] + index))
    caps = [
        rule.action.params.max_sets
        for rule in rules.of_type(Require)
        if isinstance(rule.action, RequireRecoveryPhase)
    ]
    ceiling = min([kb().planning.max_sets, *caps])
    held = rules.requirement("progression_hold") is not None
    return min(ceiling, base_sets + week["progression_level"] + (0 if held else 1))


@SAMPLE
@given(valid_profiles(), starts, seeds)
def test_balancing_adds_at_most_one_set_over_the_level_and_none_when_held(data, start, seed):
    plan = plan_json(build_plan(parse_profile(data, kb()), kb(), start=start, weeks=3, seed=seed))
    for index, week in enumerate(plan["weeks"]):
        for item in strength_mains(week):
            base = kb().exercises[item["exercise"]["id"]].dose.sets
            top = set_ceiling(data, index, week, base)
            assert 1 <= item["dose"]["sets"] <= max(top, 1), (item["exercise"]["id"], top, data)
