"""A statement compiled by SQLAlchemy once for a dialect, to be run on the database driver's own
cursor: its SQL text, and its parameters converted with the column types' own bind processors
(JSON as text, a datetime in SQLite's text form), as SQLAlchemy would send them; a select's row
converted back with the result processors. For the hottest statements, where SQLAlchemy's
execution costs more than the statement."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import ReturnsRows

Convert = Callable[[Any], Any] | None


class DriverStatement:
    """``statement`` compiled for ``dialect`` (an insert for ``column_keys`` only, if given): a
    select, or an insert returning its key."""

    def __init__(
        self, statement: ReturnsRows, dialect: Dialect, column_keys: Sequence[str] | None = None
    ) -> None:
        compiled = statement.compile(
            dialect=dialect, column_keys=None if column_keys is None else list(column_keys)
        )
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {statement!r}")
        self.sql = compiled.string
        self.positional = compiled.positiontup is not None
        names = compiled.positiontup if compiled.positiontup is not None else list(compiled.binds)
        self.binds: list[tuple[str, Convert]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        ]
        self.results: list[Convert] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.exported_columns
        ]

    def parameters(self, values: Mapping[str, Any]) -> Any:
        """``values`` (by bind name) converted, in the driver's parameter style."""
        converted = [
            (name, values[name] if convert is None else convert(values[name])) for name, convert in self.binds
        ]
        return [value for _, value in converted] if self.positional else dict(converted)

    def first_on(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The statement's first row (converted), run on the driver's cursor of ``connection``, in
        its transaction. The engine's listeners see the statement (the scale bench explains it;
        tests count statements)."""
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        parameters = self.parameters(values)
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            listeners(connection, cursor, self.sql, parameters, None, False)
        try:
            cursor.execute(self.sql, parameters)
            return self.converted(cursor.fetchone())
        finally:
            cursor.close()

    def converted(self, row: Sequence[Any] | None) -> tuple[Any, ...] | None:
        """A row as SQLAlchemy would give it."""
        if row is None:
            return None
        pairs = zip(self.results, row, strict=True)
        return tuple(v if convert is None else convert(v) for convert, v in pairs)


class DriverSelect:
    """A select run on the driver's cursor of the connection it is given (a session's, inside its
    transaction), compiled once for each dialect. Only a select: a write around the session would
    skip its view-version hooks (``driver_insert`` is the one way, for the tables it allows)."""

    def __init__(self, statement: ClauseElement) -> None:
        if not isinstance(statement, Select):
            raise TypeError(f"only a select runs around the session: {statement!r}")
        self._statement = statement
        self._compiled: dict[str, DriverStatement] = {}

    def first(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = DriverStatement(self._statement, dialect)
        return compiled.first_on(connection, values)
