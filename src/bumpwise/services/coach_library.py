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
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core.core_schema import ValidationInfo

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import AttributeChanges, Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Equipment, Muscle, Pattern
from bumpwise.importing import evidence
from bumpwise.importing.exercise import ImportedExercise as Imported
from bumpwise.importing.library import (
    CORRECTED,
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
__all__ = ["CORRECTED", "REVIEWED", "SOURCES", "AttributeValues", "LibraryEntry", "WrittenExercise"]


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


class ListReview(BaseModel):
    """Equipment or muscles of an entry: what the importer found and why, and what the coach
    corrected it to (``confirmed`` is null until then; the importer's list is used meanwhile)."""

    attribute: str
    inferred: list[str]
    confidence: float | None
    evidence: list[str]
    confirmed: list[str] | None
    confirmed_at: datetime | None
    allowed: list[str]


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
    corrections: list[ListReview] = Field(description="equipment and muscles, which the coach may correct")
    in_plans: bool = Field(description="true once the coach confirmed an attribute")
    unconfirmed: list[str] = Field(description="treated as their most restrictive value until confirmed")
    imported_at: datetime


class AttributeValues(AttributeChanges):
    """The attributes a coach confirms or corrects (any number, at least one): the safety
    attributes a variant may change, and the pattern, equipment and muscles."""

    # A request body like any StrictInput: built now for FastAPI, not frozen like knowledge data.
    model_config = ConfigDict(frozen=False, defer_build=False)

    pattern: Pattern | None = None
    equipment: list[Equipment] | None = Field(default=None, max_length=len(Equipment))
    primary_muscles: list[Muscle] | None = Field(default=None, min_length=1, max_length=len(Muscle))
    secondary_muscles: list[Muscle] | None = Field(default=None, max_length=len(Muscle))

    @field_validator("equipment", "primary_muscles", "secondary_muscles")
    @classmethod
    def _once_each(cls, values: list[StrEnum] | None) -> list[StrEnum] | None:
        return list(dict.fromkeys(values)) if values is not None else None

    @field_validator("secondary_muscles")
    @classmethod
    def _not_primary(cls, values: list[Muscle] | None, info: ValidationInfo) -> list[Muscle] | None:
        both = set(values or ()) & set(info.data.get("primary_muscles") or ())
        if both:
            raise ValueError(f"names primary muscles too: {', '.join(sorted(both))}")
        return values

    @model_validator(mode="after")
    def _some(self) -> AttributeValues:
        if not self.given():
            raise ValueError("confirm at least one attribute")
        return self

    def given(self) -> dict[str, AttributeValue | list[str]]:
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
    found: dict[str, AttributeValue] = {
        name: entry["value"] for name, entry in (row.confirmations or {}).items() if name in REVIEWED
    }
    if not found and row.confirmed_at is not None:
        found = {
            name: row.data[name] for name in row.data.get("confirmed_attributes", []) if name in REVIEWED
        }
    return found


def corrected_lists(row: ImportedExercise) -> dict[str, list[str]]:
    """The equipment and muscles the coach corrected."""
    return {
        name: list(entry["value"])
        for name, entry in (row.confirmations or {}).items()
        if name in CORRECTED and isinstance(entry.get("value"), list)
    }


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
            evidence=evidence.worded_all(data.evidence.get(name, [])),
            confirmed=confirmed.get(name),
            confirmed_at=confirmations.get(name, {}).get("at") if name in confirmations else None,
            allowed=reviewed_values(name),
        )
        for name in REVIEWED
    ]
    corrected = corrected_lists(row)
    lists = [
        ListReview(
            attribute=name,
            inferred=[str(v) for v in getattr(data, name)],
            confidence=data.confidence.get(name),
            evidence=evidence.worded_all(data.evidence.get(name, [])),
            confirmed=corrected.get(name),
            confirmed_at=confirmations.get(name, {}).get("at") if name in corrected else None,
            allowed=[v.value for v in (Equipment if name == "equipment" else Muscle)],
        )
        for name in CORRECTED
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
        corrections=lists,
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
        planned_exercise(
            data.as_json(), {**confirmed_values(row), **corrected_lists(row)}, row.imported_by or 0
        )
        for row in rows
        if (data := importer_row(row)) is not None
    )


def library_ids_of_member(uow: UnitOfWork, member_id: int) -> set[str]:
    """The plan ids of the reviewed exercises of the member's coaches (what her plan may hold and
    her logs may name besides the built-in library)."""
    return {
        library_id(row.imported_by or 0, data.id)
        for row in uow.imports.library_of_member(member_id)
        if (data := importer_row(row)) is not None
    }


MAX_LIBRARY = 5000
"""The most entries read at once for a swap menu or the operator's list (the wger dump is 872)."""


def coach_knowledge(uow: UnitOfWork, kb: KnowledgeBase, coach_id: int) -> KnowledgeBase:
    """``kb`` with the coach's reviewed exercises added, for the coach's swap menu and swaps: the
    same rules judge them for the client (an unconfirmed attribute at its strictest)."""
    rows = uow.imports.page_of(coach_id, reviewed=True, limit=MAX_LIBRARY, offset=0)
    return kb.with_exercises(planned_library(rows))


def library_for(uow: UnitOfWork, email: str, *, reviewed: bool | None = None) -> list[LibraryEntry]:
    """For the operator at the server's console (``bumpwise exercises list --coach EMAIL``): that
    coach's library with each entry's review state."""
    with uow:
        user = uow.accounts.user_by_email(clean_email(email))
        if user is None or user.role != Role.COACH.value:
            raise InputError("--coach", "no coach account has this e-mail")
        rows = uow.imports.page_of(user.id, reviewed=reviewed, limit=MAX_LIBRARY, offset=0)
        return [entry_view(row, data) for row in rows if (data := importer_row(row)) is not None]
