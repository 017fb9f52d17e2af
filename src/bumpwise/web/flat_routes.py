"""Routers included flat: each route of a module's router is copied into the app, with the
prefix, guards and operation ids of where it is included, as FastAPI's own ``include_router``
once did.

FastAPI 0.165's ``include_router`` keeps every included router as a branch that each request
walks again at every level (the branch is matched, then walked once more to be handled), asking
each branch for the version of its route list on the way. With the API's modules two levels
deep, matching cost about a third of a small route's time in-process; a flat list is walked once
(bench/README.md, issue 18).

The price is paid once per app, at start-up: each copy analyses its route's dependencies and
models again, about 0.3 s for the app's 191 routes on the slow benchmark machine (``create_app``
took 2 ms with the branches). A serving worker builds one app; the test suite builds its app once
per session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import APIRouter, FastAPI
from fastapi.params import Depends
from fastapi.routing import APIRoute


def include_flat(
    app: FastAPI,
    routers: Sequence[APIRouter],
    *,
    prefix: str = "",
    dependencies: Sequence[Depends] = (),
    include_in_schema: bool = True,
    operation_id: Callable[[APIRoute], str] | None = None,
) -> None:
    """Copy each route of ``routers``, in order, into ``app`` as the app's route class: its path
    under ``prefix``, the ``dependencies`` run before its own, hidden from the OpenAPI document
    unless both it and ``include_in_schema`` allow it, and named by ``operation_id`` where given.

    A module's router holds plain API routes only (``TypeError`` otherwise): a router nested in
    it would have guards and a prefix of its own to carry over, and a route class of its own
    would be lost."""
    for router in routers:
        for route in router.routes:
            if type(route) is not APIRoute:
                raise TypeError(f"{route!r} is not a plain API route: include_flat copies API routes only")
            _copy(app, route, prefix, dependencies, include_in_schema, operation_id)


def _copy(
    app: FastAPI,
    route: APIRoute,
    prefix: str,
    dependencies: Sequence[Depends],
    include_in_schema: bool,
    operation_id: Callable[[APIRoute], str] | None,
) -> None:
    app.router.add_api_route(
        prefix + route.path,
        route.endpoint,
        response_model=route.response_model,
        status_code=route.status_code,
        tags=route.tags,
        dependencies=[*dependencies, *route.dependencies],
        summary=route.summary,
        description=route.description,
        response_description=route.response_description,
        responses=route.responses,
        deprecated=route.deprecated,
        methods=route.methods,
        operation_id=route.operation_id,
        response_model_include=route.response_model_include,
        response_model_exclude=route.response_model_exclude,
        response_model_by_alias=route.response_model_by_alias,
        response_model_exclude_unset=route.response_model_exclude_unset,
        response_model_exclude_defaults=route.response_model_exclude_defaults,
        response_model_exclude_none=route.response_model_exclude_none,
        include_in_schema=route.include_in_schema and include_in_schema,
        response_class=route.response_class,
        name=route.name,
        callbacks=route.callbacks,
        openapi_extra=route.openapi_extra,
        generate_unique_id_function=operation_id or route.generate_unique_id_function,
    )
