"""On PostgreSQL a session's reads before its first write run outside a transaction.

Under READ COMMITTED, the engine's level, each statement reads a snapshot of its own and a
plain select keeps no lock once it has run, so a transaction around a session's first reads
gives them nothing: it only adds a ``BEGIN`` before them and a ``COMMIT`` after, two of the
round trips of a member's page that reads and writes nothing (issue 18). So the session's
connection starts in autocommit, and the first statement that is not a plain select (an insert,
``SET LOCAL``, a savepoint, a select that locks) turns it back first: the transaction then holds
that statement and every later one until the commit, as before. A session's commit with nothing
written sends nothing.

Only where nothing asked for another level: a connection with an isolation level of its own
(an execution option), or a server whose default is not READ COMMITTED, keeps its transaction
from the first statement.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

READS_FIRST = "bumpwise.reads_first"
"""Key of a pooled connection's ``info``: True while its session has read and not yet written."""

_LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|set_config|pg_advisory", re.I)


def install(factory: sessionmaker[Session], engine: Engine) -> None:
    """For every session ``factory`` makes on ``engine``, when it is PostgreSQL's through psycopg 3
    (``db.normalise_url``; another driver keeps its transactions as it has them)."""
    if (engine.dialect.name, engine.dialect.driver) != ("postgresql", "psycopg"):
        return
    event.listen(factory, "after_begin", _read_outside_transaction)
    for name, listener in (
        ("before_cursor_execute", _transaction_before_write),
        ("checkin", _transactions_again),
    ):
        if not event.contains(engine, name, listener):  # one engine, many factories (tests)
            event.listen(engine, name, listener)


@lru_cache(maxsize=1024)  # a few hundred statements, each compiled once: the same strings
def plain_read(statement: str) -> bool:
    """Whether ``statement`` is a select that neither locks nor sets anything for its transaction."""
    return statement.lstrip()[:6].upper() == "SELECT" and _LOCKING.search(statement) is None


def _read_outside_transaction(
    _session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    if "isolation_level" in connection.get_execution_options():
        return
    if connection.default_isolation_level != "READ COMMITTED":
        return
    driver: Any = connection.connection.driver_connection
    if driver.info.transaction_status == TransactionStatus.IDLE and not driver.autocommit:
        driver.autocommit = True
        connection.info[READS_FIRST] = True


def _transaction_before_write(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    info = connection.info
    if info.get(READS_FIRST) and not plain_read(statement):
        info[READS_FIRST] = False
        driver: Any = connection.connection.driver_connection
        driver.autocommit = False  # psycopg sends BEGIN with this statement


def _transactions_again(dbapi_connection: Any, record: Any) -> None:
    """A connection back in the pool: in a transaction from its first statement again, for
    whoever takes it next outside a session (the pool's reset has ended any transaction)."""
    if record.info.pop(READS_FIRST, None) and dbapi_connection is not None and not dbapi_connection.closed:
        dbapi_connection.autocommit = False
