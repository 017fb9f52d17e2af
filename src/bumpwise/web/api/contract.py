"""The API's published contract, derived from the routes so that it cannot drift from them.

* One error model: every error answer is ``{"error": {"field", "message", "allowed"}}``
  (``web/errors.py`` writes it); each operation documents every error status it can return,
  read from its dependencies: a token (401, 403), a path id (404), an ``Idempotency-Key``
  or a write (409), a body (400 when it is not JSON, 413), the caller's address for rate limits
  (429), and 422 always (the app-wide input guard reads every request). A status only the
  service knows of is declared on the route with ``raises(...)``. FastAPI's own
  ``{"detail": [...]}`` schema is gone from the document because no answer has that shape.
* Operation ids are the route functions' names (unique across the API; checked here), so a
  generated client's method names stay the same release to release.
* An operation that takes a token but does not need one (the public exercise library) says so:
  its security is "none, or a bearer token".
* Inputs say what the input guard refuses: free text carries a pattern without control
  characters (keys of open objects too), and a parameter is never ``null`` on the wire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field, JsonValue
from starlette.routing import BaseRoute

from bumpwise.web.deps import api_principal, bearer, client_address
from bumpwise.web.idempotency import anonymous_api_once, api_create, api_once

API_PATH = "/api/"
ERROR_SCHEMA = "Error"
PLAIN_TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_CHECKS: frozenset[Callable[..., Any]] = frozenset({api_principal, api_create})
"""Dependencies that refuse a request without a valid token (``api_create`` checks it itself)."""
KEYED: frozenset[Callable[..., Any]] = frozenset({api_once, api_create, anonymous_api_once})


class ErrorDetail(BaseModel):
    field: str = Field(description="the field at fault: a dotted path into the body, or a parameter")
    message: str = Field(description="what is wrong, in plain words")
    allowed: list[str] = Field(description="the allowed values when they form a closed list, else empty")


class Error(BaseModel):
    """Every error answer of the API."""

    error: ErrorDetail


STATUS_MEANINGS = {
    400: "The body is not JSON.",
    401: "No valid token: send `Authorization: Bearer <token>` with a token that is not revoked.",
    403: "The token's account may not do this (its role, or a coach without the client's grant).",
    404: "Nothing at this id, or nothing the caller may see (the two are not told apart).",
    409: "It already exists, the state does not allow it, or another request changed it at the same moment.",
    413: "The request body is larger than the server takes.",
    422: "The input is not valid: `field` names it and `allowed` lists the allowed values (an "
    "`Idempotency-Key` sent again with another request is one too).",
    429: "Too many attempts: wait the seconds given in `Retry-After`.",
}
STATUS_HEADERS: dict[int, JsonValue] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
}


def operation_id(route: APIRoute) -> str:
    return route.name


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def error_statuses(route: APIRoute) -> list[int]:
    """Every error status this route can answer, from what it depends on."""
    calls = set(_calls(route.dependant))
    statuses = {422}
    if calls & TOKEN_CHECKS:
        statuses |= {401, 403}
    elif bearer in calls:
        statuses.add(401)  # an optional token is still checked when sent
    if route.dependant.path_params:
        statuses.add(404)
    if calls & KEYED or set(route.methods or ()) & UNSAFE_METHODS:
        statuses.add(409)
    if route.body_field is not None:
        statuses |= {400, 413}
    if client_address in calls:
        statuses.add(429)
    return sorted(statuses)


def token_optional(route: APIRoute) -> bool:
    calls = set(_calls(route.dependant))
    return bearer in calls and not calls & TOKEN_CHECKS


def api_routes(routes: list[BaseRoute]) -> Iterator[tuple[str, APIRoute]]:
    """Each API route with its full path (routers nest: the route itself knows only its own part)."""
    for context in iter_route_contexts(routes):
        route, path = context.original_route, context.path_format
        if isinstance(route, APIRoute) and route.include_in_schema and (path or "").startswith(API_PATH):
            yield str(path), route


def document(schema: dict[str, JsonValue], routes: list[BaseRoute]) -> dict[str, JsonValue]:
    """The error model and every route's error statuses written into the OpenAPI document."""
    components = _member(_member(schema, "components"), "schemas")
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    for component in components.values():
        _plain_text_only(component)
    error = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    components[ERROR_SCHEMA] = error
    components.update(_member(error, "$defs"))
    error.pop("$defs")
    seen: dict[str, str] = {}
    for path, route in api_routes(routes):
        for method in sorted(route.methods or ()):
            operation = _member(_member(_member(schema, "paths"), path), method.lower())
            _unique(seen, str(operation["operationId"]), f"{method} {path}")
            responses = _member(operation, "responses")
            declared = {int(code) for code in responses if code.isdigit() and int(code) in STATUS_MEANINGS}
            for status in sorted(declared | set(error_statuses(route))):
                responses[str(status)] = _error_response(status)
            for parameter in _list_member(operation, "parameters"):
                if isinstance(parameter, dict):
                    parameter["schema"] = _not_null(_member(parameter, "schema"))
                    _plain_text_only(parameter["schema"])
            if token_optional(route):
                operation["security"] = [{}, *_list_member(operation, "security")]
    return schema


