"""A coach's library (issue 17): exercises the coach imported, reviewed attribute by attribute,
and planned for that coach's clients through the same rules as the built-in library.

An imported exercise joins the library (and the plans of the coach's clients) once the coach
has confirmed at least one of its attributes; every attribute not confirmed yet counts as its
most restrictive value, and every rule on it applies (``importing.library``). A coach sees and
changes only their own library: another coach's entry is a 404, as if it did not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationError, model_validator

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.vocab import AbdominalPressure, Impact, Load, Pattern, Position
from bumpwise.importing.exercise import ImportedExercise as Imported
from bumpwise.importing.library import (
    OWN_SOURCE,
    REVIEWED,
    library_id,
    planned_exercise,
    reviewed_values,
    written_exercise,
)
from bumpwise.importing.service import SOURCES, import_file, import_files
from bumpwise.persistence.models import ImportedExercise
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import clean_email, principal_of
from bumpwise.services.errors import Conflict, NotFound
from bumpwise.services.imports import ImportBatch, ImportRow, store_imports
from bumpwise.services.inputs import StrictInput
from bumpwise.services.principal import Principal, Role, require_role

AttributeValue = str | bool
__all__ = ["REVIEWED", "SOURCES", "AttributeValues", "LibraryEntry", "WrittenExercise"]


class AttributeReview(BaseModel):
    """One safety attribute of an entry: what the importer inferred and why, and what the coach
    confirmed (``confirmed`` is null until then)."""

    attribute: str
    inferred: AttributeValue
    confidence: float | None
    evidence: list[str]
    confirmed: AttributeValue | None
    confirmed_at: datetime | None
    allowed: list[AttributeValue]


class LibraryEntry(BaseModel):
    id: int
    exercise_id: str = Field(description="the id the entry has in plans")
    name: str
    source: str
    source_id: str
    licence: str
    licence_url: str | None
    author: str
    steps: list[str]
    attributes: list[AttributeReview]
    in_plans: bool = Field(description="true once the coach confirmed an attribute")
    unconfirmed: list[str] = Field(description="treated as their most restrictive value until confirmed")
    imported_at: datetime


class AttributeValues(StrictInput):
    """The attributes a coach confirms or corrects (any number, at least one)."""

    pattern: Pattern | None = None
    position: Position | None = None
    asymmetric_lower_body: bool | None = None
    wide_stance: bool | None = None
    impact: Impact | None = None
    spinal_flexion: bool | None = None
    load: Load | None = None
    abdominal_pressure: AbdominalPressure | None = None
    balance_demanding: bool | None = None
    high_effort: bool | None = None
    running: bool | None = None
    presses_on_abdomen: bool | None = None

    @model_validator(mode="after")
    def _some(self) -> AttributeValues:
        if not self.given():
            raise ValueError("confirm at least one attribute")
        return self

    def given(self) -> dict[str, AttributeValue]:
        return {k: v for k, v in self.model_dump(mode="json").items() if v is not None}


Step = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=600)]


class WrittenExercise(StrictInput):
    """An exercise the coach writes by hand: a name and the steps, in the coach's words."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=80)]
    steps: list[Step] = Field(min_length=1, max_length=20)


class ImportSummary(BaseModel):
    read: int
    stored: int
    review_needed: int


def confirmed_values(row: ImportedExercise) -> dict[str, AttributeValue]:
    """The values the coach confirmed; a row confirmed by the old five-attribute form counts for those."""
    found = {name: entry["value"] for name, entry in (row.confirmations or {}).items() if name in REVIEWED}
    if not found and row.confirmed_at is not None:
        found = {
            name: row.data[name] for name in row.data.get("confirmed_attributes", []) if name in REVIEWED
        }
    return found


def importer_row(row: ImportedExercise) -> Imported | None:
    """The stored importer output; None for a row posted by hand without the importer's details
    (evidence, licence, steps): such a row is neither listed in the library nor planned."""
    try:
        return Imported.model_validate(row.data)
    except ValidationError:
        return None


def entry_view(row: ImportedExercise, data: Imported) -> LibraryEntry:
    confirmed = confirmed_values(row)
    confirmations = row.confirmations or {}
    reviews = [
        AttributeReview(
            attribute=name,
            inferred=getattr(data, name) if name != "pattern" else data.pattern.value,
            confidence=data.confidence.get(name),
            evidence=data.evidence.get(name, []),
            confirmed=confirmed.get(name),
            confirmed_at=confirmations.get(name, {}).get("at") if name in confirmations else None,
            allowed=reviewed_values(name),
        )
        for name in REVIEWED
    ]
    return LibraryEntry(
        id=row.id,
        exercise_id=library_id(row.imported_by or 0, data.id),
        name=row.name,
        source=row.source,
        source_id=row.source_id,
        licence=data.licence,
        licence_url=data.licence_url,
        author=data.attribution,
        steps=data.steps,
        attributes=reviews,
        in_plans=row.confirmed_at is not None,
        unconfirmed=[name for name in REVIEWED if name not in confirmed],
        imported_at=row.imported_at,
    )


