"""CSRF protection for every HTML form: a random cookie, and a form field that must carry the
HMAC of that cookie under the app's secret key. A cross-site page can neither read the cookie
nor compute the HMAC, so it cannot forge the field.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from bumpwise.web.context import AppContext

FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfFailed(Exception):
    """The form's CSRF token is missing or does not match this browser's cookie."""


def cookie_name(ctx: AppContext) -> str:
    return "__Host-bw_csrf" if ctx.settings.secure_cookies else "bw_csrf"


def token_for_cookie(ctx: AppContext, value: str) -> str:
    """The form token that matches a CSRF cookie value."""
    return _sign(ctx, value)


def _sign(ctx: AppContext, value: str) -> str:
    key = ctx.settings.secret_key.encode()
    return hmac.new(key, b"csrf:" + value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request, ctx: AppContext) -> str:
    """The token to put in a form; makes this browser's cookie on first use."""
    value = request.cookies.get(cookie_name(ctx)) or getattr(request.state, "new_csrf_cookie", None)
    if value is None:
        value = request.state.new_csrf_cookie = secrets.token_urlsafe(32)
    return _sign(ctx, value)


def attach_cookie(request: Request, response: Response, ctx: AppContext) -> None:
    value = getattr(request.state, "new_csrf_cookie", None)
    if value is not None:
        response.set_cookie(
            cookie_name(ctx),
            value,
            httponly=True,
            samesite="lax",
            secure=ctx.settings.secure_cookies,
            path="/",
        )


async def verify(request: Request, ctx: AppContext) -> None:
    if request.method not in UNSAFE_METHODS:
        return
    cookie = request.cookies.get(cookie_name(ctx))
    form = await request.form()
    sent = form.get(FIELD)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(sent, _sign(ctx, cookie)):
        raise CsrfFailed
