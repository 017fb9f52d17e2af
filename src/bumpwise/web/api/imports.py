"""Imported exercises: store the importer's rows, list them, confirm their safety attributes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel, Field

from bumpwise.services import imports
from bumpwise.services.imports import ConfirmInput, ImportBatch, ImportRow, ImportView
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.idempotency import ApiOnce
from bumpwise.web.params import RowId

router = APIRouter(prefix="/imports", tags=["imports"])
Rows = Annotated[list[ImportRow], Field(max_length=imports.MAX_ROWS)]


class Stored(BaseModel):
    stored: int


@router.get("")
def list_imports(user: ApiUser, ctx: Ctx, paging: Pages, pending_only: bool = True) -> Page[ImportView]:
    limit, offset = paging.window()
    rows = imports.list_imports(ctx.uow(), user, pending_only=pending_only, limit=limit, offset=offset)
    return paging.of_fetched(rows)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Stored)
def store(
    user: ApiUser, ctx: Ctx, now: Now, once: ApiOnce, rows: Annotated[Rows | ImportBatch, Body()]
) -> Response:
    """The output of ``bumpwise exercises import --format json``: a list of rows (or ``{"rows": [...]}``)."""
    batch = rows if isinstance(rows, ImportBatch) else ImportBatch(rows=rows)
    return once.json(lambda uow: Stored(stored=imports.store_imports(uow, user, batch, now)))


@router.post("/{import_id}/confirm")
def confirm(import_id: RowId, body: ConfirmInput, user: ApiUser, ctx: Ctx, now: Now) -> ImportView:
    return imports.confirm_import(ctx.uow(), user, import_id, body, now)