def import_uploaded(
    uow: UnitOfWork, principal: Principal, files: list[tuple[str, bytes]], source: str, now: datetime
) -> ImportSummary:
    """Files a coach uploaded (one export, or the files of the wger fixtures) into their library."""
    require_role(principal, Role.COACH)
    return _store(uow, principal, import_files(files, source), now)


def import_path_for(uow: UnitOfWork, email: str, path: Path, source: str, now: datetime) -> ImportSummary:
    """For the operator at the server's console (``bumpwise exercises import --coach EMAIL``): a
    file or a folder of files into that coach's library, to review on their library page."""
    exercises = import_file(path, source)
    with uow:
        user = uow.accounts.user_by_email(clean_email(email))
        if user is None or user.role != Role.COACH.value:
            raise InputError("--coach", "no coach account has this e-mail")
        principal = principal_of(user)
    return _store(uow, principal, exercises, now)


def _store(uow: UnitOfWork, principal: Principal, exercises: list[Imported], now: datetime) -> ImportSummary:
    rows = [ImportRow.model_validate(e.as_json()) for e in exercises]
    stored = 0
    for start in range(0, len(rows), 500):
        stored += store_imports(uow, principal, ImportBatch(rows=rows[start : start + 500]), now)
    return ImportSummary(read=len(rows), stored=stored, review_needed=sum(e.review_needed for e in exercises))


def write_exercise(
    uow: UnitOfWork, principal: Principal, body: WrittenExercise, now: datetime
) -> LibraryEntry:
    """The coach's own exercise joins their library like an import: the importer's classifier
    reads the coach's words for its first guesses, and the coach reviews every attribute."""
    require_role(principal, Role.COACH)
    source_id = re.sub(r"[^a-z0-9]+", "-", body.name.lower()).strip("-") or "exercise"
    written = written_exercise(body.name, list(body.steps), principal.display_name, source_id)
    with uow:
        if uow.imports.by_source(principal.user_id, OWN_SOURCE, source_id) is not None:
            raise Conflict(N_("you already have an exercise of this name in your library"), "name")
    store_imports(uow, principal, ImportBatch(rows=[ImportRow.model_validate(written.as_json())]), now)
    with uow:
        row = uow.imports.by_source(principal.user_id, OWN_SOURCE, source_id)
        assert row is not None
        return entry_view(row, written)


def library(
    uow: UnitOfWork, principal: Principal, *, reviewed: bool | None = None, limit: int = 50, offset: int = 0
) -> list[LibraryEntry]:
    require_role(principal, Role.COACH)
    with uow:
        rows = uow.imports.page_of(principal.user_id, reviewed=reviewed, limit=limit, offset=offset)
        return [entry_view(row, data) for row in rows if (data := importer_row(row)) is not None]


def library_entry(uow: UnitOfWork, principal: Principal, entry_id: int) -> LibraryEntry:
    require_role(principal, Role.COACH)
    with uow:
        row, data = _own(uow, principal, entry_id)
        return entry_view(row, data)


def confirm_attributes(
    uow: UnitOfWork, principal: Principal, entry_id: int, values: AttributeValues, now: datetime
) -> LibraryEntry:
    """Confirm or correct attributes of one entry; the entry is in the coach's clients' plans from now."""
    require_role(principal, Role.COACH)
    with uow:
        row, data = _own(uow, principal, entry_id)
        uow.imports.record_confirmations(row, dict(values.given()), by=principal.user_id, at=now)
        remaining = [name for name in REVIEWED if name not in confirmed_values(row)]
        row.review_needed = bool(remaining)
        uow.commit()
        return entry_view(row, data)


def _own(uow: UnitOfWork, principal: Principal, entry_id: int) -> tuple[ImportedExercise, Imported]:
    row = uow.imports.get(entry_id)
    data = importer_row(row) if row is not None and row.imported_by == principal.user_id else None
    if row is None or data is None:
        raise NotFound(N_("no such exercise in your library"), "entry_id")
    return row, data


def planned_library(rows: Iterable[ImportedExercise]) -> tuple[Exercise, ...]:
    """The domain exercises of reviewed rows, for the planner (a row without the importer's
    details is left out: nothing says what it is)."""
    return tuple(
        planned_exercise(data.as_json(), confirmed_values(row), row.imported_by or 0)
        for row in rows
        if (data := importer_row(row)) is not None
    )
