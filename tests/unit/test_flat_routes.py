"""Routers copied flat into the app: paths, guards, schema visibility and operation ids carried
over; the app's own route list holds no router branch left to walk on each request."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bumpwise.web.flat_routes import include_flat
from bumpwise.web.input_guard import GuardedRoute


def _guard(request: Request) -> None:
    request.state.guarded = True


def _module() -> APIRouter:
    router = APIRouter(prefix="/things", tags=["things"])

    @router.get("/{thing_id}")
    def read_thing(thing_id: int, request: Request) -> dict[str, object]:
        return {"id": thing_id, "guarded": getattr(request.state, "guarded", False)}

    @router.post("", status_code=201, include_in_schema=False)
    def add_thing() -> dict[str, str]:
        return {"added": "yes"}

    return router


def _op_id(route: APIRoute) -> str:
    return "op_" + route.name


def test_routes_keep_their_behaviour_under_the_prefix_and_guards() -> None:
    app = FastAPI()
    include_flat(app, [_module()], prefix="/api", dependencies=[Depends(_guard)], operation_id=_op_id)
    client = TestClient(app)

    assert client.get("/api/things/7").json() == {"id": 7, "guarded": True}
    assert client.post("/api/things").status_code == 201
    assert client.get("/things/7").status_code == 404
    assert all(
        isinstance(route, APIRoute)
        for route in app.router.routes
        if getattr(route, "path", "").startswith("/api")
    )


def test_the_schema_shows_what_both_allow_under_their_operation_ids() -> None:
    app = FastAPI()
    include_flat(app, [_module()], prefix="/api", operation_id=_op_id)
    paths = app.openapi()["paths"]

    assert list(paths) == ["/api/things/{thing_id}"]
    operation = paths["/api/things/{thing_id}"]["get"]
    assert operation["operationId"] == "op_read_thing"
    assert operation["tags"] == ["things"]


def test_a_hidden_inclusion_hides_every_route() -> None:
    app = FastAPI()
    include_flat(app, [_module()], include_in_schema=False)

    assert app.openapi()["paths"] == {}
    assert TestClient(app).get("/things/3").json()["id"] == 3


def test_a_nested_router_is_refused_rather_than_copied_without_its_guards() -> None:
    outer = APIRouter()
    outer.include_router(_module(), dependencies=[Depends(_guard)])

    with pytest.raises(TypeError, match="API routes only"):
        include_flat(FastAPI(), [outer])


def test_the_app_matches_each_request_against_one_flat_list() -> None:
    from bumpwise.config import Settings
    from bumpwise.web.app import create_app

    app = create_app(Settings(env="test", database_url="sqlite://", migrate_on_start=False))
    kinds = {type(route).__name__ for route in app.router.routes}
    api_routes = [route for route in app.router.routes if isinstance(route, APIRoute)]

    assert kinds <= {"GuardedRoute", "Route", "Mount"}, kinds
    assert all(isinstance(route, GuardedRoute) for route in api_routes), "every route checks its input"
    assert "/api/v1/me/logs" in {route.path for route in api_routes}
