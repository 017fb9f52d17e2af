"""The request's caller and its view version in one read, without a unit of work: the key of a
member's page kept rendered (services/rendered.py). No ORM session is opened and no entity loaded.

On SQLite the read runs on the event loop (web/hot.py), so it is kept to the bare driver: the
statement is compiled once, its parameters and results converted with the column types' own
processors, on a connection from the engine's pool (about 35 µs, where SQLAlchemy's Core
execution took about 105). A server database gets Core's ordinary execution, in the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Engine, Select

from bumpwise.persistence.models import User
from bumpwise.persistence.repositories.accounts import SESSION_CALLER, TOKEN_CALLER

TokenViewCaller = tuple[int, datetime, datetime | None, int, str, str, str, str | None, int]
SessionViewCaller = tuple[datetime, int, str, str, str, str | None, int]
TOKEN_VIEW_CALLER = TOKEN_CALLER.add_columns(User.view_version)
SESSION_VIEW_CALLER = SESSION_CALLER.add_columns(User.view_version)
Convert = Callable[[Any], Any] | None


class Prepared:
    """A select compiled once for a positional driver (SQLite), run on a bare DBAPI connection."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        names = compiled.positiontup or []
        self.binds: list[tuple[str, Convert]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        ]
        self.results: list[Convert] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def first(self, engine: Engine, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        values = [params[name] if convert is None else convert(params[name]) for name, convert in self.binds]
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, values)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        if row is None:
            return None
        return tuple(
            v if convert is None else convert(v) for convert, v in zip(self.results, row, strict=True)
        )


class CallerReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local = engine.dialect.name == "sqlite"
        self._token = Prepared(TOKEN_VIEW_CALLER, engine.dialect) if self.local else None
        self._session = Prepared(SESSION_VIEW_CALLER, engine.dialect) if self.local else None

    @property
    def blocks_long(self) -> bool:
        """Whether a read may wait on the network (a server database), rather than a local file."""
        return not self.local

    def by_token(self, token_hash: str) -> TokenViewCaller | None:
        """``AccountRepository.token_caller`` plus the owner's view version."""
        return self._first(self._token, TOKEN_VIEW_CALLER, {"token_hash": token_hash})

    def by_session(self, token_hash: str, now: datetime) -> SessionViewCaller | None:
        """``AccountRepository.session_caller`` plus the owner's view version."""
        params = {"token_hash": token_hash, "now": now}
        return self._first(self._session, SESSION_VIEW_CALLER, params)

    def _first(
        self, prepared: Prepared | None, statement: Select[Any], params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        if prepared is not None:
            return prepared.first(self.engine, params)
        with self.engine.connect() as connection:
            found = connection.execute(statement, params).first()
        return None if found is None else tuple(found)
