"""The public vocabularies of design.md §3 are a contract: the knowledge base must hold exactly them.

The expected lists are written out by hand from design.md on purpose; a change to an id must be a
deliberate change to this file too.
"""

from __future__ import annotations

import pytest

from builders import RUNNING_TEST_IDS, kb
from bumpwise.domain.rule import DESIGN_SOURCE
from bumpwise.domain.vocab import (
    ActivityLevel,
    ConditionClass,
    Equipment,
    Pattern,
    Position,
    SessionKind,
    StageKind,
)
from contract import (
    ABSOLUTE,
    EQUIPMENT,
    MODIFIERS,
    PATTERNS,
    POSITIONS,
    PREGNANCY_ONLY_ABSOLUTE,
    PREGNANCY_ONLY_RELATIVE,
    RELATIVE,
    SYMPTOMS,
    WARNING_SIGNS,
)


def condition_ids(condition_class: str) -> set[str]:
    return {c.id for c in kb().conditions.values() if c.condition_class == ConditionClass(condition_class)}


@pytest.mark.parametrize(
    ("condition_class", "expected"),
    [("absolute", ABSOLUTE), ("relative", RELATIVE), ("modifier", MODIFIERS)],
)
def test_each_condition_class_holds_exactly_the_ids_of_design_md(condition_class, expected):
    assert condition_ids(condition_class) == expected


def test_there_are_no_conditions_outside_the_three_classes():
    assert set(kb().conditions) == ABSOLUTE | RELATIVE | MODIFIERS


def test_warning_sign_ids_are_exactly_those_of_design_md():
    assert set(kb().warning_signs) == WARNING_SIGNS


def test_symptom_ids_are_exactly_those_of_design_md():
    assert set(kb().symptoms) == SYMPTOMS


def test_equipment_ids_are_exactly_those_of_design_md_in_data_and_code():
    assert set(kb().equipment) == EQUIPMENT
    assert {e.value for e in Equipment} == EQUIPMENT


def test_activity_levels_patterns_positions_and_session_kinds_match_design_md():
    assert {a.value for a in ActivityLevel} == {"inactive", "active", "vigorous"}
    assert {p.value for p in Pattern} == PATTERNS
    assert {p.value for p in Position} == POSITIONS
    assert {s.value for s in SessionKind} == {"strength", "cardio", "pelvic_floor", "mobility"}


def test_return_to_running_test_ids_are_exactly_those_of_the_issue():
    assert set(kb().running_tests) == set(RUNNING_TEST_IDS)


def test_every_vocabulary_entry_has_a_plain_name_and_description():
    knowledge = kb()
    terms = [
        *knowledge.conditions.values(),
        *knowledge.warning_signs.values(),
        *knowledge.symptoms.values(),
        *knowledge.equipment.values(),
        *knowledge.running_tests.values(),
    ]
    for term in terms:
        assert term.name.strip(), term.id
        assert term.description.strip(), term.id


def test_the_alias_pubic_symphysis_dysfunction_resolves_to_pelvic_girdle_pain():
    assert kb().condition_aliases == {"pubic_symphysis_dysfunction": "pelvic_girdle_pain"}


@pytest.mark.parametrize("condition_id", sorted(PREGNANCY_ONLY_ABSOLUTE | PREGNANCY_ONLY_RELATIVE))
def test_conditions_of_the_pregnancy_itself_apply_only_in_pregnancy(condition_id):
    assert kb().conditions[condition_id].applies_to == [StageKind.PREGNANT]


def test_every_source_cited_by_a_rule_or_an_exercise_is_in_sources_yaml():
    knowledge = kb()
    cited = {s for rule in knowledge.rules for s in rule.sources}
    cited |= {s for exercise in knowledge.exercises.values() for s in exercise.sources}
    assert cited <= set(knowledge.sources)


def test_exercises_never_cite_the_design_pseudo_source():
    for exercise in kb().exercises.values():
        assert DESIGN_SOURCE not in exercise.sources, exercise.id


def test_every_source_has_a_title_year_and_url():
    for source in kb().sources.values():
        assert source.title and source.year, source.id
        if source.id not in (DESIGN_SOURCE, "OTHERS"):
            assert source.url.startswith("http"), source.id


def test_the_library_holds_at_least_80_exercises():
    assert len(kb().exercises) >= 80


def test_every_movement_pattern_of_design_md_is_covered():
    covered = {e.pattern.value for e in kb().exercises.values()}
    assert covered == PATTERNS


