"""Every write that can change what an account's owner sees bumps ``users.view_version`` in the same
transaction, so a page kept rendered per process under the version it was read with is never
served after such a write (services/rendered.py).

Generic, so no write path can forget it: session events look at every row the session inserts,
updates or deletes (flushed objects and ``insert``/``update``/``delete`` statements alike) and
note the account ids from the row's columns that refer to ``users.id`` (or the id of a ``users``
row itself); the bump is the transaction's last statement, just before it commits (a rollback
forgets what was noted). A row of a coach (a library exercise, an article, a page, the coach's
own account) also bumps the members who granted that coach or were shared one of its articles.
Only the tables in ``UNSEEN`` are left out: no page kept rendered reads them, and the token and
session checks (which read them on every request) are never cached. The tables in
``BUMPED_BY_DATABASE`` are left to the database: its triggers bump for every write to them, in the
same transaction, so their rows may be written on the driver's connection, around the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import BindParameter, Column, Dialect, Table, bindparam, event, inspect, select, union, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.sql.dml import Delete, Insert, Update

from bumpwise.persistence.base import Base

UNSEEN = frozenset(
    {
        "web_sessions",  # checked on every request, never from a cache; touched on reads
        "api_tokens",  # the same
        "login_attempts",
        "rate_limit_hits",
        "password_resets",
        "idempotent_requests",
        "audit_entries",  # written when a coach reads a client
        "mail_sent",
    }
)
"""Tables no page kept rendered depends on (a write to any other table bumps)."""
BUMPED_BY_DATABASE = frozenset({"session_logs"})
"""Tables whose writes the database's own triggers bump for (migration 0019), hooks or not."""
LEFT_TO_OTHERS = UNSEEN | BUMPED_BY_DATABASE
PENDING = "view_versions.pending"
"""``Session.info`` key: the accounts to bump when the transaction commits."""


@cache
def account_columns(table: Table) -> tuple[Column[Any], ...]:
    """The columns of ``table`` that name an account: its foreign keys to ``users.id``, or the id
    of a ``users`` row. Worked out once per table: every write statement and flush asks."""
    if table.name == "users":
        return (table.c.id,)
    return tuple(c for c in table.columns if any(fk.column.table.name == "users" for fk in c.foreign_keys))


def install(factory: sessionmaker[Session]) -> None:
    """Bump view versions for every session ``factory`` makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _before_statement)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _transaction_ended)


@cache
def _statements() -> tuple[Any, Any]:
    """Built once (composing them costs more than running them): the accounts ``:ids`` and the
    members linked to any coach among them, read and bumped."""
    users, tables = Base.metadata.tables["users"], Base.metadata.tables
    grants, shares = tables["coach_grants"], tables["article_shares"]
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    # One set of ids, not three conditions joined by OR: PostgreSQL answers an OR of IN
    # subqueries by scanning every user (9-28 ms at 100,000 members, on every write); the union
    # is three index scans and a join on the primary key (0.05 ms).
    accounts = union(
        select(users.c.id).where(users.c.id.in_(ids)),
        select(grants.c.member_id).where(grants.c.coach_id.in_(ids)),
        select(shares.c.member_id).where(shares.c.coach_id.in_(ids)),
    )
    linked = users.c.id.in_(accounts)
    read = select(users.c.id).where(linked)
    bumped = update(users).where(linked).values(view_version=users.c.view_version + 1)
    return read, bumped


def _pending(session: Session) -> set[int]:
    found: set[int] = session.info.setdefault(PENDING, set())
    return found


def _note(session: Session, user_ids: Iterable[int]) -> None:
    _pending(session).update(int(i) for i in user_ids if i is not None)


def _before_commit(session: Session) -> None:
    """Bump, last in the transaction (row locks on ``users`` are held for the shortest time):
    what is still to flush first, then every account noted and the members linked to them."""
    session.flush()
    ids = sorted(_pending(session))
    if not ids:
        return
    session.connection().execute(_statements()[1], {"ids": ids})
    _forget(session)  # a flush after this (none is expected) notes afresh


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended (committed, rolled back or closed): what it noted goes. A
    savepoint rolled back keeps it (over-bumping costs a render; forgetting would serve stale)."""
    if transaction.parent is None and not transaction.nested:
        _forget(session)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Rows about to be deleted, with the members linked to them read now, while the links still
    exist: a coach's account deleted takes its grants with it (``ON DELETE CASCADE``)."""
    ids = sorted(_accounts_of(session.deleted))
    if ids:
        _note(session, session.connection().execute(_statements()[0], {"ids": ids}).scalars())


def _after_flush(session: Session, _context: object) -> None:
    """Rows written (and any deleted by a cascade of the ORM's own), with their stored values."""
    _note(session, _accounts_of((*session.new, *session.dirty, *session.deleted)))


def _accounts_of(rows: Iterable[object]) -> set[int]:
    ids: set[int] = set()
    for row in rows:
        if isinstance(row, Base):
            ids.update(_accounts_of_row(row))
    return ids


def _accounts_of_row(row: Base) -> set[int]:
    state = inspect(row)
    table = state.mapper.local_table
    if not isinstance(table, Table) or table.name in LEFT_TO_OTHERS:
        return set()
    found: set[int] = set()
    for column in account_columns(table):
        attribute = state.mapper.get_property_by_column(column).key
        history = get_history(row, attribute)
        found.update(v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None)
    return found


def _before_statement(state: ORMExecuteState) -> None:
    """An ``insert``, ``update`` or ``delete`` sent as a statement: the accounts of the rows it
    matches (read first, with the same condition) and of the values it writes."""
    statement = state.statement
    if not isinstance(statement, Insert | Update | Delete):
        return
    table = statement.table
    if not isinstance(table, Table) or table.name in LEFT_TO_OTHERS:
        return
    columns = account_columns(table)
    if not columns:
        return
    ids = _written_values(statement, state, columns)
    if not isinstance(statement, Insert):
        matched = select(*columns)
        if statement.whereclause is not None:
            matched = matched.where(statement.whereclause)
        for params in _parameter_sets(state.parameters):
            for row in state.session.connection().execute(matched, params):
                ids.update(v for v in row if v is not None)
    _note(state.session, ids)


def _parameter_sets(parameters: object) -> list[Mapping[str, Any] | None]:
    if isinstance(parameters, Mapping):
        return [parameters]
    if isinstance(parameters, list) and parameters:
        return [p for p in parameters if isinstance(p, Mapping)]
    return [None]


@lru_cache(maxsize=256)
def _embedded_values(statement: Insert | Update | Delete, dialect: Dialect) -> Mapping[str, Any]:
    """The values written into the statement itself (``.values(...)``). Statements are immutable,
    so one built once (a prepared insert) is compiled for this once, not on every run."""
    values: Mapping[str, Any] = statement.compile(dialect=dialect).params
    return values


def _written_values(
    statement: Insert | Update | Delete, state: ORMExecuteState, columns: tuple[Column[Any], ...]
) -> set[int]:
    names = {c.key for c in columns}
    rows: list[Mapping[str, Any]] = [_embedded_values(statement, state.session.get_bind().dialect)]
    if isinstance(state.parameters, Mapping):
        rows.append(state.parameters)
    elif isinstance(state.parameters, list):
        rows.extend(p for p in state.parameters if isinstance(p, Mapping))
    return {int(v) for row in rows for k, v in row.items() if k in names and isinstance(v, int)}
