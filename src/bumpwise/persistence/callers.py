"""The request's caller and its view version in one read, without a unit of work: the key of a
member's page kept rendered (services/rendered.py). No ORM session is opened and no entity loaded.

The read is kept to the bare driver: the statement is compiled once for the engine's dialect, its
parameters and results converted with the column types' own processors, on a connection from the
engine's pool (on SQLite about 55 µs, where SQLAlchemy's Core execution took about 105; it runs on
the event loop there, web/deps.read_caller). On PostgreSQL it runs in autocommit: one round trip
(about 0.3 ms here, where Core's BEGIN, SELECT and the pool's ROLLBACK took 0.56); a token's read
on the event loop's own async connections while the app runs (loop_connections), else in the
thread pool.

On PostgreSQL the read also records the token's use, or the browser session's activity, when
that is due, in the same statement: a member's first request in an hour (a page after a minute)
otherwise took the full check in a unit of work of its own (another connection; BEGIN, the read
again, the stamp, COMMIT), and at 100,000 members that cost a page not kept about 30 % of its
throughput (issue 18). On SQLite, whose read runs on the event loop, a write there would wait for
the database's write lock; it keeps the full check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CTE, Dialect, Engine, Select, bindparam, false, func, or_, select, update

from bumpwise.persistence.driver_sql import DriverStatement
from bumpwise.persistence.models import ApiToken, User, WebSession
from bumpwise.persistence.repositories.accounts import SESSION_CALLER, TOKEN_CALLER

if TYPE_CHECKING:
    from bumpwise.persistence.loop_connections import LoopConnections

TokenViewCaller = tuple[int, datetime, datetime | None, int, str, str, str, str | None, int, bool]
"""``AccountRepository.token_caller``'s row, the owner's view version, and whether this read
recorded the token's use (its ``last_used_at`` is the one it had before)."""
SessionViewCaller = tuple[datetime, int, str, str, str, str | None, int, bool]
"""``AccountRepository.session_caller``'s row, the owner's view version, and whether this read
recorded the session's activity (its ``last_seen_at`` is the one it had before)."""
TOKEN_VIEW_CALLER = TOKEN_CALLER.add_columns(User.view_version, false().label("stamped"))
SESSION_VIEW_CALLER = SESSION_CALLER.add_columns(User.view_version, false().label("stamped"))

_NOW = bindparam("now", type_=ApiToken.expires_at.type)
STAMPED = (
    update(ApiToken)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.expires_at > _NOW,
        or_(
            ApiToken.last_used_at.is_(None), ApiToken.last_used_at < bindparam("due_before", type_=_NOW.type)
        ),
    )
    .values(last_used_at=_NOW)
    .returning(ApiToken.id)
    .cte("stamped")
)
"""The token's use recorded when it is due: live, and last used before ``due_before``."""
SEEN = (
    update(WebSession)
    .where(
        WebSession.token_hash == bindparam("token_hash"),
        WebSession.expires_at > _NOW,
        WebSession.last_seen_at <= bindparam("due_before", type_=_NOW.type),
        WebSession.last_seen_at > bindparam("idle_before", type_=_NOW.type),
    )
    .values(last_seen_at=_NOW)
    .returning(WebSession.token_hash)
    .cte("stamped")
)
"""The session's activity recorded when it is due: live, seen at ``due_before`` or before, and
not idle (seen after ``idle_before``; an idle session is ended by the full check)."""
NOT_SYNCED = func.set_config("synchronous_commit", "off", True).label("not_synced")
"""For this statement's own transaction only (it runs in autocommit): its commit does not wait for
the WAL flush, as every other last-use stamp (``UnitOfWork.not_durable`` says why)."""


def _stamping(caller: Select[*tuple[Any, ...]], stamp: CTE) -> Select[Any]:
    """``caller`` with the owner's view version, and ``stamp`` run in the same statement."""
    stamped = select(func.count()).select_from(stamp).scalar_subquery().label("stamped")
    return caller.add_columns(User.view_version, stamped, NOT_SYNCED)


