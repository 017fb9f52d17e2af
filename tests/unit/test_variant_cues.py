"""A variant that changes how the body is placed brings its own set-up cues, so a plan never
prints "lie on a mat" under a reclined exercise or "feet wider than your shoulders" under a
narrow-stance one."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from builders import kb, parsed, plan_json, pregnant
from bumpwise.domain.knowledge import default_knowledge, variants_missing_setup
from bumpwise.domain.planner import build_plan
from contract import EQUIPMENT
from strategies import JsonObject, items_of

START = date(2025, 1, 6)  # a Monday
SEEDS = range(4)
EVERYTHING = sorted(EQUIPMENT - {"mat", "wall"})
FLAT_ON_THE_BACK = ("lie on your back", "lie on a mat")
WIDE = re.compile(r"wide stance|(?<!no )wider than your shoulders")
LEGS = re.compile(r"\b(feet|foot|knees?|legs?|stance)\b")


def items(seed: int, **overrides: Any) -> list[JsonObject]:
    plan = plan_json(build_plan(parsed(**overrides), kb(), start=START, weeks=2, seed=seed))
    return [item for week in plan["weeks"] for _, _, item in items_of(week)]


def setup_text(item: JsonObject) -> str:
    return " ".join(item["cues"]["setup"]).lower()


def wide_legs(sentence: str) -> bool:
    """The sentence sets the feet or knees wider than the shoulders ("no wider" and hands
    wider than the shoulders, as in a wall push-up, are fine)."""
    sentence = sentence.lower()
    return bool(WIDE.search(sentence) and LEGS.search(sentence))


def test_every_variant_that_moves_the_body_has_its_own_setup() -> None:
    assert variants_missing_setup(default_knowledge()) == []


@pytest.mark.parametrize("equipment", [[], EVERYTHING], ids=["no-equipment", "all-equipment"])
def test_reclined_items_at_30_weeks_never_say_lie_on_your_back(equipment: list[str]) -> None:
    reclined = 0
    for seed in SEEDS:
        for item in items(seed, stage=pregnant(30), equipment=equipment):
            if item["exercise"]["position"] != "reclined":
                continue
            reclined += 1
            setup = setup_text(item)
            for phrase in FLAT_ON_THE_BACK:
                assert phrase not in setup, (item["exercise"]["id"], item["cues"]["setup"])
    assert reclined, "expected the planner to prescribe at least one reclined exercise at 30 weeks"


@pytest.mark.parametrize("equipment", [[], EVERYTHING], ids=["no-equipment", "all-equipment"])
def test_pelvic_girdle_pain_narrow_items_never_say_wide_stance(equipment: list[str]) -> None:
    narrowed = 0
    for seed in SEEDS:
        for item in items(seed, stage=pregnant(30), conditions=["pelvic_girdle_pain"], equipment=equipment):
            exercise = item["exercise"]
            if exercise["wide_stance"]:
                continue
            if kb().exercises[exercise["id"]].wide_stance:  # a variant brought the feet in
                narrowed += 1
            assert not any(wide_legs(s) for s in item["cues"]["setup"]), (
                exercise["id"],
                item["cues"]["setup"],
            )
    assert narrowed, "expected at least one wide exercise done with a narrow variant"


def test_reclined_variant_replaces_only_the_kinds_it_gives() -> None:
    exercise = kb().exercises["dead-bug"]
    variant = exercise.variant("reclined")
    assert variant is not None and variant.cues.setup is not None
    cues = variant.cues.applied_to(exercise.cues)
    assert cues.setup == variant.cues.setup
    assert cues.breath == exercise.cues.breath
    assert not any(phrase in " ".join(cues.setup).lower() for phrase in FLAT_ON_THE_BACK)


def test_the_wide_stance_check_catches_the_plain_sumo_squat() -> None:
    plain = kb().exercises["sumo-squat"]
    assert any(wide_legs(s) for s in plain.cues.setup)
    narrow = plain.variant("hip_width")
    assert narrow is not None and narrow.cues.setup is not None
    assert not any(wide_legs(s) for s in narrow.cues.setup)
    assert not wide_legs("Place your hands on the wall at chest height, slightly wider than your shoulders.")
    assert not wide_legs("Keep your knees high, no wider than your shoulders.")
