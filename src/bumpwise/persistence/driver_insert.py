"""An insert run on the database driver's own cursor, inside the session's transaction: for the
hottest write (a session log), where SQLAlchemy's execution costs more than the insert.

Only for a table whose view-version bump the database does itself (``view_versions``: its
triggers bump in the same transaction, whatever wrote the row) or that no kept page reads: a row
written around the session skips the session's hooks, so on any other table it would leave a
member's kept page stale. ``DriverInsert`` refuses such a table when it is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Column, ColumnDefault, Connection, Dialect, Table, insert
from sqlalchemy.orm import Session

from bumpwise.persistence.deferred_inserts import KEYS_OF_TABLES, Deferred, deferred_of
from bumpwise.persistence.driver_sql import DriverStatement
from bumpwise.persistence.view_versions import LEFT_TO_OTHERS


class DriverInsert:
    """``DriverInsert(table).run(connection, values)`` inserts one row and returns its id;
    ``in_session`` does it in a session's transaction, or holds it back (deferred_inserts)."""

    def __init__(self, table: Table) -> None:
        if table.name not in LEFT_TO_OTHERS:
            raise ValueError(
                f"{table.name} is not bumped by the database's triggers: a row written around the"
                " session would leave kept pages stale"
            )
        (key,) = table.primary_key.columns
        self._key = key.key
        self._statement = insert(table).returning(key)
        self._plain = insert(table)
        self._defaults = {c.key: _default_of(c) for c in table.columns if c.default is not None}
        self._compiled: dict[tuple[bool, str, tuple[str, ...]], DriverStatement] = {}
        KEYS_OF_TABLES[table.name] = key.name

    def in_session(self, session: Session, values: Mapping[str, Any]) -> int:
        """``run`` on the session's connection; or, where the session holds its inserts back
        (deferred_inserts: a batch on the event loop), held back with a reserved id."""
        deferred = deferred_of(session)
        if deferred is None:
            return self.run(session.connection(), values)
        return self.defer(deferred, values)

    def defer(self, deferred: Deferred, values: Mapping[str, Any]) -> int:
        """Hold the insert back in ``deferred``, with its key taken from the reserved ids, and
        return that key."""
        new_id = deferred.reserved.take(self._plain.table.name)
        values = {**self._with_defaults(values), self._key: new_id}
        statement = self._compiled_for(deferred.dialect, tuple(values), returning=False)
        deferred.rows.append((statement.sql, statement.parameters(values)))
        return new_id

    def run(self, connection: Connection, values: Mapping[str, Any]) -> int:
        """Insert ``values`` (by column key; a column left out takes its default) on the driver's
        cursor of ``connection``, in its transaction."""
        values = self._with_defaults(values)
        row = self._compiled_for(connection.dialect, tuple(values)).first_on(connection, values)
        assert row is not None  # an insert returning its key gives one row
        return int(row[0])

    def _with_defaults(self, values: Mapping[str, Any]) -> Mapping[str, Any]:
        """``values`` and, for each column left out that has a default of SQLAlchemy's (a value, or
        a function such as ``list``), that default, as SQLAlchemy's own insert fills it in."""
        missing = [(name, make) for name, make in self._defaults.items() if name not in values]
        if not missing:
            return values
        return {**values, **{name: make() for name, make in missing}}

    def _compiled_for(
        self, dialect: Dialect, names: tuple[str, ...], *, returning: bool = True
    ) -> DriverStatement:
        """The insert of ``names`` for ``dialect``, returning its key or not, compiled once."""
        key = (returning, dialect.name, names)
        found = self._compiled.get(key)
        if found is None:
            statement = self._statement if returning else self._plain
            found = self._compiled[key] = DriverStatement(statement, dialect, names)
        return found


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    default = column.default
    if not isinstance(default, ColumnDefault) or not (default.is_scalar or default.is_callable):
        raise ValueError(f"{column.key}: only a value or a function is supported as a default")
    if default.is_callable:
        return lambda: default.arg(None)  # SQLAlchemy wraps a function to take an execution context
    return lambda: default.arg
