"""The import vocabulary: validated at load, complete for both sources, and its phrase syntax."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import SAFETY_ATTRIBUTES
from bumpwise.importing.free_exercise_db import FreeExerciseDbEntry
from bumpwise.importing.matching import compile_phrase, first_words
from bumpwise.importing.vocabulary import default_vocabulary, load_vocabulary, vocabulary_path


def literal_values(annotation: object) -> set[str]:
    values: set[str] = set()
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Literal:
            values |= set(typing.get_args(arg))
        elif isinstance(arg, str):
            values.add(arg)
        else:
            values |= literal_values(arg)
    return values


def edited(tmp_path: Path, change: typing.Callable[[dict[str, typing.Any]], None]) -> Path:
    data = yaml.safe_load(vocabulary_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "import_vocabulary.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_shipped_vocabulary_loads() -> None:
    vocabulary = default_vocabulary()
    assert 0 < vocabulary.review_threshold < 1


def test_it_classifies_every_attribute_the_rules_match_on() -> None:
    assert set(SAFETY_ATTRIBUTES) <= set(default_vocabulary().attributes)


def test_it_maps_every_free_exercise_db_equipment_and_muscle() -> None:
    maps = default_vocabulary().maps.free_exercise_db
    fields = FreeExerciseDbEntry.model_fields
    assert set(maps.equipment) == literal_values(fields["equipment"].annotation)
    assert set(maps.muscles) == literal_values(fields["primaryMuscles"].annotation)


def test_it_maps_the_wger_vocabularies() -> None:
    maps = default_vocabulary().maps.wger
    assert len(maps.muscles) == 16 and len(maps.categories) == 8 and len(maps.equipment) == 12
    assert 2 in maps.english_language_ids


def test_an_unknown_key_is_an_error_naming_it(tmp_path: Path) -> None:
    path = edited(tmp_path, lambda d: d["attributes"]["impact"].update(colour="red"))
    with pytest.raises(DataError, match=r"attributes\.impact\.colour"):
        load_vocabulary(path)


def test_a_value_outside_the_attribute_vocabulary_is_an_error(tmp_path: Path) -> None:
    path = edited(tmp_path, lambda d: d["attributes"]["position"]["cues"][0].update(value="upside"))
    with pytest.raises(DataError, match="upside"):
        load_vocabulary(path)


def test_a_prior_may_only_look_at_attributes_decided_before_it(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        data["attributes"]["position"]["priors"].append(
            {"value": "supine", "weight": 1, "when": {"impact": ["high"]}, "why": "too early"}
        )

    with pytest.raises(DataError, match="decided earlier"):
        load_vocabulary(edited(tmp_path, change))


def test_a_missing_attribute_is_an_error(tmp_path: Path) -> None:
    path = edited(tmp_path, lambda d: d["attributes"].pop("wide_stance"))
    with pytest.raises(DataError, match="wide_stance"):
        load_vocabulary(path)


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("lunge*", "reverse lunges", True),
        ("lunge*", "lungs", False),
        ("(lie|lay) [down] on your back", "lie on your back", True),
        ("(lie|lay) [down] on your back", "lay down on your back", True),
        ("feet .. wide apart", "feet placed very wide apart", True),
        ("feet .. wide apart", "feet are placed a lot further and wide apart", False),
        ("push up*", "push ups", True),
        ("jump*", "jumping", True),
        ("jump*", "ajump", False),
    ],
)
def test_phrase_syntax(phrase: str, text: str, matches: bool) -> None:
    assert bool(re.search(compile_phrase(phrase), text)) is matches


def test_first_words_skip_optional_groups() -> None:
    assert first_words("[slowly|gently] (lie|lay) down") == {"slowly", "gently", "lie", "lay"}
    assert first_words("lunge* forward") == {"lunge*"}
