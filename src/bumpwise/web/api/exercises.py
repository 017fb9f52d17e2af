"""The exercise library: public, with this member's verdicts when a member token is sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from bumpwise.domain.catalog import N_
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.services import catalog, figures
from bumpwise.services.answer_cache import AnswerCache, answer_cache
from bumpwise.services.catalog import ExercisePage, JudgedProfile, LibraryQuery
from bumpwise.services.errors import Unauthorized
from bumpwise.services.figures import FigureQuery
from bumpwise.services.library import ExerciseRow
from bumpwise.services.principal import Principal
from bumpwise.web.api.paging import Page, PageQuery
from bumpwise.web.conditional import (
    NOT_MODIFIED,
    IfNoneMatch,
    Rendered,
    conditional,
    conditional_json,
    conditional_rendered,
    etag_matches,
)
from bumpwise.web.deps import (
    BearerCredentials,
    Ctx,
    Now,
    Today,
    api_principal,
    bearer,
    read_caller,
)
from bumpwise.web.hot import KeptJson

router = APIRouter(prefix="/exercises", tags=["exercises"])


async def optional_principal(
    ctx: Ctx, now: Now, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal | None:
    return None if credentials is None else await api_principal(ctx, now, credentials)


MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


class ExerciseQuery(LibraryQuery, PageQuery):
    def filters(self) -> dict[str, object]:
        return self.model_dump(exclude=set(PageQuery.model_fields))


class ExerciseList(Page[ExerciseRow]):
    total: int = Field(description="how many exercises match, over all pages")
    safe_for_me: bool = Field(description="whether the list was narrowed to what this member may do now")
    stage: str | None = Field(description="the member's stage the list was judged for (with `safe_for_me`)")


PUBLIC_LIST = "public, no-cache"
LIST_VARY = "Accept-Language, Authorization"


@router.get("", response_model=ExerciseList, responses=NOT_MODIFIED)
async def list_exercises(
    request: Request,
    ctx: Ctx,
    today: Today,
    now: Now,
    credentials: BearerCredentials,
    query: Annotated[ExerciseQuery, Query()],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Search (``q``: name, summary, id) and filter by pattern, muscle, equipment and position;
    ``safe_for_me`` (needs a member's token) keeps only what this member may do in their stage
    and week now, as it would be prescribed. With an ETag (304 when unchanged)."""
    if query.safe_for_me and credentials is None:
        raise Unauthorized(N_("safe_for_me needs a member's token"), "Authorization")
    if credentials is None:
        listed = _listing(ctx.kb, None, request, query)
        return conditional_rendered(listed, if_none_match, cache_control=PUBLIC_LIST, vary=LIST_VARY)
    if not query.safe_for_me:
        await api_principal(ctx, now, credentials)  # a token sent is checked; it sets the language
        return conditional_rendered(_listing(ctx.kb, None, request, query), if_none_match, vary=LIST_VARY)
    page, asked = "api/safe-for-me", request.url.query
    kept = await read_caller(ctx, lambda: KeptJson.read(ctx, credentials, now, page, today, asked))
    found = kept.get()
    if found is not None:
        return conditional(found.parts[0], if_none_match, etag=found.etag, vary=LIST_VARY, kept=found)

    def blocking() -> Response:
        """The member's profile (and the token check, when the one read could not settle it): one
        thread-pool hop. Her list is kept under her view version, which every write she could see
        bumps."""
        user = kept.principal(ctx, credentials, now)
        kb = ctx.kb  # in the account's language, now that the token said whose it is
        mine = catalog.member_profile_now(ctx.uow(), kb, user, today)
        listed = _listing(kb, mine, request, query)
        kept.keep(listed.body, listed.etag, user)
        return conditional_rendered(listed, if_none_match, vary=LIST_VARY)

    return await run_in_threadpool(blocking)


def _listing(
    kb: KnowledgeBase, mine: JudgedProfile | None, request: Request, query: ExerciseQuery
) -> Rendered:
    """The serialised page, from the cache of this knowledge base (its language and knowledge
    version) when the same query was answered for the same profile before. The key holds the
    whole profile the verdicts are computed from (stage week, conditions, symptoms and warning
    signs as read for this request), so any change to it is a new key at once; and the raw query
    string, from which both the filters and the ``next`` link are made."""
    profile = None if mine is None else (mine.key, mine.stage)
    key = (profile, request.url.path, request.url.query)
    cache: AnswerCache[Rendered] = answer_cache(kb, "exercise-list" if mine is None else "safe-for-me")
    found = cache.get(key)
    if found is not None:
        return found
    filters = LibraryQuery.model_validate(query.filters())
    page_of = catalog.library_page(kb, None if mine is None else mine.pair, filters)
    page = query.paging(request).of_all(page_of.exercises)
    listed = ExerciseList(
        items=page.items,
        limit=page.limit,
        next=page.next,
        total=page_of.total,
        safe_for_me=page_of.safe_for_me,
        stage=page_of.stage,
    )
    return cache.put(key, Rendered.of(listed))


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