def _member(node: dict[str, JsonValue], key: str) -> dict[str, JsonValue]:
    """The object at ``key`` of a JSON object, added empty when missing."""
    value = node.setdefault(key, {})
    if not isinstance(value, dict):
        raise TypeError(f"{key!r} of the OpenAPI document is not an object")
    return value


def _list_member(node: dict[str, JsonValue], key: str) -> list[JsonValue]:
    value = node.get(key, [])
    return value if isinstance(value, list) else []


def raises(*statuses: int) -> dict[int | str, dict[str, str]]:
    """For a route's ``responses=``: the error statuses its service raises beyond those its
    dependencies tell (a refused secret is a 404, wrong credentials a 401)."""
    return {status: {"description": STATUS_MEANINGS[status]} for status in statuses}


def _unique(seen: dict[str, str], operation: str, where: str) -> None:
    if operation in seen:
        raise RuntimeError(f"operation id {operation!r} of {where} is also {seen[operation]}'s")
    seen[operation] = where


def _not_null(schema: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """A parameter is absent or has a value: ``str | None`` in Python is ``string`` on the wire
    (a "null" would be sent as the text ``null``)."""
    options = _list_member(schema, "anyOf")
    branches = [b for b in options if isinstance(b, dict) and b.get("type") != "null"]
    if len(branches) != 1 or len(branches) == len(options):
        return schema
    kept = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept, **branches[0]}


def _plain_text_only(node: JsonValue) -> None:
    """Every free text says what the input guard (``web/input_guard.py``) refuses: no control
    character but tab, line feed and carriage return."""
    if isinstance(node, dict):
        if node.keys() & {"pattern", "format", "enum", "const"}:
            return  # already narrower than plain text
        if node.get("type") == "string":
            node["pattern"] = PLAIN_TEXT
        if node.get("type") == "object" and node.get("additionalProperties", True) is not False:
            node["propertyNames"] = {"pattern": PLAIN_TEXT}  # the guard reads keys too
        for value in node.values():
            _plain_text_only(value)
    elif isinstance(node, list):
        for value in node:
            _plain_text_only(value)


def _error_response(status: int) -> dict[str, JsonValue]:
    answer: dict[str, JsonValue] = {
        "description": STATUS_MEANINGS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
    }
    if status in STATUS_HEADERS:
        answer["headers"] = STATUS_HEADERS[status]
    return answer


def install(app: FastAPI) -> None:
    """Build the OpenAPI document once, with the contract written in."""

    def openapi() -> dict[str, JsonValue]:
        if app.openapi_schema is None:
            app.openapi_schema = document(FastAPI.openapi(app), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
