"""Strict reading of both formats: a bad file is one clear error and nothing is imported."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from bumpwise.domain.errors import ImportFormatError, InputError
from bumpwise.importing import import_file, import_text
from bumpwise.importing.reading import MAX_BYTES
from bumpwise.importing.wger import html_to_steps

DATA = Path(__file__).resolve().parents[1] / "data"
WGER_SAMPLE = DATA / "wger_sample.json"


def entry(**changes: Any) -> dict[str, Any]:
    """A valid free-exercise-db entry in our own words."""
    base: dict[str, Any] = {
        "id": "Test_Squat",
        "name": "Test Squat",
        "force": "push",
        "level": "beginner",
        "mechanic": "compound",
        "equipment": "body only",
        "primaryMuscles": ["quadriceps"],
        "secondaryMuscles": ["glutes"],
        "instructions": ["Stand with the feet hip-width apart.", "Sit down and back, then stand up."],
        "category": "strength",
        "images": [],
    }
    base.update(changes)
    return base


def fedb(data: Any) -> str:
    return json.dumps(data)


def failure(text: str, source: str = "free-exercise-db") -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        import_text(text, source)
    return caught.value


def test_a_valid_free_exercise_db_list_imports() -> None:
    [exercise] = import_text(fedb([entry()]), "free-exercise-db")
    assert exercise.source_id == "Test_Squat" and exercise.origin == "imported"
    assert exercise.licence.startswith("Unlicense")


def test_not_json() -> None:
    error = failure("this is not json {")
    assert error.field == "FILE" and "not valid JSON" in error.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        import_file(path, "free-exercise-db")


def test_nan_is_not_json() -> None:
    assert "NaN" in failure('[{"id": NaN}]').message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"exercises": []}, "JSON list"),
        ([], "holds no exercises"),
        (["a string"], "exercise object"),
    ],
)
def test_wrong_shape(data: Any, expected: str) -> None:
    assert expected in str(failure(fedb(data)))


def test_a_missing_field_is_named() -> None:
    item = entry()
    del item["category"]
    error = failure(fedb([entry(id="Fine"), item]))
    assert error.field == "[1] (id 'Test_Squat').category" and error.message == "is required"


def test_an_unknown_enum_value_lists_the_allowed_values() -> None:
    error = failure(fedb([entry(equipment="trampoline")]))
    assert error.field.endswith(".equipment")
    assert "trampoline" in error.message and "dumbbell" in error.allowed


def test_an_unknown_muscle_is_named() -> None:
    error = failure(fedb([entry(primaryMuscles=["quadriceps", "pelvic floor"])]))
    assert error.field.endswith("primaryMuscles[1]") and "neck" in error.allowed


def test_an_unknown_field_is_an_error() -> None:
    assert failure(fedb([entry(colour="red")])).field.endswith(".colour")


def test_a_wrong_type_is_named() -> None:
    assert failure(fedb([entry(instructions="one long string")])).field.endswith(".instructions")


def test_a_duplicate_id_is_an_error() -> None:
    assert "more than once" in failure(fedb([entry(), entry()])).message


def test_an_unknown_source() -> None:
    with pytest.raises(InputError) as caught:
        import_text("[]", "exrx")
    assert caught.value.field == "--from" and "wger" in caught.value.allowed


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(fedb([entry()]) + " " * 200, encoding="utf-8")
    with pytest.raises(ImportFormatError, match="limit"):
        import_file(path, "free-exercise-db", max_bytes=100)


def test_a_100_mb_file_of_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.json"
    chunk = os.urandom(1 << 20)
    with path.open("wb") as handle:
        for _ in range(100):
            handle.write(chunk)
    assert path.stat().st_size > MAX_BYTES
    with pytest.raises(ImportFormatError) as caught:
        import_file(path, "free-exercise-db")
    assert caught.value.field == "FILE" and "100.0 MB" in caught.value.message


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="cannot read"):
        import_file(tmp_path / "nope.json", "free-exercise-db")


def test_a_folder_without_json_files_is_one_error(tmp_path: Path) -> None:
    """A folder is read as an export split into files (the wger fixtures); an empty one is refused."""
    with pytest.raises(ImportFormatError, match=r"holds no \.json files"):
        import_file(tmp_path, "free-exercise-db")


# --- wger -------------------------------------------------------------------------------------


def wger_page() -> dict[str, Any]:
    page: dict[str, Any] = json.loads(WGER_SAMPLE.read_text(encoding="utf-8"))
    return page


def test_the_wger_sample_imports_with_each_entrys_licence() -> None:
    exercises = {e.source_id: e for e in import_file(WGER_SAMPLE, "wger")}
    assert len(exercises) == 6
    assert exercises["9001"].licence == "CC-BY-SA 4" and "Test Coach A" in exercises["9001"].attribution
    assert exercises["9002"].licence == "CC0" and exercises["9003"].licence == "CC-BY 4"
    assert exercises["9004"].attribution.startswith("Test Coach A, Test Coach D")
    assert exercises["9006"].attribution.startswith("wger contributors")
    assert all(e.licence_url and e.licence_url.startswith("http") for e in exercises.values())


def test_the_wger_sample_is_classified() -> None:
    exercises = {e.source_id: e for e in import_file(WGER_SAMPLE, "wger")}
    assert exercises["9001"].position.value == "supine" and exercises["9001"].pattern.value == "bridge"
    assert exercises["9002"].impact.value == "high", "the English text is read, not the German"
    assert exercises["9003"].position.value == "reclined" and "bench" in exercises["9003"].equipment
    assert exercises["9004"].spinal_flexion and "obliques" in exercises["9004"].secondary_muscles
    assert exercises["9005"].asymmetric_lower_body
    assert exercises["9006"].wide_stance and exercises["9006"].impact.value == "low"
    assert exercises["9001"].id == "wger-9001"


def test_a_plain_list_of_exerciseinfo_objects_is_accepted() -> None:
    assert len(import_text(json.dumps(wger_page()["results"]), "wger")) == 6


@pytest.mark.parametrize(
    ("change", "field", "allowed"),
    [
        (lambda e: e["category"].update(name="Yoga"), "results[0].category.name", "Cardio"),
        (lambda e: e["equipment"].append({"id": 99, "name": "Trampoline"}), "results[0].equipment", "Bench"),
        (lambda e: e["muscles"][0].update(name="Pelvic floor"), "results[0].muscles", "Soleus"),
    ],
)
def test_wger_unknown_vocabulary_is_named(change: Any, field: str, allowed: str) -> None:
    page = wger_page()
    change(page["results"][0])
    error = failure(json.dumps(page), "wger")
    assert error.field == field and allowed in error.allowed


@pytest.mark.parametrize("missing", ["translations", "license", "category", "muscles"])
def test_wger_missing_fields_are_named(missing: str) -> None:
    page = wger_page()
    del page["results"][2][missing]
    error = failure(json.dumps(page), "wger")
    assert error.field == f"results[2] (id 9003).{missing}" and error.message == "is required"


def test_wger_needs_a_translation() -> None:
    page = wger_page()
    page["results"][0]["translations"] = []
    assert "translations" in failure(json.dumps(page), "wger").field


def test_a_free_exercise_db_file_is_not_a_wger_file() -> None:
    assert "exerciseinfo" in failure(json.dumps({"exercises": [entry()]}), "wger").message


def test_a_wger_file_is_not_a_free_exercise_db_file() -> None:
    error = failure(WGER_SAMPLE.read_text(encoding="utf-8"))
    assert "JSON list" in error.message


def test_wger_duplicate_ids() -> None:
    page = wger_page()
    page["results"].append(copy.deepcopy(page["results"][0]))
    assert "more than once" in failure(json.dumps(page), "wger").message


def test_wger_html_becomes_steps() -> None:
    assert html_to_steps("<p>Lie down &amp; rest.</p><ul><li>One</li><li>Two <b>now</b></li></ul>") == (
        "Lie down & rest.",
        "One",
        "Two now",
    )
