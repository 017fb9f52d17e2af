"""Turn a pydantic failure in one imported entry into one ImportFormatError naming the field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bumpwise.domain.errors import ImportFormatError
from bumpwise.domain.validation import field_path


def entry_error(error: ValidationError, where: str) -> ImportFormatError:
    """``where`` locates the entry (``[12] (id 'Ab_Roller')``); the field path follows it."""
    detail: dict[str, Any] = dict(error.errors(include_url=False)[0])
    field = field_path(tuple(detail.get("loc", ())))
    location = f"{where}.{field}" if field else where
    kind = detail.get("type")
    ctx = detail.get("ctx") or {}
    allowed: list[str] = []
    message = str(detail.get("msg", "is not valid"))
    if kind in ("literal_error", "enum"):
        allowed = _expected_values(str(ctx.get("expected", "")))
        message = f"{detail.get('input')!r} is not one of the allowed values"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "is not a field of this format"
    return ImportFormatError(location, message, allowed)


def _expected_values(expected: str) -> list[str]:
    """pydantic's ``"'a', 'b' or 'c'"`` → ``['a', 'b', 'c']``."""
    parts = expected.replace(" or ", ", ").split(",")
    return [part.strip().strip("'\"") for part in parts if part.strip()]
