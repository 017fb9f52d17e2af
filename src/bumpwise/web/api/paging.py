"""One way to page every list of the API: ``?limit=`` (1 to 200, default 50) and an opaque
``?cursor=`` taken from the previous page's ``next`` link. A page is
``{"items": [...], "limit": n, "next": "/api/v1/...?cursor=..." | null}``.

A cursor stands for the position after the last item given out; clients copy it from ``next``
and do not build it (its form may change). Every string of the documented pattern is a position
(past the end: an empty last page), so the schema tells exactly which cursors are taken. A
``limit`` out of range, or a cursor not of that form, is a 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError

T = TypeVar("T")
MIN_LIMIT = 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_CURSOR = 10**9 - 1
CURSOR_PREFIX = "p"


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int = Field(description="the page size asked for (or the default)")
    next: str | None = Field(
        description="the link to the next page (path and query, on this server); null on the last page"
    )

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """``LogViewPage`` rather than ``Page[LogView]``: a name a generated client can use."""
        return f"{getattr(params[0], '__name__', 'Item')}Page"


LIMIT_DOC = f"items per page, {MIN_LIMIT} to {MAX_LIMIT} (default {DEFAULT_LIMIT})"
CURSOR_DOC = "where the page starts: copy it from the previous page's `next` link"
CURSOR_PATTERN = rf"^{CURSOR_PREFIX}[0-9]{{1,{len(str(MAX_CURSOR))}}}$"
CURSOR_LENGTH = len(CURSOR_PREFIX) + len(str(MAX_CURSOR))
Limit = Annotated[int, Query(ge=MIN_LIMIT, le=MAX_LIMIT, description=LIMIT_DOC)]
Cursor = Annotated[
    str | None,
    Query(min_length=2, max_length=CURSOR_LENGTH, pattern=CURSOR_PATTERN, description=CURSOR_DOC),
]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int
    request: Request

    def page(self, items: Sequence[T], *, more: bool) -> Page[T]:
        """A page of ``items`` (at most ``limit``); ``more`` says whether a next page exists."""
        shown = list(items[: self.limit])
        following = self.offset + len(shown)
        link = None
        if more and shown:
            url = self.request.url.include_query_params(cursor=encode(following), limit=self.limit)
            link = f"{url.path}?{url.query}"
        return Page[T](items=shown, limit=self.limit, next=link)

    def window(self) -> tuple[int, int]:
        """(limit, offset) for a query: one more than the page, so that ``more`` is known."""
        return self.limit + 1, self.offset

    def of_fetched(self, fetched: Sequence[T]) -> Page[T]:
        """The page from a query run with ``window()``."""
        return self.page(fetched, more=len(fetched) > self.limit)

    def of_all(self, everything: Sequence[T]) -> Page[T]:
        """The page out of a list that is already whole (and small)."""
        end = self.offset + self.limit
        return self.page(everything[self.offset : end], more=len(everything) > end)


def encode(offset: int) -> str:
    return f"{CURSOR_PREFIX}{offset}"


def decode(cursor: str) -> int:
    """The position a cursor stands for (its form is checked by ``CURSOR_PATTERN`` first); a
    position past the end is an empty last page."""
    digits = cursor.removeprefix(CURSOR_PREFIX)
    if not cursor.startswith(CURSOR_PREFIX) or not digits.isascii() or not digits.isdigit():
        raise InputError("cursor", N_("is not a cursor this API gave out: follow the `next` link of a page"))
    return int(digits)


def paging(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Paging:
    return Paging(limit=limit, offset=0 if cursor is None else decode(cursor), request=request)


class PageQuery(BaseModel):
    """``limit`` and ``cursor`` for a list whose filters are a query model of their own (a query
    model refuses parameters it does not name, so it names these too)."""

    limit: int = Field(default=DEFAULT_LIMIT, ge=MIN_LIMIT, le=MAX_LIMIT, description=LIMIT_DOC)
    cursor: str | None = Field(
        default=None, min_length=2, max_length=CURSOR_LENGTH, pattern=CURSOR_PATTERN, description=CURSOR_DOC
    )

    def paging(self, request: Request) -> Paging:
        return paging(request, self.limit, self.cursor)


Pages = Annotated[Paging, Depends(paging)]
