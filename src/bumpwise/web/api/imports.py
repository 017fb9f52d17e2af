"""Imported exercises: store the importer's rows, list them, confirm their safety attributes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel

from bumpwise.services import imports
from bumpwise.services.imports import ConfirmInput, ImportView
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.idempotency import ApiOnce
from bumpwise.web.params import RowId

router = APIRouter(prefix="/imports", tags=["imports"])


class Stored(BaseModel):
    stored: int


@router.get("")
def list_imports(user: ApiUser, ctx: Ctx, pending_only: bool = True) -> list[ImportView]:
    return imports.list_imports(ctx.uow(), user, pending_only=pending_only)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Stored)
def store(user: ApiUser, ctx: Ctx, now: Now, once: ApiOnce, rows: Any = Body(...)) -> Response:  # noqa: B008
    """The output of ``bumpwise exercises import --format json``: a list of rows."""
    batch = imports.batch_from(rows)
    return once.json(lambda uow: Stored(stored=imports.store_imports(uow, user, batch, now)))


@router.post("/{import_id}/confirm")
def confirm(import_id: RowId, body: ConfirmInput, user: ApiUser, ctx: Ctx, now: Now) -> ImportView:
    return imports.confirm_import(ctx.uow(), user, import_id, body, now)
