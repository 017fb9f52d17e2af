"""Integer path and query parameters, bounded once. An id or offset past what the narrowest
integer column holds (PostgreSQL's 4-byte integer, 2^31 - 1; SQLite overflows at 2^63) is a 422
naming the parameter, before it reaches the database."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval

MAX_COLUMN_INT = 2**31 - 1

RowId = Annotated[int, Interval(ge=1, le=MAX_COLUMN_INT)]
Offset = Annotated[int, Interval(ge=0, le=MAX_COLUMN_INT)]
