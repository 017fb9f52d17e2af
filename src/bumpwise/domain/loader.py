"""Read knowledge files from disk into validated models. The only module of the domain that reads files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.validation import first_error

# libyaml is several times faster; fall back to the pure-Python loader where it is missing
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DataError(path.name, "", f"is not valid YAML: {exc}") from exc
    except OSError as exc:
        raise DataError(path.name, "", f"cannot be read: {exc.strerror}") from exc


def validate(model: type[ModelT], data: Any, file: str, prefix: str = "") -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        field, message, allowed = first_error(exc)
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
        path = f"{prefix}.{field}" if prefix and field else prefix or field
        raise DataError(file, path, message) from exc


def load_list(model: type[ModelT], path: Path, key: str) -> list[ModelT]:
    """A file holding ``{key: [item, ...]}``, each item validated as ``model``."""
    data = read_yaml(path)
    if not isinstance(data, dict) or set(data) != {key}:
        raise DataError(path.name, "", f"must be a mapping with the single key {key!r}")
    items = data[key]
    if not isinstance(items, list) or not items:
        raise DataError(path.name, key, "must be a non-empty list")
    return [validate(model, item, path.name, f"{key}[{i}]") for i, item in enumerate(items)]


def load_exercise_file(path: Path) -> Exercise:
    exercise = validate(Exercise, read_yaml(path), path.name)
    if exercise.id != path.stem:
        raise DataError(path.name, "id", f"{exercise.id!r} must match the file name {path.stem!r}")
    return exercise


def load_exercises(directory: Path) -> dict[str, Exercise]:
    exercises: dict[str, Exercise] = {}
    for path in sorted(directory.glob("*.yaml")):
        exercise = load_exercise_file(path)
        exercises[exercise.id] = exercise
    if not exercises:
        raise DataError(str(directory), "", "holds no exercise files")
    check_exercise_links(exercises)
    return exercises


def check_exercise_links(exercises: dict[str, Exercise]) -> None:
    """Every regression, progression and substitute names an exercise that exists."""
    for exercise in exercises.values():
        for field in ("regressions", "progressions", "substitutes"):
            for i, target in enumerate(getattr(exercise, field)):
                if target not in exercises:
                    raise DataError(
                        f"{exercise.id}.yaml",
                        f"{field}[{i}]",
                        f"names {target!r}, which is not an exercise in the library",
                    )
