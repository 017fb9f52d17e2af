"""The import vocabulary (``knowledge/import_vocabulary.yaml``): typed, validated at load.

Everything the classifier knows — phrases and the attribute values they point to, weights,
priors from the source's category/equipment/muscle fields, the maps from source ids to ours — is
data in that file. The code only scores what the data says.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import SAFETY_ATTRIBUTES, Dose
from bumpwise.domain.exercise import Text as CueText
from bumpwise.domain.loader import read_yaml, validate
from bumpwise.domain.vocab import AbdominalPressure, Equipment, Impact, Load, Muscle, Pattern, Position

Value = str | bool

CATEGORICAL: dict[str, type[StrEnum]] = {
    "position": Position,
    "pattern": Pattern,
    "impact": Impact,
    "load": Load,
    "abdominal_pressure": AbdominalPressure,
}
BOOLEAN = ("asymmetric_lower_body", "wide_stance", "spinal_flexion", "balance_demanding",
           "high_effort", "running", "presses_on_abdomen")  # fmt: skip
SOURCE_FACTS = ("source", "category", "mechanic", "force", "level", "source_equipment", "equipment",
                "primary_muscles", "muscles")  # fmt: skip
FIELDS = ("name", "steps")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldWeights(Strict):
    """How much a phrase counts by where it was found: the name, or the n-th instruction step."""

    name: float = Field(gt=0)
    steps: list[float] = Field(min_length=1, description="first, second, ...; the last repeats")

    def step(self, index: int) -> float:
        return self.steps[min(index, len(self.steps) - 1)]


class Scoring(Strict):
    field_weights: FieldWeights
    damping: float = Field(gt=0, description="k in confidence = top / (top + runner-up + k)")
    text_scale: dict[str, float] = Field(
        description="default confidence scale by how much text there is: full, one_step, none"
    )

    @model_validator(mode="after")
    def _scales(self) -> Scoring:
        if set(self.text_scale) != {"full", "one_step", "none"}:
            raise ValueError("text_scale needs exactly full, one_step and none")
        return self


class Negation(Strict):
    words: list[str] = Field(min_length=1)
    window: int = Field(ge=1, le=8, description="words before a phrase that can negate it")


class Cue(Strict):
    """Phrases that point to a value; ``ignore`` cues point nowhere and shadow shorter matches."""

    value: Value | None = None
    ignore: bool = False
    weight: float = Field(default=0.0, ge=0, le=10)
    phrases: list[Annotated[str, Field(min_length=2, max_length=200)]] = Field(min_length=1)
    fields: list[str] = Field(default_factory=lambda: list(FIELDS))
    positions: list[Position] | None = Field(default=None, description="only counts in these positions")
    why: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Cue:
        if self.ignore == (self.value is not None):
            raise ValueError("a cue has either a value and a weight, or ignore: true")
        if not self.ignore and self.weight <= 0:
            raise ValueError("a cue with a value needs a weight above 0")
        if unknown := set(self.fields) - set(FIELDS):
            raise ValueError(f"unknown fields {sorted(unknown)} (allowed: {', '.join(FIELDS)})")
        return self


class Prior(Strict):
    """A vote from the structured fields (or an attribute already decided) for a value."""

    value: Value
    weight: float = Field(gt=0, le=10)
    when: dict[str, list[Value]] = Field(min_length=1)
    why: str


class Attribute(Strict):
    default: Value
    default_confidence: float = Field(ge=0, le=1)
    min_score: float = Field(default=1.0, ge=0)
    cues: list[Cue] = Field(default_factory=list)
    priors: list[Prior] = Field(default_factory=list)


class SourceMaps(Strict):
    equipment: dict[str, list[Equipment] | None] = Field(
        description="source equipment → our ids; null when we have no id for it (lowers confidence)"
    )
    muscles: dict[str, list[Muscle]]


class WgerMaps(SourceMaps):
    english_language_ids: list[int] = Field(min_length=1)
    categories: list[str] = Field(min_length=1)


class EquipmentCue(Strict):
    equipment: Equipment | None = Field(description="null: needed but we have no id for it")
    label: str
    phrases: list[str] = Field(min_length=1)


class Maps(Strict):
    free_exercise_db: SourceMaps
    wger: WgerMaps
    equipment_from_text: list[EquipmentCue]
    difficulty: dict[str, int]


class PlannedForm(Strict):
    """What an imported exercise needs to be planned that no source gives: our own cues around
    the source's steps, a dose and a muscle per pattern, and the most restrictive value of each
    safety attribute (used until a coach confirms it)."""

    setup: list[CueText] = Field(min_length=1)
    movement_when_no_steps: list[CueText] = Field(min_length=1)
    breath: list[CueText] = Field(min_length=1)
    core_and_pelvic_floor: list[CueText] = Field(min_length=1)
    summary: CueText = Field(description="{name} and {source} are filled in")
    dose: dict[Pattern, Dose]
    muscles: dict[Pattern, list[Muscle]]
    most_restrictive: dict[str, Value]

    @model_validator(mode="after")
    def _complete(self) -> PlannedForm:
        for name, table in (("dose", self.dose), ("muscles", self.muscles)):
            if missing := set(Pattern) - set(table):
                raise ValueError(f"{name} must cover every pattern; missing {sorted(missing)}")
        for name, value in self.most_restrictive.items():
            if name not in SAFETY_ATTRIBUTES or name == "position":
                raise ValueError(f"most_restrictive.{name}: not a safety attribute with an order")
            _check_value(f"most_restrictive.{name}", value, allowed_values(name))
        return self


class ImportVocabulary(Strict):
    version: int = Field(ge=1)
    review_threshold: float = Field(gt=0, lt=1)
    scoring: Scoring
    negation: Negation
    attributes: dict[str, Attribute]
    maps: Maps
    planned_form: PlannedForm

    @model_validator(mode="after")
    def _consistent(self) -> ImportVocabulary:
        known = set(CATEGORICAL) | set(BOOLEAN)
        if set(self.attributes) != known:
            missing, extra = known - set(self.attributes), set(self.attributes) - known
            raise ValueError(f"attributes: missing {sorted(missing)}, unknown {sorted(extra)}")
        decided: list[str] = list(SOURCE_FACTS)
        for name, attribute in self.attributes.items():
            allowed = allowed_values(name)
            _check_value(f"attributes.{name}.default", attribute.default, allowed)
            for i, cue in enumerate(attribute.cues):
                if cue.value is not None:
                    _check_value(f"attributes.{name}.cues[{i}].value", cue.value, allowed)
                if cue.positions is not None and "position" not in decided:
                    raise ValueError(f"attributes.{name}.cues[{i}]: positions before position is decided")
            for i, prior in enumerate(attribute.priors):
                _check_value(f"attributes.{name}.priors[{i}].value", prior.value, allowed)
                if unknown := set(prior.when) - set(decided):
                    raise ValueError(
                        f"attributes.{name}.priors[{i}].when: {sorted(unknown)} is not a source field "
                        f"or an attribute decided earlier (allowed: {', '.join(decided)})"
                    )
            decided.append(name)
        return self


def allowed_values(attribute: str) -> list[Value]:
    if attribute in CATEGORICAL:
        return [member.value for member in CATEGORICAL[attribute]]
    return [True, False]


def _check_value(where: str, value: Value, allowed: list[Value]) -> None:
    if value not in allowed or (isinstance(value, bool) != isinstance(allowed[0], bool)):
        raise ValueError(f"{where}: {value!r} is not one of {allowed}")


def vocabulary_path() -> Path:
    return Path(str(files("bumpwise") / "knowledge" / "import_vocabulary.yaml"))


@cache
def default_vocabulary() -> ImportVocabulary:
    return load_vocabulary(vocabulary_path())


def load_vocabulary(path: Path) -> ImportVocabulary:
    data: Any = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path.name, "", "must be a mapping")
    return validate(ImportVocabulary, data, path.name)
