"""Issue 10, points 3, 4 and 11 (web part): every route of the app, found from the app itself,
refuses NUL and other control characters with a 422 naming the field; an id, offset or limit
past the column's range is a 404 or 422, never a 500, and the next request still works; a 500
carries the security headers; a 405 says what is allowed; a repeated JSON key is a 422."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select

from bumpwise.persistence.models import Lead, User
from bumpwise.web.middleware import BASE_HEADERS
from websupport import api_member, api_sign_up, ctx_of, sign_in_pages, with_csrf

NUL = "a\x00b"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HUGE = (2**31, 2**63)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    route: RouteContext

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def calls(app: FastAPI) -> list[Call]:
    """Every (method, path) the app answers, from the app's own routes (included routers too)."""
    return [
        Call(method, str(route.path), route)
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]


def dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from dependants(sub)


def params(route: RouteContext, kind: str) -> list[Any]:
    """The route's path, query or body parameters, its dependencies' included, each name once."""
    found = {p.alias: p for d in dependants(route.dependant) for p in getattr(d, f"{kind}_params")}
    return list(found.values())


def plain_value(annotation: Any) -> str:
    if annotation is int:
        return "1"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return str(next(iter(annotation)).value)
    return "x"


def filled_path(route: RouteContext, overrides: dict[str, str] | None = None) -> str:
    """The route's path with every path parameter given a plain value of its type."""
    values = {p.alias: plain_value(p.field_info.annotation) for p in params(route, "path")}
    values.update(overrides or {})
    return str(route.path).format(**{name: quote(value, safe="") for name, value in values.items()})


def body_model(route: RouteContext) -> type[BaseModel] | None:
    bodies = params(route, "body")
    annotation = bodies[0].field_info.annotation if len(bodies) == 1 else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def text_fields(model: type[BaseModel]) -> list[str]:
    """The body fields that take a string (alone, optional or in a list), from the JSON schema."""
    names = []
    for name, schema in model.model_json_schema().get("properties", {}).items():
        options = [schema, *schema.get("anyOf", []), schema.get("items", {})]
        if any(option.get("type") == "string" for option in options):
            names.append(name)
    return names


def text_inputs(app: FastAPI) -> Iterator[tuple[Call, str, str]]:
    """(call, where, field) for every place a request to this app can carry text."""
    for call in calls(app):
        for param in params(call.route, "path"):
            if param.field_info.annotation is not int:
                yield call, "path", param.alias
        for param in params(call.route, "query"):
            if param.field_info.annotation is not int:
                yield call, "query", param.alias
        model = body_model(call.route)
        if model is not None:
            for name in text_fields(model):
                yield call, "json", name
        elif call.method in UNSAFE and not call.is_api:
            yield call, "form", "display_name"


def nul_request(app: FastAPI, client: TestClient, call: Call, where: str, field: str) -> Any:
    path = filled_path(call.route, {field: NUL} if where == "path" else None)
    query = {field: NUL} if where == "query" else None
    if where == "json":
        return client.request(call.method, path, params=query, json={field: NUL})
    data = with_csrf(app, {field: NUL}) if where == "form" else None
    return client.request(call.method, path, params=query, data=data)


def error_field(response: Any) -> str:
    body: dict[str, Any] = response.json()
    return str(body["error"]["field"])


