"""The request's caller and its view version in one read, without a unit of work: the key of a
member's page kept rendered (services/rendered.py). A connection from the pool runs one prepared
statement; no ORM session is opened and no entity loaded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy import Row as SqlRow

from bumpwise.persistence.models import User
from bumpwise.persistence.repositories.accounts import SESSION_CALLER, TOKEN_CALLER

TokenViewCaller = SqlRow[int, datetime, datetime | None, int, str, str, str, str | None, int]
SessionViewCaller = SqlRow[datetime, int, str, str, str, str | None, int]
TOKEN_VIEW_CALLER = TOKEN_CALLER.add_columns(User.view_version)
SESSION_VIEW_CALLER = SESSION_CALLER.add_columns(User.view_version)


class CallerReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def blocks_long(self) -> bool:
        """Whether a read may wait on the network (a server database), rather than a local file."""
        return self.engine.dialect.name != "sqlite"

    def by_token(self, token_hash: str) -> TokenViewCaller | None:
        """``AccountRepository.token_caller`` plus the owner's view version."""
        with self.engine.connect() as connection:
            return connection.execute(TOKEN_VIEW_CALLER, {"token_hash": token_hash}).first()

    def by_session(self, token_hash: str, now: datetime) -> SessionViewCaller | None:
        """``AccountRepository.session_caller`` plus the owner's view version."""
        with self.engine.connect() as connection:
            return connection.execute(SESSION_VIEW_CALLER, {"token_hash": token_hash, "now": now}).first()
