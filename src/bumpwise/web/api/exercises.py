"""The exercise library: public, with this member's verdicts when a member token is sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import Field

from bumpwise.domain.catalog import N_
from bumpwise.services import catalog, figures
from bumpwise.services.catalog import ExercisePage, LibraryQuery
from bumpwise.services.errors import Unauthorized
from bumpwise.services.figures import FigureQuery
from bumpwise.services.library import ExerciseRow
from bumpwise.services.principal import Principal
from bumpwise.web.api.paging import Page, PageQuery
from bumpwise.web.conditional import NOT_MODIFIED, IfNoneMatch, conditional_json, etag_matches
from bumpwise.web.deps import Ctx, Now, Today, api_principal, bearer

router = APIRouter(prefix="/exercises", tags=["exercises"])


def optional_principal(
    ctx: Ctx, now: Now, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal | None:
    return None if credentials is None else api_principal(ctx, now, credentials)


MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


class ExerciseQuery(LibraryQuery, PageQuery):
    def filters(self) -> dict[str, object]:
        return self.model_dump(exclude=set(PageQuery.model_fields))


class ExerciseList(Page[ExerciseRow]):
    total: int = Field(description="how many exercises match, over all pages")
    safe_for_me: bool = Field(description="whether the list was narrowed to what this member may do now")
    stage: str | None = Field(description="the member's stage the list was judged for (with `safe_for_me`)")


@router.get("")
def list_exercises(
    request: Request, ctx: Ctx, today: Today, user: MaybeUser, query: Annotated[ExerciseQuery, Query()]
) -> ExerciseList:
    """Search (``q``: name, summary, id) and filter by pattern, muscle, equipment and position;
    ``safe_for_me`` (needs a member's token) keeps only what this member may do in their stage
    and week now, as it would be prescribed."""
    if query.safe_for_me and user is None:
        raise Unauthorized(N_("safe_for_me needs a member's token"), "Authorization")
    found = catalog.browse(ctx.uow(), ctx.kb, user, LibraryQuery.model_validate(query.filters()), today)
    page = query.paging(request).of_all(found.exercises)
    return ExerciseList(
        items=page.items,
        limit=page.limit,
        next=page.next,
        total=found.total,
        safe_for_me=found.safe_for_me,
        stage=found.stage,
    )


@router.get("/{exercise_id}", response_model=ExercisePage, responses=NOT_MODIFIED)
def read_exercise(
    exercise_id: str, ctx: Ctx, today: Today, user: MaybeUser, if_none_match: IfNoneMatch = None
) -> Response:
    """One exercise, with this member's verdict when a member token is sent; with an ETag."""
    page = catalog.exercise_page(ctx.uow(), ctx.kb, user, exercise_id, today)
    return conditional_json(page, if_none_match)


FIGURE_CACHE_CONTROL = "public, max-age=86400"


@router.get(
    "/{exercise_id}/figure.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, 304: {"description": "Not modified (ETag matched)"}},
)
def exercise_figure(
    exercise_id: str,
    ctx: Ctx,
    query: Annotated[FigureQuery, Query()],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The exercise (or a variant) drawn as SVG line art for a stage week; ``motion=reduce`` gives the
    positions side by side without animation. Public and cacheable, with an ETag."""
    image = figures.exercise_figure(ctx.kb, exercise_id, query)
    headers = {"ETag": image.etag, "Cache-Control": FIGURE_CACHE_CONTROL}
    if etag_matches(if_none_match, image.etag):
        return Response(status_code=304, headers=headers)
    return Response(image.svg, media_type="image/svg+xml", headers=headers)
