"""A statement compiled by SQLAlchemy once for a dialect, to be run on the database driver's own
cursor: its SQL text, and its parameters converted with the column types' own bind processors
(JSON as text, a datetime in SQLite's text form), as SQLAlchemy would send them. For the hottest
statements, where SQLAlchemy's execution costs more than the statement."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Convert = Callable[[Any], Any] | None


class DriverStatement:
    """``statement`` compiled for ``dialect`` (an insert for ``column_keys`` only, if given)."""

    def __init__(
        self, statement: ClauseElement, dialect: Dialect, column_keys: Sequence[str] | None = None
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

    def parameters(self, values: Mapping[str, Any]) -> Any:
        """``values`` (by bind name) converted, in the driver's parameter style."""
        converted = [
            (name, values[name] if convert is None else convert(values[name])) for name, convert in self.binds
        ]
        return [value for _, value in converted] if self.positional else dict(converted)