TOKEN_VIEW_CALLER_STAMPING = _stamping(TOKEN_CALLER, STAMPED)
SESSION_VIEW_CALLER_STAMPING = _stamping(SESSION_CALLER, SEEN)


class Prepared:
    """A select compiled once for a dialect, run on a bare DBAPI connection from the pool (on
    PostgreSQL in autocommit, so a stamping read's ``WITH … UPDATE`` commits with it)."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        self.statement = DriverStatement(statement, dialect)
        self.autocommit = dialect.name == "postgresql"

    def first(self, engine: Engine, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        values = self.statement.parameters(params)
        connection = engine.raw_connection()
        driver = connection.driver_connection if self.autocommit else None
        try:
            if driver is not None:  # one round trip instead of BEGIN, SELECT and the pool's ROLLBACK
                driver.autocommit = True
            cursor = connection.cursor()
            try:
                cursor.execute(self.statement.sql, values)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            if driver is not None:
                driver.autocommit = False
            connection.close()
        return self.statement.converted(row)

    async def first_on_the_loop(
        self, connections: LoopConnections, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """``first``, on one of the event loop's own connections (loop_connections), in autocommit."""
        async with connections.connection(autocommit=True) as connection:
            cursor = await connection.execute(self.statement.sql, self.statement.parameters(params))
            row = await cursor.fetchone()
        return self.statement.converted(row)


class CallerReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local = engine.dialect.name == "sqlite"
        self._token = Prepared(
            TOKEN_VIEW_CALLER if self.local else TOKEN_VIEW_CALLER_STAMPING, engine.dialect
        )
        self._session = Prepared(
            SESSION_VIEW_CALLER if self.local else SESSION_VIEW_CALLER_STAMPING, engine.dialect
        )

    @property
    def blocks_long(self) -> bool:
        """Whether a read may wait on the network (a server database), rather than a local file."""
        return not self.local

    def by_token(self, token_hash: str, now: datetime, due_before: datetime) -> TokenViewCaller | None:
        """``AccountRepository.token_caller`` plus the owner's view version and, on a server
        database, the token's use recorded at ``now`` when it is live and was last used before
        ``due_before`` (the row's last column says whether it was)."""
        params = {"token_hash": token_hash, "now": now, "due_before": due_before}
        return _with_stamped(self._token.first(self.engine, params), TOKEN_VIEW_CALLER)

    async def by_token_on_the_loop(
        self, connections: LoopConnections, token_hash: str, now: datetime, due_before: datetime
    ) -> TokenViewCaller | None:
        """``by_token`` on the event loop's own connections, for a server database."""
        params = {"token_hash": token_hash, "now": now, "due_before": due_before}
        found = await self._token.first_on_the_loop(connections, params)
        return _with_stamped(found, TOKEN_VIEW_CALLER)

    def by_session(
        self, token_hash: str, now: datetime, due_before: datetime, idle_before: datetime
    ) -> SessionViewCaller | None:
        """``AccountRepository.session_caller`` plus the owner's view version and, on a server
        database, the session's activity recorded at ``now`` when it was last seen at
        ``due_before`` or before but after ``idle_before`` (the row's last column says whether it
        was)."""
        params = {"token_hash": token_hash, "now": now, "due_before": due_before, "idle_before": idle_before}
        return _with_stamped(self._session.first(self.engine, params), SESSION_VIEW_CALLER)


def _with_stamped(found: tuple[Any, ...] | None, plain: Select[Any]) -> tuple[Any, ...] | None:
    """The row as ``plain``'s columns (a stamping read's setting dropped), ``stamped`` a bool."""
    if found is None:
        return None
    *caller, stamped = found[: len(plain.selected_columns)]
    return (*caller, bool(stamped))
