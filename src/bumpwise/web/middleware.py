"""Pure ASGI middleware: strict security headers on every response (a 500 included), and a
request size limit."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bumpwise.domain.catalog import _

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NO_STORE = (b"cache-control", b"no-store")
STATIC_PREFIX = "/static/"
API_PREFIX = "/api/"
TOO_LARGE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large</title></head>'
    "<body><h1>That was too large to send</h1><p>A form may send at most {kb} kB, files included. "
    'Go back and choose a smaller file.</p><p><a href="/">bumpwise</a></p>'
    "</body></html>"
)
SERVER_ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title>'
    "</head><body><h1>Something went wrong on our side</h1><p>Nothing you did caused this. Try again "
    'in a moment.</p><p><a href="/">bumpwise</a></p></body></html>'
)
SERVER_ERROR_MESSAGE = "something went wrong on our side; try again in a moment"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = [*BASE_HEADERS, HSTS] if hsts else BASE_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = not scope["path"].startswith(STATIC_PREFIX)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [*message.get("headers", []), *self.headers]
                if private and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's own 500 is sent from outside every middleware, so without headers:
            # answer here instead, and re-raise so the server still logs the error.
            if not started:
                await _send_server_error(scope, send_with_headers)
            raise


async def _send_server_error(scope: Scope, send: Send) -> None:
    if scope["path"].startswith(API_PREFIX):
        body = json.dumps({"error": {"field": "", "message": SERVER_ERROR_MESSAGE, "allowed": []}}).encode()
        kind = b"application/json"
    else:
        body, kind = SERVER_ERROR_PAGE.encode(), b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised while a streamed body grows past the limit; the app's handlers answer 413."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is over {max_bytes} bytes")


class RequestSizeLimit:
    """Refuse bodies over ``max_bytes`` with 413, by Content-Length or while streaming;
    ``larger`` names the paths that take more (a coach's upload of an exercise export)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._refuse(scope, send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        """JSON for the API; for a page (a form with a file, say) a short page saying what to do."""
        message = _("the request body is over %(limit)s bytes", limit=limit)
        if scope["path"].startswith(API_PREFIX):
            body = json.dumps({"error": {"field": "", "message": message, "allowed": []}}).encode()
            kind = b"application/json"
        else:
            body = TOO_LARGE_PAGE.format(kb=limit // 1024).encode()
            kind = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class LanguageScope:
    """The language of each request (bumpwise.domain.locale), in a holder of its own: a ``lang``
    query parameter naming a supported language (the public pages' ``hreflang`` alternates), else
    the browser's ``Accept-Language``, else English. A signed-in account's own setting replaces it
    once the account is known (web.deps). Answers say which language they are in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STATIC_PREFIX):
            await self.app(scope, receive, send)
            return
        from bumpwise.domain.locale import current_language, request_scope

        with request_scope(request_language(scope)):

            async def send_with_language(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = [
                        *message.get("headers", []),
                        (b"content-language", current_language().encode()),
                        (b"vary", b"Accept-Language, Cookie"),
                    ]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_language)


def request_language(scope: Scope) -> str:
    from urllib.parse import parse_qs

    from bumpwise.domain.locale import ENGLISH, negotiate, supported_languages

    raw: bytes = scope.get("query_string", b"")
    asked = parse_qs(raw.decode("latin-1")).get("lang", [""])[0].lower()
    if asked in supported_languages():
        return asked
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    header = next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None)
    found = negotiate(header)
    return found.code if found is not None else ENGLISH
