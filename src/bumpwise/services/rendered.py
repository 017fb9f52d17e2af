"""A member's hot pages (today, this week; JSON and HTML) kept rendered per process.

A request is first checked with one read (``persistence.callers``): the token or browser session,
its owner and the owner's view version, which every write that can change what the owner sees
bumps in its own transaction (``persistence.view_versions``). A rendered body is kept under
everything it depends on: the page, the owner, that version, the day (a new day is a new page),
the language, the knowledge's version, and whatever the caller adds (the HTML page's address).
So a write makes the next read miss and render afresh; nothing is ever answered stale.

Only the plain case takes this path: a token or session that needs a write to be checked (last
use to record, an idle session to end) or does not match gets ``None``, and the caller takes the
full path, which answers it (401 included). A body is kept only by a render that read the version
before it read anything else, so a write between the two makes the kept body unreachable rather
than stale. Processes share nothing: each worker fills its own cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from bumpwise.adapters.security import digest
from bumpwise.persistence.callers import CallerReader, TokenViewCaller
from bumpwise.services.accounts import (
    SESSION_TOUCH_INTERVAL,
    TOKEN_PREFIX,
    TOKEN_TOUCH_INTERVAL,
    token_use_due,
)
from bumpwise.services.plan_cache import PlanCache
from bumpwise.services.plans import knowledge_version
from bumpwise.services.principal import Principal, Role

if TYPE_CHECKING:
    from bumpwise.persistence.loop_connections import LoopConnections

T = TypeVar("T")
DEFAULT_SIZE = 4096


@dataclass(frozen=True)
class Caller:
    """Who asks, and the version of what they see, read together."""

    principal: Principal
    view_version: int


def token_caller(reader: CallerReader, raw: str, now: datetime) -> Caller | None:
    """The token's owner when the one read settles it: the token is live, and its use was recorded
    within the hour or by the read itself (on a server database, persistence.callers). ``None``:
    check it the full way."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    return _settled_by_token(reader.by_token(digest(raw), now, now - TOKEN_TOUCH_INTERVAL), now)


async def token_caller_on_the_loop(
    reader: CallerReader, connections: LoopConnections, raw: str, now: datetime
) -> Caller | None:
    """``token_caller``, read on the event loop's own connections (a server database's, while the
    app runs: persistence.loop_connections)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    found = await reader.by_token_on_the_loop(connections, digest(raw), now, now - TOKEN_TOUCH_INTERVAL)
    return _settled_by_token(found, now)


def _settled_by_token(found: TokenViewCaller | None, now: datetime) -> Caller | None:
    if found is None:
        return None
    _token_id, expires_at, last_used_at, user_id, role, name, email, language, version, stamped = found
    if expires_at <= now:
        return None
    if not stamped and token_use_due(last_used_at, now):
        return None
    return Caller(Principal(user_id, Role(role), name, email, language), version)


def session_caller(reader: CallerReader, token: str, now: datetime, *, idle: timedelta) -> Caller | None:
    """The browser session's owner when the one read settles it: the session is live, not idle,
    and its activity was recorded within the minute or by the read itself (on a server database,
    persistence.callers). ``None``: check it the full way (which ends an idle session)."""
    found = reader.by_session(digest(token), now, now - SESSION_TOUCH_INTERVAL, now - idle)
    if found is None:
        return None
    last_seen_at, user_id, role, name, email, language, version, stamped = found
    if not stamped and now - last_seen_at >= min(idle, SESSION_TOUCH_INTERVAL):
        return None
    return Caller(Principal(user_id, Role(role), name, email, language), version)


def page_key(page: str, caller: Caller, day: date, language: str, *more: str) -> str:
    """Everything a member's page depends on besides the owner (the cache's other key part)."""
    principal = caller.principal
    who = (principal.role.value, principal.display_name, principal.email, principal.language or "")
    parts = (page, str(caller.view_version), day.isoformat(), language, knowledge_version(), *who, *more)
    return "\x1f".join(parts)


class RenderedPages(Generic[T]):
    """Bodies by (owner, ``page_key``), least recently used out first, thread-safe."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._bodies: PlanCache[T] = PlanCache(size)

    @property
    def size(self) -> int:
        return self._bodies.size

    @size.setter
    def size(self, size: int) -> None:
        self._bodies.size = size

    def get(self, caller: Caller, key: str) -> T | None:
        return self._bodies.get(caller.principal.user_id, key)

    def put(self, caller: Caller, key: str, body: T, rendered_for: Principal) -> None:
        """Keep ``body`` if it was rendered for the caller the key was read for."""
        if rendered_for.user_id == caller.principal.user_id:
            self._bodies.put(caller.principal.user_id, key, body)

    def clear(self) -> None:
        self._bodies.clear()

    def __len__(self) -> int:
        return len(self._bodies)


@dataclass(frozen=True)
class Rendered:
    """A rendered body, with the holes each answer fills afresh (an HTML form's CSRF token and
    idempotency keys): ``parts`` has one more item than ``holes``. ``etag``: of a body without
    holes."""

    parts: tuple[bytes, ...]
    holes: tuple[str, ...] = ()
    etag: str = ""


PAGES: RenderedPages[Rendered] = RenderedPages()
