"""The local library of imported exercises: one JSON file under the user's data directory.

``$BUMPWISE_DATA_DIR`` or ``$XDG_DATA_HOME/bumpwise`` or ``~/.local/share/bumpwise``. Entries
merge by (source, source_id): importing the same file again updates, never duplicates. Writes go
to a temporary file in the same directory and are renamed over the old one, so a crash leaves the
old library or the new one, never half of either. The web-app issue moves this into the database.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bumpwise.domain.catalog import _
from bumpwise.domain.errors import BumpwiseError
from bumpwise.domain.validation import first_problem
from bumpwise.importing.exercise import ImportedExercise

LIBRARY_FILE = "imported_exercises.json"


class Library(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["bumpwise-imported-exercises"] = "bumpwise-imported-exercises"
    version: Literal[1] = 1
    exercises: list[ImportedExercise]


@dataclass(frozen=True)
class SaveResult:
    path: Path
    added: int
    updated: int
    total: int


def data_dir() -> Path:
    configured = os.environ.get("BUMPWISE_DATA_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bumpwise"


def library_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / LIBRARY_FILE


def load_library(path: Path) -> list[ImportedExercise]:
    """The stored exercises; an empty list when there is no library yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BumpwiseError(
            _(
                "cannot read the imported-exercise library %(file)s: %(reason)s",
                file=path,
                reason=exc.strerror,
            )
        ) from exc
    try:
        return Library.model_validate(json.loads(text)).exercises
    except (json.JSONDecodeError, ValidationError) as exc:
        detail = _describe(exc)
        raise BumpwiseError(
            _(
                "the imported-exercise library %(file)s is damaged (%(problem)s); it was left as it is",
                file=path,
                problem=detail,
            )
        ) from exc


def save_imported(exercises: list[ImportedExercise], directory: Path | None = None) -> SaveResult:
    """Merge ``exercises`` into the library by (source, source_id) and write it atomically."""
    path = library_path(directory)
    stored = load_library(path)
    merged = {(e.source, e.source_id): e for e in stored}
    added = sum((e.source, e.source_id) not in merged for e in exercises)
    for exercise in exercises:
        merged[(exercise.source, exercise.source_id)] = exercise
    library = Library(exercises=sorted(merged.values(), key=lambda e: (e.source, e.source_id)))
    _write_atomically(path, library.model_dump_json(indent=1))
    return SaveResult(path=path, added=added, updated=len(exercises) - added, total=len(library.exercises))


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, after fsync and before rename
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise BumpwiseError(
            _(
                "cannot write the imported-exercise library in %(folder)s: %(reason)s",
                folder=path.parent,
                reason=exc.strerror,
            )
        ) from exc
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BumpwiseError(
            _(
                "cannot write the imported-exercise library %(file)s: %(reason)s",
                file=path,
                reason=exc.strerror,
            )
        ) from exc


def _describe(exc: json.JSONDecodeError | ValidationError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return _("not valid JSON: %(problem)s", problem=exc.msg)
    field, message, values, _allowed = first_problem(exc)
    text = _(message, **values)
    return f"{field}: {text}" if field else text
