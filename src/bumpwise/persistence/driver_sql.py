"""A statement compiled by SQLAlchemy once for a dialect, to be run on the database driver's own
cursor: its SQL text, and its parameters converted with the column types' own bind processors
(JSON as text, a datetime in SQLite's text form), as SQLAlchemy would send them; a select's row
converted back with the result processors. For the hottest statements, where SQLAlchemy's
execution costs more than the statement."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.orm import Session
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
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        names = compiled.positiontup if compiled.positiontup is not None else list(by_name)
        self.binds: list[tuple[str, str, Any, Convert]] = [
            (
                name,
                by_name[name].key,
                None if by_name[name].required else by_name[name].value,
                by_name[name].type.dialect_impl(dialect).bind_processor(dialect),
            )
            for name in names
        ]
        """Each parameter: its name in the SQL, its key in the values given, the value the statement
        holds itself (a literal limit) or None, and its conversion."""
        self.results: list[Convert] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.exported_columns
        ]

    def parameters(self, values: Mapping[str, Any]) -> Any:
        """``values`` (by bind key) and the statement's own literals, converted, in the driver's
        parameter style."""
        converted = [
            (name, _converted(values[key] if held is None else held, convert))
            for name, key, held, convert in self.binds
        ]
        return [value for _, value in converted] if self.positional else dict(converted)

    def first_on(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The statement's first row (converted), run on the driver's cursor of ``connection``, in
        its transaction. The engine's listeners see the statement (the scale bench explains it;
        tests count statements)."""
        rows = self._fetched(connection, values, lambda cursor: [cursor.fetchone()])
        return self.converted(rows[0])

    def all_on(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row of the statement (converted), run as ``first_on`` runs it."""
        rows = self._fetched(connection, values, lambda cursor: cursor.fetchall())
        return [self._converted(row) for row in rows]

    def _fetched(
        self, connection: Connection, values: Mapping[str, Any], fetch: Callable[[Any], list[Any]]
    ) -> list[Any]:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        parameters = self.parameters(values)
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            listeners(connection, cursor, self.sql, parameters, None, False)
        try:
            cursor.execute(self.sql, parameters)
            return fetch(cursor)
        finally:
            cursor.close()

    def converted(self, row: Sequence[Any] | None) -> tuple[Any, ...] | None:
        """A row as SQLAlchemy would give it."""
        return None if row is None else self._converted(row)

    def _converted(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(_converted(value, convert) for convert, value in zip(self.results, row, strict=True))


class DriverSelect:
    """A select run on the driver's cursor of a session's connection, inside its transaction,
    compiled once for each dialect. Only a select: a write around the session would
    skip its view-version hooks (``driver_insert`` is the one way, for the tables it allows)."""

    def __init__(self, statement: ClauseElement) -> None:
        if not isinstance(statement, Select):
            raise TypeError(f"only a select runs around the session: {statement!r}")
        self._statement = statement
        self._compiled: dict[str, DriverStatement] = {}

    def first(self, session: Session, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row, read on the session's connection in its transaction, after what is
        pending is flushed (as a query through the session would)."""
        connection = _flushed(session)
        return self._for(connection.dialect).first_on(connection, values)

    def all(self, session: Session, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, read as ``first`` reads."""
        connection = _flushed(session)
        return self._for(connection.dialect).all_on(connection, values)

    def _for(self, dialect: Dialect) -> DriverStatement:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = DriverStatement(self._statement, dialect)
        return compiled


def _flushed(session: Session) -> Connection:
    session.flush()
    return session.connection()


def _converted(value: Any, convert: Convert) -> Any:
    return value if convert is None else convert(value)
