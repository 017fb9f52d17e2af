"""A coach's imported exercise in the domain (issue 17): the same rules as the built-in library,
an unconfirmed attribute as strict as it can be, attribution carried into the plan, and the
wger fixtures dump read as one export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from builders import kb, parsed, postpartum, pregnant
from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.engine import RuleSet
from bumpwise.domain.errors import ImportFormatError
from bumpwise.domain.evaluation import evaluate
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.planner import build_plan
from bumpwise.importing import import_file, import_text
from bumpwise.importing.exercise import ImportedExercise
from bumpwise.importing.library import REVIEWED, planned_exercise
from bumpwise.importing.vocabulary import default_vocabulary

WGER_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wger_sample.json"
SAFE = {
    "pattern": "squat", "position": "standing", "asymmetric_lower_body": False, "wide_stance": False,
    "impact": "low", "spinal_flexion": False, "load": "none", "abdominal_pressure": "low",
    "balance_demanding": False, "high_effort": False, "running": False, "presses_on_abdomen": False,
}  # fmt: skip


def sample() -> ImportedExercise:
    return import_file(WGER_SAMPLE, "wger")[0]


def coach_exercise(confirmed: dict[str, Any], owner: int = 7) -> Exercise:
    return planned_exercise(sample().as_json(), confirmed, owner)


def test_confirmed_values_win_and_attribution_travels() -> None:
    exercise = coach_exercise(SAFE)
    assert exercise.id.startswith("c7-wger-") and exercise.unconfirmed == ()
    assert exercise.position.value == "standing" and exercise.origin == "imported"
    assert exercise.attribution is not None and exercise.attribution.licence == sample().licence
    assert exercise.cues.movement[0] in " ".join(sample().steps) or sample().steps == []


def test_two_coaches_get_two_exercises() -> None:
    assert coach_exercise(SAFE, 1).id != coach_exercise(SAFE, 2).id


def test_nothing_confirmed_is_as_strict_as_can_be() -> None:
    exercise = coach_exercise({})
    assert set(exercise.unconfirmed) == set(REVIEWED)
    strictest = default_vocabulary().planned_form.most_restrictive
    for name, value in strictest.items():
        got = getattr(exercise, name)
        assert (got.value if hasattr(got, "value") else got) == value, name


@pytest.mark.parametrize(
    ("unconfirmed", "profile", "rule"),
    [
        ("position", {"stage": pregnant(20)}, "no-supine-after-first-trimester"),
        ("asymmetric_lower_body", {"stage": pregnant(10), "conditions": ["pelvic_girdle_pain"]}, None),
        ("impact", {"stage": postpartum(8)}, "no-high-impact-before-12-weeks-postpartum"),
        ("spinal_flexion", {"stage": postpartum(3)}, "early-postpartum-no-curl-ups"),
    ],
)
def test_an_unconfirmed_attribute_is_excluded_wherever_a_value_of_it_would_be(
    unconfirmed: str, profile: dict[str, Any], rule: str | None
) -> None:
    confirmed = {k: v for k, v in SAFE.items() if k != unconfirmed}
    person = parsed(**profile)
    assert evaluate(person, coach_exercise(SAFE), kb()).usable, "confirmed safe: allowed"
    verdict = evaluate(person, coach_exercise(confirmed), kb())
    assert verdict.status == "excluded"
    if rule is not None:
        assert rule in [reason.rule for reason in verdict.reasons]


def test_the_same_exercise_confirmed_supine_is_excluded_in_mid_pregnancy_only() -> None:
    supine = coach_exercise({**SAFE, "pattern": "bridge", "position": "supine"})
    assert evaluate(parsed(stage=pregnant(10)), supine, kb()).usable
    assert evaluate(parsed(stage=pregnant(20)), supine, kb()).status == "excluded"


def test_a_coach_exercise_is_planned_and_carries_its_licence_into_the_plan() -> None:
    exercise = coach_exercise({**SAFE, "pattern": "bridge", "position": "supine"})
    library = kb().with_exercises([exercise])
    assert library.rules is kb().rules and exercise.id not in kb().exercises
    plan = build_plan(parsed(stage=pregnant(10)), library, start=date(2026, 3, 2))
    document = PlanDocument.model_validate(plan.json())
    items = [item for item in document.weeks[0].all_items() if item.exercise.id == exercise.id]
    assert items and items[0].exercise.attribution is not None
    later = build_plan(parsed(stage=pregnant(20)), library, start=date(2026, 3, 2))
    planned_later = PlanDocument.model_validate(later.json()).weeks[0].all_items()
    assert exercise.id not in [item.exercise.id for item in planned_later]
    assert RuleSet.for_profile(library, parsed(stage=pregnant(20))).evaluate(exercise).status == "excluded"


def test_a_library_exercise_still_needs_a_variant() -> None:
    data = {**kb().exercises["goblet-squat"].model_dump(mode="json"), "variants": []}
    with pytest.raises(ValueError, match="at least one variant"):
        Exercise.model_validate(data)


def test_the_wger_dump_needs_every_model_it_refers_to() -> None:
    dump = [{"model": "exercises.exercise", "pk": 1, "fields": {"category": 10, "license": 1}}]
    with pytest.raises(ImportFormatError, match=r"exercises\.translation"):
        import_text(json.dumps(dump), "wger")


def test_a_dump_refers_to_ids_that_exist() -> None:
    dump: list[dict[str, Any]] = [
        {"model": "exercises.exercise", "pk": 1, "fields": {"category": 99, "license": 1, "muscles": [],
                                                             "muscles_secondary": [], "equipment": []}},
        {"model": "exercises.translation", "pk": 1, "fields": {"exercise": 1, "name": "Squat", "language": 2,
                                                                "description": "<p>Sit down.</p>"}},
        {"model": "exercises.exercisecategory", "pk": 10, "fields": {"name": "Legs"}},
        {"model": "exercises.muscle", "pk": 1, "fields": {"name": "Gluteus maximus"}},
        {"model": "exercises.equipment", "pk": 1, "fields": {"name": "Barbell"}},
        {"model": "core.license", "pk": 1, "fields": {"short_name": "CC0", "url": ""}},
    ]  # fmt: skip
    with pytest.raises(ImportFormatError) as caught:
        import_text(json.dumps(dump), "wger")
    assert caught.value.field == "exercises.exercise 1.category"
    dump[0] = {**dump[0], "fields": {**dump[0]["fields"], "category": 10}}
    [exercise] = import_text(json.dumps(dump), "wger")
    assert exercise.licence == "CC0" and exercise.steps == ["Sit down."]


def test_corrected_equipment_and_muscles_are_the_planned_ones() -> None:
    corrected = {
        "equipment": ["mini_band"],
        "primary_muscles": ["glutes"],
        "secondary_muscles": ["glutes", "calves"],
    }
    exercise = coach_exercise({**SAFE, **corrected})
    assert [e.value for e in exercise.equipment] == ["mini_band"]
    assert [m.value for m in exercise.primary_muscles] == ["glutes"]
    assert [m.value for m in exercise.secondary_muscles] == ["calves"], "never both primary and secondary"
    assert exercise.unconfirmed == (), "corrections are not safety attributes"
    plain = coach_exercise(SAFE)
    assert (
        plain.equipment == [type(plain.equipment[0])(e) for e in sample().equipment]
        if sample().equipment
        else True
    )
