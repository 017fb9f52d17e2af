"""The exercise library: public, with this member's verdicts when a member token is sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.security import HTTPAuthorizationCredentials

from bumpwise.services import catalog
from bumpwise.services.catalog import ExercisePage, LibraryPage, LibraryQuery
from bumpwise.services.errors import Unauthorized
from bumpwise.services.principal import Principal
from bumpwise.web.deps import Ctx, Now, Today, api_principal, bearer

router = APIRouter(prefix="/exercises", tags=["exercises"])


def optional_principal(
    ctx: Ctx, now: Now, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal | None:
    return None if credentials is None else api_principal(ctx, now, credentials)


MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


@router.get("")
def list_exercises(
    ctx: Ctx, today: Today, user: MaybeUser, query: Annotated[LibraryQuery, Query()]
) -> LibraryPage:
    """Search and filter; ``safe_for_me`` (needs a member token) keeps what this member may do now."""
    if query.safe_for_me and user is None:
        raise Unauthorized("safe_for_me needs a member's token", "Authorization")
    return catalog.browse(ctx.uow(), ctx.kb, user, query, today)


@router.get("/{exercise_id}")
def read_exercise(exercise_id: str, ctx: Ctx, today: Today, user: MaybeUser) -> ExercisePage:
    return catalog.exercise_page(ctx.uow(), ctx.kb, user, exercise_id, today)