def test_every_text_input_of_every_route_refuses_nul(app: FastAPI, client: TestClient) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    client.headers.update(member.headers)
    inputs = list(text_inputs(app))
    assert {where for _, where, _ in inputs} == {"path", "query", "json", "form"}
    failures = []
    for call, where, field in inputs:
        response = nul_request(app, client, call, where, field)
        named = error_field(response) == field if call.is_api else field in response.text
        if response.status_code != 422 or not named:
            failures.append(f"{call} ({where} {field}): {response.status_code} {response.text[:120]}")
    assert failures == []
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("text", ["\x00", "\x07", "\x1b[31m", "\x7f", "\ud800"])
def test_control_characters_are_refused_before_anything_is_stored(client: TestClient, text: str) -> None:
    body = {"email": "nul@example.org", "password": "correct horse battery", "display_name": f"M{text}"}
    response = client.post(
        "/api/v1/auth/signup", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "display_name"
    if text != "\ud800":  # a lone surrogate cannot be sent in a form at all
        lead = client.post("/free-workout", data={"email": f"x{text}@example.org", "consent": "on"})
        assert lead.status_code == 422
    with ctx_of(client.app).uow() as uow:  # type: ignore[arg-type]
        assert uow.session.scalar(select(func.count()).select_from(User)) == 0
        assert uow.session.scalar(select(func.count()).select_from(Lead)) == 0


def test_tabs_and_line_breaks_stay_ordinary_text(client: TestClient) -> None:
    member = api_member(client)
    response = client.post(
        "/api/v1/me/symptoms",
        json={"symptoms": [], "warning_signs": [], "note": "felt fine\r\n\tafter the walk"},
        headers=member.headers,
    )
    assert response.status_code == 201, response.text


def int_inputs(app: FastAPI) -> Iterator[tuple[Call, str, str]]:
    for call in calls(app):
        for kind in ("path", "query"):
            for param in params(call.route, kind):
                if param.field_info.annotation is int:
                    yield call, kind, param.alias


@pytest.mark.parametrize("number", HUGE, ids=["2^31", "2^63"])
def test_every_int_parameter_past_the_column_range_is_refused(
    app: FastAPI, client: TestClient, number: int
) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    client.headers.update(member.headers)
    inputs = list(int_inputs(app))
    assert {kind for _, kind, _ in inputs} == {"path", "query"}
    failures = []
    for call, kind, name in inputs:
        path = filled_path(call.route, {name: str(number)} if kind == "path" else None)
        query = {name: str(number)} if kind == "query" else None
        data = with_csrf(app) if call.method in UNSAFE and not call.is_api else None
        response = client.request(call.method, path, params=query, data=data)
        named = error_field(response) == name if call.is_api and response.status_code == 422 else True
        if response.status_code not in (404, 422) or not named:
            failures.append(f"{call} ({kind} {name}): {response.status_code} {response.text[:120]}")
        if client.get("/api/v1/me").status_code != 200:
            failures.append(f"{call}: the next request on this client failed")
    assert failures == []


def test_a_repeated_json_key_is_refused_by_name(client: TestClient) -> None:
    body = b'{"email": "a@example.org", "password": "correct horse battery", "display_name": "A",'
    body += b' "display_name": "B"}'
    response = client.post("/api/v1/auth/signup", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "display_name"
    nested = b'{"symptoms": [], "warning_signs": [], "note": "", "note": "again"}'
    member = api_member(client)
    response = client.post(
        "/api/v1/me/symptoms", content=nested, headers={**member.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "note"


def test_a_405_says_which_methods_the_address_takes(client: TestClient) -> None:
    response = client.delete("/api/v1/me/profile/details")
    assert response.status_code == 405
    assert response.headers["Allow"] == "PUT"
    assert response.json()["error"]["message"] == "this address does not take DELETE"
    page = client.put("/signin")
    assert page.status_code == 405
    assert page.headers["Allow"] == "GET, POST"


def test_a_500_still_carries_every_security_header(app: FastAPI, database_url: str) -> None:
    from bumpwise.web.app import create_app
    from dbsupport import settings_for

    broken = create_app(settings_for(database_url))

    @broken.get("/api/v1/broken")
    def fail_api() -> None:
        raise RuntimeError("boom")

    @broken.get("/broken")
    def fail_page() -> None:
        raise RuntimeError("boom")

    with TestClient(broken, raise_server_exceptions=False) as client:
        for path in ("/api/v1/broken", "/broken"):
            response = client.get(path)
            assert response.status_code == 500
            for name, value in BASE_HEADERS:
                assert response.headers[name.decode()] == value.decode()
            assert response.headers["cache-control"] == "no-store"
            assert "boom" not in response.text
        assert client.get("/api/v1/broken").json()["error"]["field"] == ""
    ctx_of(broken).engine.dispose()


def test_a_sign_in_with_nul_in_the_email_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post("/api/v1/auth/tokens", json={"email": "a\x00@example.org", "password": "x" * 12})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "email"
    assert api_sign_up(client).token


def test_a_unique_race_that_still_fails_after_the_retry_is_a_409_not_a_500(database_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    from bumpwise.web.app import create_app
    from dbsupport import settings_for

    racing = create_app(settings_for(database_url))

    @racing.post("/api/v1/raced")
    def lose_the_race() -> None:
        raise IntegrityError("INSERT ...", {}, Exception("UNIQUE constraint failed"))

    with TestClient(racing, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/raced")
        assert response.status_code == 409
        assert "try again" in response.json()["error"]["message"]
        assert "UNIQUE" not in response.text
    ctx_of(racing).engine.dispose()
