"""The request's caller and its view version in one read, without a unit of work: the key of a
member's page kept rendered (services/rendered.py). No ORM session is opened and no entity loaded.

The read is kept to the bare driver: the statement is compiled once for the engine's dialect, its
parameters and results converted with the column types' own processors, on a connection from the
engine's pool (on SQLite about 55 µs, where SQLAlchemy's Core execution took about 105; it runs on
the event loop there, web/deps.read_caller). On PostgreSQL it runs in the thread pool, in
autocommit: one round trip (about 0.3 ms here, where Core's BEGIN, SELECT and the pool's ROLLBACK
took 0.56).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Engine, Select

from bumpwise.persistence.driver_sql import DriverStatement
from bumpwise.persistence.models import User
from bumpwise.persistence.repositories.accounts import SESSION_CALLER, TOKEN_CALLER

TokenViewCaller = tuple[int, datetime, datetime | None, int, str, str, str, str | None, int]
SessionViewCaller = tuple[datetime, int, str, str, str, str | None, int]
TOKEN_VIEW_CALLER = TOKEN_CALLER.add_columns(User.view_version)
SESSION_VIEW_CALLER = SESSION_CALLER.add_columns(User.view_version)


class Prepared:
    """A select compiled once for a dialect, run on a bare DBAPI connection from the pool."""

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


class CallerReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local = engine.dialect.name == "sqlite"
        self._token = Prepared(TOKEN_VIEW_CALLER, engine.dialect)
        self._session = Prepared(SESSION_VIEW_CALLER, engine.dialect)

    @property
    def blocks_long(self) -> bool:
        """Whether a read may wait on the network (a server database), rather than a local file."""
        return not self.local

    def by_token(self, token_hash: str) -> TokenViewCaller | None:
        """``AccountRepository.token_caller`` plus the owner's view version."""
        return self._token.first(self.engine, {"token_hash": token_hash})

    def by_session(self, token_hash: str, now: datetime) -> SessionViewCaller | None:
        """``AccountRepository.session_caller`` plus the owner's view version."""
        return self._session.first(self.engine, {"token_hash": token_hash, "now": now})
