"""The exercise library: search, filters, "safe for me this week", and each exercise's page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import Muscle, Position
from bumpwise.services import catalog
from bumpwise.services.figures import FigureQuery, figure_stage, stage_query
from bumpwise.services.inputs import validated
from bumpwise.web.deps import Ctx, MaybePageUser, Today
from bumpwise.web.rendering import page

router = APIRouter(prefix="/exercises")
PAGE_SIZE = 12
"""Exercises per library page: a phone screen or two, never the whole library at once."""


class LibraryPager(BaseModel):
    number: int
    pages: int
    first: int
    last: int
    previous: str | None
    next: str | None


def pager(given: dict[str, str], total: int, number: int) -> LibraryPager:
    """Which slice of the results a page shows, and the links to its neighbours (filters kept)."""
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)

    def link(to: int) -> str:
        return "/exercises?" + urlencode({**given, "page": to})

    return LibraryPager(
        number=number,
        pages=pages,
        first=(number - 1) * PAGE_SIZE + 1 if total else 0,
        last=min(number * PAGE_SIZE, total),
        previous=link(number - 1) if number > 1 else None,
        next=link(number + 1) if number < pages else None,
    )


@router.get("", response_class=HTMLResponse)
def browse(request: Request, user: MaybePageUser, ctx: Ctx, today: Today) -> Response:
    given = {k: v for k, v in request.query_params.items() if v and k not in ("notice", "page")}
    wanted = request.query_params.get("page", "1")
    error: InputError | None = None
    try:
        query = validated(catalog.LibraryQuery, given)
    except InputError as exc:
        query, error = catalog.LibraryQuery(), exc
    result = catalog.browse(ctx.uow(), ctx.kb, user, query, today)
    shown = pager(given, result.total, int(wanted) if wanted.isdigit() else 1)
    result.exercises = result.exercises[shown.first - 1 : shown.last] if result.total else []
    return page(
        request,
        user,
        "library/list.html",
        result=result,
        pager=shown,
        query=query,
        error=error,
        patterns=list(ctx.kb.planning.pattern_purpose),
        muscles=[m.value for m in Muscle],
        equipment=list(ctx.kb.equipment),
        positions=[p.value for p in Position],
    )


@router.get("/{exercise_id}", response_class=HTMLResponse)
def exercise(request: Request, exercise_id: str, user: MaybePageUser, ctx: Ctx, today: Today) -> Response:
    view = catalog.exercise_page(ctx.uow(), ctx.kb, user, exercise_id, today)
    figure_query, figure_week, figure_error = view.figure_query, None, None
    if request.query_params.get("week"):
        try:
            chosen = validated(FigureQuery, {"week": request.query_params["week"]})
            figure_query = stage_query(figure_stage(chosen.stage, chosen.week))
            figure_week = chosen.week
        except InputError as exc:
            figure_error = exc
    return page(
        request,
        user,
        "library/exercise.html",
        view=view,
        figure_query=figure_query,
        figure_week=figure_week,
        figure_error=figure_error,
    )
