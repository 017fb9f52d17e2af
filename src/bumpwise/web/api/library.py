"""The coach's library: imported exercises, their safety attributes with the importer's
evidence, and the coach's per-attribute confirmations (issue 17)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from bumpwise.services import coach_library
from bumpwise.services.coach_library import AttributeValues, LibraryEntry, WrittenExercise
from bumpwise.web.api.contract import raises
from bumpwise.web.api.paging import Page, Pages
from bumpwise.web.deps import ApiUser, Ctx, Now
from bumpwise.web.params import RowId

router = APIRouter(prefix="/coach/library", tags=["coach"])
Reviewed = Annotated[
    bool | None,
    Query(description="true: only exercises in plans (an attribute confirmed); false: only those not yet"),
]


@router.get("")
def list_library(user: ApiUser, ctx: Ctx, paging: Pages, reviewed: Reviewed = None) -> Page[LibraryEntry]:
    """The coach's imported exercises by name, each with its licence, author and attributes."""
    limit, offset = paging.window()
    found = coach_library.library(ctx.uow(), user, reviewed=reviewed, limit=limit, offset=offset)
    return paging.of_fetched(found)


@router.post("", status_code=status.HTTP_201_CREATED, responses=raises(409))
def write_library_entry(body: WrittenExercise, user: ApiUser, ctx: Ctx, now: Now) -> LibraryEntry:
    """An exercise the coach writes: a name and steps. It waits for the coach's review like an
    import (the same first guesses and evidence); a name the coach already has is a 409."""
    return coach_library.write_exercise(ctx.uow(), user, body, now)


@router.get("/{entry_id}")
def library_entry(entry_id: RowId, user: ApiUser, ctx: Ctx) -> LibraryEntry:
    return coach_library.library_entry(ctx.uow(), user, entry_id)


@router.post("/{entry_id}/confirm")
def confirm_library_entry(
    entry_id: RowId, body: AttributeValues, user: ApiUser, ctx: Ctx, now: Now
) -> LibraryEntry:
    """Confirm or correct any of the attributes; from now on the coach's clients' plans may use
    the exercise, every unconfirmed attribute counting as its most restrictive value."""
    return coach_library.confirm_attributes(ctx.uow(), user, entry_id, body, now)
