"""Turn pydantic validation failures into one clear message naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("conditions", 1)`` → ``conditions[1]``; ``("stage", "week")`` → ``stage.week``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "function-before", "function-wrap") or "[" in str(part):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def first_error(error: ValidationError) -> tuple[str, str, list[str]]:
    """The first problem as (field, message, allowed values when the type is a closed set)."""
    detail: Mapping[str, Any] = error.errors(include_url=False)[0]
    field = field_path(tuple(detail.get("loc", ())))
    message = str(detail.get("msg", "is not valid"))
    allowed: list[str] = []
    ctx = detail.get("ctx") or {}
    expected = ctx.get("expected")
    if detail.get("type") == "enum" and isinstance(expected, str):
        allowed = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        message = f"{detail.get('input')!r} is not one of the allowed values"
    elif detail.get("type") == "extra_forbidden":
        message = "is not a known field"
    elif detail.get("type") == "missing":
        message = "is required"
    return field, message, allowed
