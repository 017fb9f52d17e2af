"""Accuracy of the importer against the hand-labelled free-exercise-db development set.

The labels (tests/data/free_exercise_db_labels.yaml) were written by reading each exercise, by the
definitions of design.md §4, before the classifier was tuned. This test prints precision and
recall per attribute value and holds the importer to the issue's bar on the development set:
≥ 95 % accuracy on position, ≤ 2 % errors on each boolean attribute and on impact. A held-out set,
never used for tuning, is reported too, with a looser bar against regressions.
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bumpwise.domain.vocab import Impact, Position
from bumpwise.importing import import_file
from bumpwise.importing.exercise import ImportedExercise
from bumpwise.importing.vocabulary import default_vocabulary
from cisupport import missing

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "tests" / "data" / "free_exercise_db_labels.yaml"
ATTRIBUTES = ("position", "asymmetric_lower_body", "wide_stance", "impact", "spinal_flexion")
Why = Annotated[str, StringConstraints(min_length=3, max_length=160)]


def shared_dir() -> Path:
    configured = os.environ.get("BUMPWISE_SHARED_DIR")
    return Path(configured) if configured else REPO / ".." / "shared"


def free_exercise_db_file() -> Path:
    """The shared exercises.json; in CI its absence is a failure, on a laptop a skip."""
    path = shared_dir() / "data" / "free-exercise-db" / "exercises.json"
    if not path.is_file():
        message = f"the shared free-exercise-db file is missing: {path} (set BUMPWISE_SHARED_DIR)"
        missing(message)
    return path


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    position: tuple[Position, Why]
    asymmetric_lower_body: tuple[bool, Why]
    wide_stance: tuple[bool, Why]
    impact: tuple[Impact, Why]
    spinal_flexion: tuple[bool, Why]


class LabelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[Label] = Field(min_length=120, description="the development set the vocabulary is tuned on")
    holdout: list[Label] = Field(min_length=30, description="never used for tuning")


@cache
def label_file() -> LabelFile:
    return LabelFile.model_validate(yaml.safe_load(LABELS.read_text(encoding="utf-8")))


def labels() -> tuple[Label, ...]:
    return tuple(label_file().labels)


def holdout() -> tuple[Label, ...]:
    return tuple(label_file().holdout)


@cache
def imported() -> dict[str, ImportedExercise]:
    return {e.source_id: e for e in import_file(free_exercise_db_file(), "free-exercise-db")}


def predictions(
    attribute: str, labelled: tuple[Label, ...] | None = None
) -> list[tuple[object, object, float]]:
    """(label, prediction, confidence) for every labelled exercise."""
    rows = []
    for label in labels() if labelled is None else labelled:
        exercise = imported()[label.id]
        rows.append(
            (getattr(label, attribute)[0], getattr(exercise, attribute), exercise.confidence[attribute])
        )
    return rows


def precision_recall(rows: list[tuple[object, object, float]]) -> dict[str, tuple[float, float, int]]:
    """Per value: (precision, recall, support)."""
    result = {}
    for value in sorted({str(want) for want, _, _ in rows} | {str(got) for _, got, _ in rows}):
        tp = sum(str(w) == value and str(g) == value for w, g, _ in rows)
        predicted = sum(str(g) == value for _, g, _ in rows)
        actual = sum(str(w) == value for w, _, _ in rows)
        result[value] = (tp / predicted if predicted else 1.0, tp / actual if actual else 1.0, actual)
    return result


def errors(attribute: str, labelled: tuple[Label, ...] | None = None) -> list[str]:
    return [
        f"{label.id}: labelled {getattr(label, attribute)[0]}, got {getattr(imported()[label.id], attribute)}"
        for label in (labels() if labelled is None else labelled)
        if getattr(label, attribute)[0] != getattr(imported()[label.id], attribute)
    ]


def test_the_labels_are_a_varied_sample_of_real_exercises() -> None:
    ids = [label.id for label in labels()]
    assert len(ids) == len(set(ids)), "an exercise is labelled twice"
    assert not {label.id for label in holdout()} & set(ids), "the held-out set shares no exercise"
    missing = [i for i in ids if i not in imported()]
    assert not missing, f"labelled ids not in the file: {missing}"
    import json

    raw = {e["id"]: e for e in json.loads(free_exercise_db_file().read_text(encoding="utf-8"))}
    categories = Counter(raw[i]["category"] for i in ids)
    assert set(categories) == {e["category"] for e in raw.values()}, (
        f"every category is covered: {categories}"
    )
    positions = Counter(label.position[0] for label in labels())
    assert len(positions) >= 9, f"many positions are covered: {positions}"
    for attribute in ("asymmetric_lower_body", "wide_stance", "spinal_flexion"):
        assert sum(getattr(label, attribute)[0] for label in labels()) >= 10, attribute
    assert sum(label.impact[0] is Impact.HIGH for label in labels()) >= 10


@pytest.mark.parametrize("which", ["development", "held-out"])
def test_precision_and_recall_per_attribute_value(which: str, capsys: pytest.CaptureFixture[str]) -> None:
    labelled = labels() if which == "development" else holdout()
    lines = [f"{which} set: {len(labelled)} hand-labelled free-exercise-db exercises"]
    for attribute in ATTRIBUTES:
        rows = predictions(attribute, labelled)
        accuracy = sum(str(w) == str(g) for w, g, _ in rows) / len(rows)
        lines.append(f"{attribute}: accuracy {accuracy:.1%}")
        for value, (precision, recall, support) in precision_recall(rows).items():
            lines.append(f"  {value:>10}: precision {precision:.1%}  recall {recall:.1%}  (n={support})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_position_is_at_least_95_percent_right() -> None:
    wrong = errors("position")
    assert len(wrong) <= 0.05 * len(labels()), wrong


@pytest.mark.parametrize("attribute", ["asymmetric_lower_body", "wide_stance", "impact", "spinal_flexion"])
def test_boolean_attributes_and_impact_have_at_most_2_percent_errors(attribute: str) -> None:
    wrong = errors(attribute)
    assert len(wrong) <= 0.02 * len(labels()), wrong


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_confident_decisions_are_right(attribute: str) -> None:
    """The review threshold is meaningful: at most one confident mistake per attribute."""
    threshold = default_vocabulary().review_threshold
    confident_errors = [
        (w, g, c) for w, g, c in predictions(attribute) if str(w) != str(g) and c >= threshold
    ]
    assert len(confident_errors) <= 1, confident_errors


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_the_held_out_set_does_not_regress(attribute: str) -> None:
    """A looser bar on exercises never used for tuning: it catches rules that stop generalising.

    Figures when the set was made: position 95 %, one-sided 92.5 %, wide 97.5 %, impact 92.5 %,
    spinal flexion 97.5 %. Do not tune the vocabulary on these labels; add to the development set.
    """
    wrong = errors(attribute, holdout())
    assert len(wrong) <= 0.1 * len(holdout()), wrong
