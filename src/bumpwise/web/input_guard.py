"""One check that every request to a route passes before the route sees it (``GuardedRoute``,
the app's route class, runs it before FastAPI solves the route's dependencies): no text anywhere
in the request may hold a NUL, another control character or a lone surrogate, and a JSON object
may not name a key twice.

PostgreSQL refuses NUL in text and cannot encode a lone surrogate, SQLite would store both, and
a repeated JSON key means the sender and we could read different values; so each is a 422 that
names the field, whether it came in the path, the query, a form or a JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from bumpwise.domain.errors import InputError
from bumpwise.domain.validation import field_path
from bumpwise.web import json_booleans

# Tab, line feed and carriage return are ordinary text (a note may have lines); the rest of the
# C0 controls, DEL and lone UTF-16 surrogates are not.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class GuardedRoute(APIRoute):
    """A route that runs ``refuse_bad_input`` first. It was an app-wide dependency; FastAPI 0.165
    works out each declared dependency's cache key and scopes again on every request, and every
    request paid that for the guard too (bench/README.md, issue 18)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            await refuse_bad_input(request)
            return await handle(request)

        return guarded


async def refuse_bad_input(request: Request) -> None:
    for name, value in request.path_params.items():
        _check_text(name, str(value))
    for name, value in request.query_params.multi_items():
        _check_text(name, name)
        _check_text(name, value)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in FORM_TYPES:
        await _check_form(request)
    elif not content_type or content_type == "application/json" or content_type.endswith("+json"):
        document = _check_json(await request.body())
        if document is not None:
            json_booleans.check(request.scope.get("route"), document)


def _check_text(field: str, value: str) -> None:
    if FORBIDDEN.search(value):
        # The message names the field too: an HTML error page shows only the message.
        raise InputError(field, f"{field} must not contain NUL or other control characters")


async def _check_form(request: Request) -> None:
    form = await request.form()
    for name, value in form.multi_items():
        _check_text(name, name)
        if isinstance(value, UploadFile):
            _check_text(name, value.filename or "")
        else:
            _check_text(name, value)


def _check_json(body: bytes) -> object | None:
    """The body's JSON once checked (None when there is none, or it is not JSON)."""
    if not body:
        return None
    try:
        document = json.loads(body, object_pairs_hook=_object_without_repeats)
    except DuplicateKey as repeated:
        raise InputError(repeated.key, f"{repeated.key} is given more than once in a JSON object") from None
    except ValueError:
        return None  # not JSON at all: the route's own body validation says so
    _check_json_value((), document)
    document_checked: object = document
    return document_checked


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            raise DuplicateKey(key)
        document[key] = value
    return document


def _check_json_value(loc: tuple[int | str, ...], value: object) -> None:
    if isinstance(value, str):
        _check_text(field_path(loc) or "body", value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_value((*loc, index), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(field_path((*loc, key)), key)
            _check_json_value((*loc, key), item)
