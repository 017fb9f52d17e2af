"""free-exercise-db: a JSON list of exercises as in its ``dist/exercises.json`` (see its schema.json).

Strict: every field of the schema must be present with its type and closed vocabulary, and a
field the schema does not know is an error (the schema is small and fixed, so an unknown field
means a different file).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError
from bumpwise.importing.errors import entry_error
from bumpwise.importing.records import SourceExercise

SOURCE = "free-exercise-db"
LICENCE = "Unlicense (public domain)"
LICENCE_URL = "https://unlicense.org"
ATTRIBUTION = "free-exercise-db by yuhonas and contributors (public domain)"

Muscle = Literal[
    "abdominals", "abductors", "adductors", "biceps", "calves", "chest", "forearms", "glutes",
    "hamstrings", "lats", "lower back", "middle back", "neck", "quadriceps", "shoulders", "traps",
    "triceps",
]  # fmt: skip
Step = Annotated[str, Field(max_length=5000)]


class FreeExerciseDbEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[0-9a-zA-Z_-]+$", min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    force: Literal["static", "pull", "push"] | None = None
    level: Literal["beginner", "intermediate", "expert"]
    mechanic: Literal["isolation", "compound"] | None
    equipment: (
        Literal[
            "medicine ball",
            "dumbbell",
            "body only",
            "bands",
            "kettlebells",
            "foam roll",
            "cable",
            "machine",
            "barbell",
            "exercise ball",
            "e-z curl bar",
            "other",
        ]
        | None
    )
    primaryMuscles: list[Muscle] = Field(max_length=17)
    secondaryMuscles: list[Muscle] = Field(max_length=17)
    instructions: list[Step] = Field(max_length=100)
    category: Literal[
        "powerlifting", "strength", "stretching", "cardio", "olympic weightlifting", "strongman",
        "plyometrics",
    ]  # fmt: skip
    images: list[str] = Field(max_length=100)


def parse(data: Any) -> list[SourceExercise]:
    """Every entry of a free-exercise-db file, or an ImportFormatError for the first bad one."""
    if not isinstance(data, list):
        raise ImportFormatError(
            "FILE",
            N_("a free-exercise-db file is a JSON list of exercises, not a %(kind)s"),
            values={"kind": _json_kind(data)},
            translate=("kind",),
        )
    if not data:
        raise ImportFormatError("FILE", N_("holds no exercises"))
    entries = [_validate(item, index) for index, item in enumerate(data)]
    _check_unique_ids(entries)
    return [_record(entry) for entry in entries]


def _validate(item: Any, index: int) -> FreeExerciseDbEntry:
    if not isinstance(item, dict):
        raise ImportFormatError(
            f"[{index}]",
            N_("must be an exercise object, not a %(kind)s"),
            values={"kind": _json_kind(item)},
            translate=("kind",),
        )
    try:
        return FreeExerciseDbEntry.model_validate(item)
    except ValidationError as exc:
        label = item.get("id")
        where = f"[{index}] (id {label!r})" if isinstance(label, str) else f"[{index}]"
        raise entry_error(exc, where) from exc


def _check_unique_ids(entries: list[FreeExerciseDbEntry]) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise ImportFormatError(
                f"[{index}].id", N_("%(id)s appears more than once"), values={"id": repr(entry.id)}
            )
        seen.add(entry.id)


def _record(entry: FreeExerciseDbEntry) -> SourceExercise:
    return SourceExercise(
        source=SOURCE,
        source_id=entry.id,
        name=entry.name.strip(),
        steps=tuple(step.strip() for step in entry.instructions if step.strip()),
        category=entry.category,
        equipment=(entry.equipment,) if entry.equipment else (),
        primary_muscles=tuple(entry.primaryMuscles),
        secondary_muscles=tuple(entry.secondaryMuscles),
        licence=LICENCE,
        licence_url=LICENCE_URL,
        attribution=ATTRIBUTION,
        mechanic=entry.mechanic,
        force=entry.force,
        level=entry.level,
    )


def _json_kind(value: Any) -> str:
    """The JSON type of ``value`` in words (a catalog id: translated with the message)."""
    names = {dict: N_("object"), list: N_("list"), str: N_("string"), bool: N_("boolean"), type(None): "null"}
    return names.get(type(value), N_("number"))
