"""Imported exercises (the importer's JSON rows, design.md §6) awaiting a coach's confirmation.

The importer guesses the safety attributes from another library's text. Until a coach confirms
them, an imported exercise is marked ``review_needed``; confirming stores the coach's values.
Every row belongs to the account that imported it: a coach sees, reviews and confirms only
their own (another coach's row is a 404, as if it did not exist).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from bumpwise.domain.catalog import N_
from bumpwise.domain.vocab import Impact, Position
from bumpwise.importing import evidence
from bumpwise.persistence.models import ImportedExercise
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput, validated
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import view_of

MAX_ROWS = 2000
CONFIRMED_ATTRIBUTES = ("position", "asymmetric_lower_body", "wide_stance", "impact", "spinal_flexion")


class ImportRow(BaseModel):
    """One importer row: EXERCISE plus ``source_id``, ``confidence`` and ``review_needed``."""

    model_config = ConfigDict(extra="allow")
    source: str = Field(default="import", min_length=1, max_length=40)
    source_id: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=120)
    review_needed: StrictBool = True


class ImportBatch(StrictInput):
    rows: list[ImportRow] = Field(max_length=MAX_ROWS)


class ConfirmInput(StrictInput):
    position: Position
    asymmetric_lower_body: bool
    wide_stance: bool
    impact: Impact
    spinal_flexion: bool


class ImportView(BaseModel):
    id: int
    source: str
    source_id: str
    name: str
    data: dict[str, Any]
    review_needed: bool
    confirmed_at: datetime | None


def import_view(row: ImportedExercise) -> ImportView:
    return view_of(ImportView, row, data=_worded(row.data))


@unique_race_retried
def store_imports(uow: UnitOfWork, principal: Principal, batch: ImportBatch, now: datetime) -> int:
    """Store (or refresh) the caller's rows; a row already confirmed keeps the confirmed values."""
    require_role(principal, Role.COACH, Role.ADMIN)
    stored = 0
    with uow:
        for item in batch.rows:
            data = item.model_dump(mode="json")
            row = uow.imports.by_source(principal.user_id, item.source, item.source_id)
            if row is not None and row.confirmed_at is not None:
                continue
            if row is None:
                row = ImportedExercise(
                    imported_by=principal.user_id,
                    source=item.source,
                    source_id=item.source_id,
                    confirmed_by=None,
                    confirmed_at=None,
                )
            row.name, row.data, row.review_needed, row.imported_at = item.name, data, item.review_needed, now
            uow.imports.add(row)
            stored += 1
        uow.commit()
    return stored


def list_imports(
    uow: UnitOfWork, principal: Principal, *, pending_only: bool = True, limit: int = 200, offset: int = 0
) -> list[ImportView]:
    """The caller's own imports; an admin also sees rows stored before imports had owners."""
    require_role(principal, Role.COACH, Role.ADMIN)
    with uow:
        rows = uow.imports.listing(
            principal.user_id,
            pending_only=pending_only,
            with_ownerless=principal.role is Role.ADMIN,
            limit=min(limit, 2 * MAX_ROWS),
            offset=offset,
        )
        return [import_view(r) for r in rows]


def confirm_import(
    uow: UnitOfWork, principal: Principal, import_id: int, values: ConfirmInput, now: datetime
) -> ImportView:
    require_role(principal, Role.COACH)
    with uow:
        row = uow.imports.get(import_id)
        if row is None or row.imported_by != principal.user_id:
            raise NotFound(N_("no such imported exercise"), "import_id")
        confirmed = values.model_dump(mode="json")
        row.data = {
            **row.data,
            **confirmed,
            "review_needed": False,
            "confirmed_attributes": sorted(confirmed),
        }
        row.review_needed = False
        uow.imports.record_confirmations(row, confirmed, by=principal.user_id, at=now)
        uow.commit()
        return import_view(row)


def batch_from(data: Any) -> ImportBatch:
    """Accept the importer's output as it is: a JSON list of rows (or ``{"rows": [...]}``)."""
    return validated(ImportBatch, {"rows": data} if isinstance(data, list) else data)


def _worded(data: dict[str, Any]) -> dict[str, Any]:
    """The stored row with its review reasons in the language in force (the stored English kept)."""
    reasons = data.get("review_reasons")
    if not isinstance(reasons, list):
        return data
    return {**data, "review_reasons": evidence.worded_all([str(r) for r in reasons])}
