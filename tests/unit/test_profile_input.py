"""Bad profile input: one clear error naming the field and, for a closed set, the allowed values.

Nothing is guessed: wrong types are not coerced, ids are not normalised, and duplicates are
removed without being reinterpreted.
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import kb, postpartum, pregnant, profile
from bumpwise.domain.errors import InputError
from bumpwise.domain.profile import parse_profile, parse_profile_json
from bumpwise.domain.vocab import ActivityLevel, Equipment

PROFILE_KEYS = (
    "stage",
    "conditions",
    "symptoms",
    "activity_level",
    "equipment",
    "days_per_week",
    "minutes_per_session",
    "provider_cleared",
    "age",
    "return_to_running_tests",
)


def rejected(data: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_profile(data, kb())
    return caught.value


def rejected_json(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_profile_json(text, kb())
    return caught.value


# --- unknown keys ----------------------------------------------------------------------


def test_an_unknown_top_level_key_is_rejected_by_name():
    error = rejected(profile(favourite_colour="blue"))
    assert error.field == "favourite_colour"
    assert "not a known field" in error.message


def test_an_unknown_key_in_the_stage_is_rejected_by_its_dotted_path():
    error = rejected(profile(stage={"kind": "pregnant", "week": 20, "due": "2026-01-01"}))
    assert error.field == "stage.due"


def test_an_unknown_top_level_key_lists_the_allowed_keys():
    error = rejected(profile(favourite_colour="blue"))
    assert set(PROFILE_KEYS) <= set(error.allowed)


def test_an_unknown_key_in_the_stage_lists_the_allowed_stage_keys():
    error = rejected(profile(stage={"kind": "pregnant", "week": 20, "due": "2026-01-01"}))
    assert set(error.allowed) == {"kind", "week", "delivery"}


# --- unknown ids ----------------------------------------------------------------------


def test_an_unknown_condition_is_rejected_with_every_allowed_condition():
    error = rejected(profile(conditions=["pelvic_girdle_pain", "sore_feet"]))
    assert error.field == "conditions[1]"
    assert "sore_feet" in error.message
    assert set(error.allowed) == set(kb().conditions)


@pytest.mark.parametrize("symptom", ["vaginal_bleeding", "urinary_leakage"])
def test_a_symptom_or_warning_sign_is_not_accepted_as_a_condition(symptom):
    error = rejected(profile(conditions=[symptom]))
    assert error.field == "conditions[0]"


def test_an_unknown_symptom_is_rejected_with_every_symptom_and_warning_sign_of_the_stage_allowed():
    error = rejected(profile(symptoms=["tired"]))  # 20 weeks pregnant
    assert error.field == "symptoms[0]"
    after_birth_only = {"increasing_postpartum_bleeding", "wound_pain_or_discharge"}
    assert set(error.allowed) == (set(kb().symptoms) | set(kb().warning_signs)) - after_birth_only


def test_an_unknown_equipment_id_is_rejected_with_the_equipment_list():
    error = rejected(profile(equipment=["mat", "trampoline"]))
    assert error.field == "equipment[1]"
    assert set(error.allowed) == {e.value for e in Equipment}


def test_an_unknown_activity_level_is_rejected_with_the_three_levels():
    error = rejected(profile(activity_level="couch"))
    assert error.field == "activity_level"
    assert set(error.allowed) == {a.value for a in ActivityLevel}


def test_an_unknown_stage_kind_is_rejected_with_the_two_kinds():
    error = rejected(profile(stage={"kind": "trying", "week": 3}))
    assert error.field == "stage.kind"
    assert set(error.allowed) == {"pregnant", "postpartum"}


def test_an_unknown_delivery_is_rejected_with_the_two_deliveries():
    error = rejected(profile(stage={"kind": "postpartum", "week": 3, "delivery": "forceps"}))
    assert error.field == "stage.delivery"
    assert set(error.allowed) == {"vaginal", "caesarean"}


def test_an_unknown_return_to_running_test_is_rejected_with_the_eleven_tests():
    error = rejected(
        profile(stage=postpartum(14), return_to_running_tests={"walk_30_min": True, "plank_60s": True})
    )
    assert error.field == "return_to_running_tests.plank_60s"
    assert set(error.allowed) == set(kb().running_tests)


# --- out-of-range weeks and the stage's shape -----------------------------------------


@pytest.mark.parametrize(
    ("stage", "range_text"),
    [
        (pregnant(0), "1 to 42"),
        (pregnant(43), "1 to 42"),
        (postpartum(-1), "0 to 104"),
        (postpartum(105), "0 to 104"),
    ],
)
def test_an_out_of_range_week_is_rejected_with_the_range(stage, range_text):
    error = rejected(profile(stage=stage))
    assert error.field.startswith("stage")
    assert str(stage["week"]) in error.message
    assert range_text in error.message


@pytest.mark.parametrize("stage", [pregnant(0), pregnant(43), postpartum(-1), postpartum(105)])
def test_an_out_of_range_week_names_the_field_stage_week(stage):
    error = rejected(profile(stage=stage))
    assert error.field == "stage.week"
    assert not error.message.startswith("Value error")


@pytest.mark.parametrize("stage", [pregnant(1), pregnant(42), postpartum(0), postpartum(104)])
def test_the_ends_of_each_week_range_are_accepted(stage):
    assert parse_profile(profile(stage=stage), kb()).stage.week == stage["week"]


def test_a_postpartum_stage_without_delivery_is_rejected_with_the_two_deliveries():
    error = rejected(profile(stage={"kind": "postpartum", "week": 8}))
    assert error.field.startswith("stage")
    assert "delivery" in error.message
    assert "vaginal" in error.message and "caesarean" in error.message


def test_a_pregnant_stage_with_a_delivery_is_rejected():
    error = rejected(profile(stage={"kind": "pregnant", "week": 8, "delivery": "vaginal"}))
    assert error.field.startswith("stage")
    assert "delivery" in error.message


@pytest.mark.parametrize(
    "stage",
    [{"kind": "postpartum", "week": 8}, {"kind": "pregnant", "week": 8, "delivery": "vaginal"}],
)
def test_a_missing_or_misplaced_delivery_names_the_field_stage_delivery(stage):
    assert rejected(profile(stage=stage)).field == "stage.delivery"


def test_a_profile_without_a_stage_is_rejected():
    data = profile()
    del data["stage"]
    error = rejected(data)
    assert error.field == "stage"
    assert "required" in error.message


def test_the_stage_must_be_an_object():
    assert rejected(profile(stage="pregnant")).field == "stage"


@pytest.mark.parametrize(
    ("key", "value"),
    [("days_per_week", 0), ("days_per_week", 8), ("minutes_per_session", 9), ("minutes_per_session", 91)],
)
def test_days_and_minutes_outside_their_ranges_are_rejected(key, value):
    assert rejected(profile(**{key: value})).field == key


# --- wrong types are not coerced ---------------------------------------------------------


@pytest.mark.parametrize("week", ["30", 30.0, 30.5, True, None])
def test_a_week_that_is_not_a_whole_number_is_rejected_not_coerced(week):
    error = rejected(profile(stage={"kind": "pregnant", "week": week}))
    assert error.field == "stage.week"


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None])
def test_provider_cleared_must_be_a_real_boolean(value):
    assert rejected(profile(provider_cleared=value)).field == "provider_cleared"


@pytest.mark.parametrize("value", ["pelvic_girdle_pain", {"pelvic_girdle_pain": True}, None, 3])
def test_conditions_must_be_a_list(value):
    assert rejected(profile(conditions=value)).field == "conditions"


@pytest.mark.parametrize("value", ["3", 3.0, True])
def test_days_per_week_must_be_a_whole_number(value):
    assert rejected(profile(days_per_week=value)).field == "days_per_week"


def test_a_return_to_running_result_must_be_a_boolean():
    error = rejected(profile(stage=postpartum(14), return_to_running_tests={"walk_30_min": "passed"}))
    assert error.field == "return_to_running_tests.walk_30_min"


# --- the document itself -------------------------------------------------------------


@pytest.mark.parametrize("text", ["{", '{"stage": ', "", "not json", "{'stage': 1}"])
def test_malformed_json_is_an_input_error_not_a_crash(text):
    error = rejected_json(text)
    assert "not valid JSON" in error.message


@pytest.mark.parametrize("text", ["[]", "[1, 2]", "null", '"pregnant"', "42", "true"])
def test_json_that_is_not_an_object_is_rejected(text):
    error = rejected_json(text)
    assert "must be a JSON object" in error.message


@pytest.mark.parametrize("data", [[], None, "x", 3])
def test_parse_profile_rejects_a_non_object(data):
    assert "JSON object" in rejected(data).message


def test_a_valid_json_profile_parses():
    parsed = parse_profile_json('{"stage": {"kind": "postpartum", "week": 8, "delivery": "caesarean"}}', kb())
    assert parsed.stage.delivery is not None
    assert parsed.stage.delivery.value == "caesarean"


def test_everything_but_the_stage_has_a_default():
    parsed = parse_profile({"stage": pregnant(12)}, kb())
    assert parsed.conditions == [] and parsed.symptoms == [] and parsed.equipment == []
    assert parsed.provider_cleared is False
    assert parsed.return_to_running_tests == {}


def test_the_error_message_renders_field_message_and_allowed_values_on_one_line():
    error = rejected(profile(activity_level="couch"))
    rendered = error.render()
    assert rendered.startswith("activity_level: ")
    assert "allowed: inactive, active, vigorous" in rendered
    assert "\n" not in rendered


# --- nothing is guessed -------------------------------------------------------------


def test_duplicate_ids_are_removed_keeping_the_first_order():
    parsed = parse_profile(
        profile(
            conditions=["knee_pain", "low_back_pain", "knee_pain"],
            symptoms=["back_pain", "back_pain"],
            equipment=["chair", "mat", "chair"],
        ),
        kb(),
    )
    assert parsed.conditions == ["knee_pain", "low_back_pain"]
    assert parsed.symptoms == ["back_pain"]
    assert [e.value for e in parsed.equipment] == ["chair", "mat"]


def test_an_alias_and_its_condition_collapse_into_the_condition():
    parsed = parse_profile(profile(conditions=["pubic_symphysis_dysfunction", "pelvic_girdle_pain"]), kb())
    assert parsed.conditions == ["pelvic_girdle_pain"]


@pytest.mark.parametrize(
    "condition", ["Pelvic_Girdle_Pain", " pelvic_girdle_pain", "pelvic-girdle-pain", "PGP"]
)
def test_a_near_miss_condition_id_is_rejected_not_normalised(condition):
    error = rejected(profile(conditions=[condition]))
    assert error.field == "conditions[0]"


@pytest.mark.parametrize("condition", ["Pelvic_Girdle_Pain", " pelvic_girdle_pain", "pelvic-girdle-pain"])
def test_a_near_miss_condition_id_lists_the_allowed_conditions(condition):
    error = rejected(profile(conditions=[condition]))
    assert "pelvic_girdle_pain" in error.allowed
    assert "pattern" not in error.message


@pytest.mark.parametrize("equipment", ["Dumbbells", "dumbbell", "dumb bells"])
def test_a_near_miss_equipment_id_is_rejected_not_normalised(equipment):
    assert rejected(profile(equipment=[equipment])).field == "equipment[0]"