@pytest.mark.parametrize(
    "exercise_id",
    [
        "pelvic-floor-quick-flicks",
        "pelvic-floor-slow-holds",
        "pelvic-floor-relaxation",
        "walking",
        "stationary-bike",
        "swimming",
        "elliptical",
    ],
)
def test_the_pelvic_floor_and_low_impact_cardio_staples_of_the_issue_exist(exercise_id):
    assert exercise_id in kb().exercises


@pytest.mark.parametrize(
    ("pattern", "key"), [(Pattern.LUNGE, "third_trimester"), (Pattern.HINGE, "growing_bump")]
)
def test_every_lunge_and_hinge_has_its_pregnancy_only_variant(pattern, key):
    exercises = [e for e in kb().exercises.values() if e.pattern is pattern]
    assert exercises
    for exercise in exercises:
        variant = exercise.variant(key)
        assert variant is not None, exercise.id
        assert variant.applies_to == [StageKind.PREGNANT], exercise.id


def test_every_regression_progression_and_substitute_names_an_exercise_in_the_library():
    exercises = kb().exercises
    for exercise in exercises.values():
        for linked in (*exercise.regressions, *exercise.progressions, *exercise.substitutes):
            assert linked in exercises, (exercise.id, linked)


def test_the_file_name_of_every_exercise_is_its_id():
    # load_exercise_file enforces this; the library is keyed by id
    for exercise_id, exercise in kb().exercises.items():
        assert exercise.id == exercise_id


# --- the four moves of the hamstring programme ---------------------------------------


@pytest.mark.parametrize("exercise_id", ["hamstring-pulses", "hamstring-presses"])
def test_the_hamstring_moves_use_a_small_ball_while_holding_a_support(exercise_id):
    exercise = kb().exercises[exercise_id]
    assert exercise.pattern is Pattern.KNEE_FLEXION
    assert Equipment.SMALL_BALL in exercise.equipment
    assert exercise.position is Position.STANDING
    assert "hamstrings" in {m.value for m in exercise.primary_muscles}
    setup = " ".join(exercise.cues.setup).lower()
    assert "ball" in setup
    assert "hand on" in setup


@pytest.mark.parametrize("exercise_id", ["hamstring-pulses", "hamstring-presses"])
def test_the_hamstring_moves_have_a_third_trimester_form_and_a_two_leg_form_for_pelvic_pain(exercise_id):
    exercise = kb().exercises[exercise_id]
    assert exercise.variant("third_trimester") is not None
    two_leg = [v for v in exercise.variants if v.set.asymmetric_lower_body is False]
    assert two_leg, "no adaptation that takes the load off one leg (pelvic girdle pain)"


def test_hamstring_pulses_bring_the_heel_toward_the_glutes_with_light_core_engagement():
    exercise = kb().exercises["hamstring-pulses"]
    assert "heel" in " ".join(exercise.cues.movement).lower()
    assert "glutes" in " ".join(exercise.cues.movement).lower()
    assert "pelvic floor" in " ".join(exercise.cues.core_and_pelvic_floor).lower()


def test_hamstring_presses_press_back_without_arching_the_low_back():
    exercise = kb().exercises["hamstring-presses"]
    movement = " ".join(exercise.cues.movement).lower()
    assert "press" in movement
    assert "arch" in movement


def test_the_forward_lunge_shortens_and_is_supported_in_the_third_trimester_and_has_squat_swaps():
    exercises = kb().exercises
    lunge = exercises["forward-lunge"]
    variant = lunge.variant("third_trimester")
    assert variant is not None
    text = variant.text.lower()
    assert "shorter" in text
    assert "hand on" in text
    squat_swaps = [
        exercises[s]
        for s in lunge.substitutes
        if exercises[s].pattern is Pattern.SQUAT
        and not exercises[s].asymmetric_lower_body
        and not exercises[s].wide_stance
    ]
    assert squat_swaps, "no hip-width bilateral squat to swap to with pelvic girdle pain"


def test_the_dumbbell_deadlift_widens_the_stance_softens_the_knees_and_lightens_the_load_for_the_bump():
    deadlift = kb().exercises["dumbbell-romanian-deadlift"]
    assert deadlift.pattern is Pattern.HINGE
    variant = deadlift.variant("growing_bump")
    assert variant is not None
    assert variant.set.load is not None and variant.set.load.value == "light"
    text = variant.text.lower()
    assert "shoulder-width" in text
    assert "soft" in text
    assert "slowly" in text
    assert "low back" in text


def test_a_source_url_that_is_not_a_web_address_is_the_apps_rules_page():
    local = [s for s in kb().sources.values() if s.url.startswith("/")]
    assert [s.id for s in local] == ["DESIGN"], "only the design-choice pseudo-source is local"
    assert local[0].url.startswith("/rules")
