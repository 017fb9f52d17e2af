"""Errors become answers: JSON ``{"error": {"field", "message", "allowed"}}`` under /api, and an
HTML page (or a redirect to sign in) everywhere else."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from bumpwise.domain.catalog import N_, _, gettext
from bumpwise.domain.errors import InputError
from bumpwise.domain.validation import field_path
from bumpwise.services.errors import RateLimited, ServiceError, Unauthorized
from bumpwise.web.csrf import CsrfFailed
from bumpwise.web.deps import LoginRequired
from bumpwise.web.rendering import render_error

API_PREFIX = "/api/"


def error_body(field: str, message: str, allowed: list[str] | None = None) -> dict[str, object]:
    return {"error": {"field": field, "message": message, "allowed": allowed or []}}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _answer(
    request: Request, status: int, field: str, message: str, allowed: list[str] | None = None
) -> Response:
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        # a fixed message is in the catalog (marked N_ where it is raised); pages translate it too
        body = error_body(field, gettext(message), allowed)
        return JSONResponse(body, status_code=status, headers=headers)
    return render_error(request, status, message, field)


async def on_input_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    return _answer(request, 422, exc.field, exc.localized_message(), list(exc.allowed))


async def on_service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    if isinstance(exc, Unauthorized) and not _is_api(request):
        return _to_sign_in(request)
    response = _answer(request, exc.status, exc.field, exc.message)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


REQUEST_PARTS = frozenset({"body", "query", "path", "header", "form", "cookie"})


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    loc = tuple(part for part in first.get("loc", ()) if part not in REQUEST_PARTS)
    message, allowed = _explain(first)
    return _answer(request, 422, field_path(loc), message, allowed)


def _explain(error: dict[str, object]) -> tuple[str, list[str]]:
    """FastAPI's validation error in our words: what is wrong, and the allowed values if closed."""
    kind = error.get("type")
    ctx = error.get("ctx")
    expected = ctx.get("expected") if isinstance(ctx, dict) else None
    if kind == "missing":
        return N_("is required"), []
    if kind == "extra_forbidden":
        return N_("is not a known field"), []
    if kind == "enum" and isinstance(expected, str):
        allowed = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        return _("%(value)r is not one of the allowed values", value=error.get("input")), allowed
    return str(error.get("msg", "is not valid")).removeprefix("Value error, "), []


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else N_("request failed")
    if exc.status_code == 404 and message == "Not Found":
        message = N_("there is nothing at this address")
    if exc.status_code == 405:
        message = _("this address does not take %(method)s", method=request.method)
    response = _answer(request, exc.status_code, "", message)
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route at this path takes: Starlette names only the first route's."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.matches(request.scope)[0] != Match.NONE:
            methods.update(route.methods)
    return sorted(methods)


async def on_integrity_error(request: Request, exc: Exception) -> Response:
    """Last line behind the services' retry: two requests raced for the same unique row."""
    return _answer(request, 409, "", "this changed at the same moment in another request; try again")


async def on_csrf_failed(request: Request, exc: Exception) -> Response:
    return _answer(
        request, 403, "csrf_token", "This form has expired. Go back, reload the page and try again."
    )


async def on_login_required(request: Request, exc: Exception) -> Response:
    return _to_sign_in(request)


def _to_sign_in(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


def install(app: FastAPI) -> None:
    app.add_exception_handler(InputError, on_input_error)
    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(IntegrityError, on_integrity_error)
    app.add_exception_handler(CsrfFailed, on_csrf_failed)
    app.add_exception_handler(LoginRequired, on_login_required)
