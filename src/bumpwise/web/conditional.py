"""Conditional GETs: an ``ETag`` on a rendered answer, and ``304 Not Modified`` when the client
already holds it (``If-None-Match``).

The tag is a digest of the exact bytes sent, so it changes whenever anything in the answer does
(a new log, a check-in, another stage week, a coach's swap) and two callers who see different
answers never share one. Personal answers are ``private`` (no shared cache may keep them) and
``no-cache`` (the client asks again every time, and a 304 saves sending the body).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header, Response
from pydantic import BaseModel

from bumpwise.web.compression import KeptAnswer

PERSONAL = "private, no-cache"
IfNoneMatch = Annotated[
    str | None, Header(description="an ETag from an earlier answer: 304 without a body if unchanged")
]
NOT_MODIFIED: dict[int | str, dict[str, str]] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match still matches"}
}


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: ``W/`` prefixes are ignored and ``*`` matches anything."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    tags = (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
    return any(tag in ("*", wanted) for tag in tags)


def conditional(
    body: bytes,
    if_none_match: str | None,
    *,
    etag: str | None = None,
    media_type: str = "application/json",
    cache_control: str = PERSONAL,
    vary: str = "Authorization, Cookie",
    kept: object | None = None,
) -> Response:
    """``body`` with its ETag (``etag_of(body)`` unless already computed), or an empty 304 when
    ``if_none_match`` names that ETag. ``kept``: the object a cache keeps the body in, whose
    gzip copy is then made once (web.compression)."""
    tag = etag_of(body) if etag is None else etag
    headers = {"ETag": tag, "Cache-Control": cache_control, "Vary": vary}
    if etag_matches(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    if kept is not None:
        return KeptAnswer(kept, (body,), media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def conditional_json(model: BaseModel, if_none_match: str | None, **options: str) -> Response:
    return conditional(model.model_dump_json().encode(), if_none_match, **options)


@dataclass(frozen=True)
class Rendered:
    """A serialised answer and its ETag, computed once and kept (``services.answer_cache``)."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, model: BaseModel) -> Rendered:
        body = model.model_dump_json().encode()
        return cls(body, etag_of(body))


def conditional_rendered(
    rendered: Rendered,
    if_none_match: str | None,
    *,
    cache_control: str = PERSONAL,
    vary: str = "Authorization, Cookie",
) -> Response:
    """``conditional`` for a kept answer, whose ETag is already known."""
    return conditional(
        rendered.body,
        if_none_match,
        etag=rendered.etag,
        cache_control=cache_control,
        vary=vary,
        kept=rendered,
    )
