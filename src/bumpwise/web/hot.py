"""A member's hot page kept rendered (services.rendered): reading its caller from an async route
(``deps.read_caller``), and cutting an HTML page's per-answer values out of it and filling them in
again."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from fastapi.security import HTTPAuthorizationCredentials

from bumpwise.domain.locale import current_language
from bumpwise.services.principal import Principal
from bumpwise.services.rendered import PAGES, Caller, Rendered, page_key, token_caller
from bumpwise.web.compression import KeptAnswer
from bumpwise.web.context import AppContext
from bumpwise.web.deps import authenticate, with_language
from bumpwise.web.rendering import FRESH_VALUES


def _kept_token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The bearer token whose caller may have a kept page: none when there is no cache or token."""
    if PAGES.size <= 0 or credentials is None or credentials.scheme.lower() != "bearer":
        return None
    return credentials.credentials


@dataclass(frozen=True)
class KeptJson:
    """Where a member's JSON answer is kept (services.rendered): her caller and the page's key,
    or no caller (no cache, no token, or a token that takes the full check)."""

    caller: Caller | None = None
    key: str = ""

    @classmethod
    def read(
        cls,
        ctx: AppContext,
        credentials: HTTPAuthorizationCredentials | None,
        now: datetime,
        page: str,
        day: date,
        *more: str,
    ) -> KeptJson:
        """The bearer token's caller read and the page's key made: blocking on a server database
        (``deps.read_caller`` runs it where it belongs)."""
        token = _kept_token(credentials)
        caller = None if token is None else token_caller(ctx.callers, token, now)
        if caller is None:
            return cls()
        with_language(caller.principal)
        return cls(caller, page_key(page, caller, day, current_language(), *more))

    def get(self) -> Rendered | None:
        return None if self.caller is None else PAGES.get(self.caller, self.key)

    def principal(
        self, ctx: AppContext, credentials: HTTPAuthorizationCredentials | None, now: datetime
    ) -> Principal:
        """Who asks: the caller read with the page's key, or the full token check when there was
        none (blocking: call it from a thread)."""
        return self.caller.principal if self.caller is not None else authenticate(ctx, credentials, now)

    def keep(self, body: bytes, etag: str, rendered_for: Principal) -> Rendered:
        """The body as kept (when there is a caller to keep it for)."""
        rendered = Rendered((body,), etag=etag)
        if self.caller is not None:
            PAGES.put(self.caller, self.key, rendered, rendered_for=rendered_for)
        return rendered


CSRF_HOLE = "csrf"
KEY_HOLE = "idempotency-key"


def keep_html(body: bytes, csrf_token: str, idempotency_keys: list[str]) -> Rendered:
    """A rendered page with its per-answer values cut out as holes: the CSRF token (it belongs to
    the browser) and every idempotency key the render drew (each answer draws its own)."""
    holes = {csrf_token: CSRF_HOLE, **dict.fromkeys(idempotency_keys, KEY_HOLE)}
    pattern = re.compile("|".join(re.escape(value) for value in sorted(holes, key=len, reverse=True)))
    text = body.decode()
    pieces = pattern.split(text)
    found = [holes[m.group(0)] for m in pattern.finditer(text)]
    return Rendered(tuple(p.encode() for p in pieces), tuple(found))


def kept_html(kept: Rendered, csrf_token: str) -> KeptAnswer:
    """The kept page with this answer's values in its holes: the browser's CSRF token, and a new
    idempotency key in each key's place."""
    token = csrf_token.encode()
    values = [token if hole == CSRF_HOLE else secrets.token_urlsafe(24).encode() for hole in kept.holes]
    return KeptAnswer(kept, kept.parts, values, media_type="text/html")


@contextmanager
def drawn_keys() -> Iterator[list[str]]:
    """The idempotency keys the page rendered inside the block drew."""
    drawn: list[str] = []
    token = FRESH_VALUES.set(drawn)
    try:
        yield drawn
    finally:
        FRESH_VALUES.reset(token)
