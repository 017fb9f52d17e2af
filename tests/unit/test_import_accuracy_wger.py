"""Accuracy of the importer on the real wger fixtures dump, against a hand-labelled development
set of our own (tests/data/wger_labels.yaml: ids and labels only; the data stays in
../shared/data/wger). The vocabulary was tuned on free-exercise-db; this measures how well it
carries over to another library's words, and guards against regressions.

Measured when the labels were made: position 70 %, one-sided 98 %, wide stance 98 %, impact 96 %,
spinal flexion 98 % (``BARS``); the printed table gives precision and recall per value.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field
from test_import_accuracy import ATTRIBUTES, Label, precision_recall, shared_dir

from bumpwise.importing import import_file
from bumpwise.importing.exercise import ImportedExercise
from bumpwise.importing.vocabulary import default_vocabulary
from cisupport import missing

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "tests" / "data" / "wger_labels.yaml"
BARS = {
    "position": 0.66,
    "asymmetric_lower_body": 0.94,
    "wide_stance": 0.94,
    "impact": 0.92,
    "spinal_flexion": 0.94,
}
"""Accuracy floors on this set, a little under what was measured when it was made (position 70 %,
one-sided 98 %, wide 98 %, impact 96 %, spinal flexion 98 %), so a regression fails. Position
carries over worst: wger descriptions are short and often leave the position unsaid (a bench
row, a machine, "lean into an incline bench"). The vocabulary was not tuned on these labels."""


class WgerLabel(Label):
    id: str


class LabelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[WgerLabel] = Field(min_length=40)


def wger_dir() -> Path:
    path = shared_dir() / "data" / "wger"
    if not (path / "exercise-base-data.json").is_file():
        missing(f"the shared wger fixtures are missing: {path} (set BUMPWISE_SHARED_DIR)")
    return path


@cache
def labels() -> tuple[WgerLabel, ...]:
    raw = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    for label in raw["labels"]:
        label["id"] = str(label["id"])
    return tuple(LabelFile.model_validate(raw).labels)


@cache
def imported() -> dict[str, ImportedExercise]:
    return {e.source_id: e for e in import_file(wger_dir(), "wger")}


def rows(attribute: str) -> list[tuple[object, object, float]]:
    found = []
    for label in labels():
        exercise = imported()[label.id]
        found.append(
            (getattr(label, attribute)[0], getattr(exercise, attribute), exercise.confidence[attribute])
        )
    return found


def accuracy(attribute: str) -> float:
    got = rows(attribute)
    return sum(str(w) == str(g) for w, g, _ in got) / len(got)


def test_the_labels_are_real_wger_exercises() -> None:
    ids = [label.id for label in labels()]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if i not in imported()]


def test_accuracy_per_attribute(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"wger development set: {len(labels())} hand-labelled exercises from the fixtures dump"]
    for attribute in ATTRIBUTES:
        got = rows(attribute)
        threshold = default_vocabulary().review_threshold
        confident = [r for r in got if r[2] >= threshold]
        right = sum(str(w) == str(g) for w, g, _ in confident)
        lines.append(
            f"{attribute}: accuracy {accuracy(attribute):.1%}; "
            f"confident (≥ {threshold}) {len(confident)}, of which right {right}"
        )
        for value, (precision, recall, support) in precision_recall(got).items():
            lines.append(f"  {value:>10}: precision {precision:.1%}  recall {recall:.1%}  (n={support})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_accuracy_does_not_fall_below_the_measured_floor(attribute: str) -> None:
    wrong = [
        f"{label.id}: labelled {getattr(label, attribute)[0]}, got {getattr(imported()[label.id], attribute)}"
        for label in labels()
        if str(getattr(label, attribute)[0]) != str(getattr(imported()[label.id], attribute))
    ]
    assert accuracy(attribute) >= BARS[attribute], wrong


def test_what_is_wrong_is_mostly_sent_for_review() -> None:
    """A wrong guess the importer is sure of reaches no plan unreviewed anyway (an attribute the
    coach has not confirmed counts as its strictest value), but the count is watched: 10 of 250
    decisions when the set was made, 5 of them positions."""
    threshold = default_vocabulary().review_threshold
    sure_and_wrong = [
        (label.id, attribute)
        for attribute in ATTRIBUTES
        for label, (w, g, c) in zip(labels(), rows(attribute), strict=True)
        if str(w) != str(g) and c >= threshold
    ]
    assert len(sure_and_wrong) <= 10, sure_and_wrong
