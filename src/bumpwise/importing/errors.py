"""Turn a pydantic failure in one imported entry into one ImportFormatError naming the field."""

from __future__ import annotations

from pydantic import ValidationError

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError
from bumpwise.domain.validation import as_catalog_id, field_path


def entry_error(error: ValidationError, where: str) -> ImportFormatError:
    """``where`` locates the entry (``[12] (id 'Ab_Roller')``); the field path follows it."""
    detail = error.errors(include_url=False)[0]
    field = field_path(tuple(detail.get("loc", ())))
    location = f"{where}.{field}" if field else where
    kind = detail.get("type")
    ctx = detail.get("ctx") or {}
    allowed: list[str] = []
    if kind in ("literal_error", "enum"):
        allowed = _expected_values(str(ctx.get("expected", "")))
        return ImportFormatError(
            location,
            N_("%(value)s is not one of the allowed values"),
            allowed,
            values={"value": repr(detail.get("input"))},
        )
    if kind == "missing":
        return ImportFormatError(location, N_("is required"))
    if kind == "extra_forbidden":
        return ImportFormatError(location, N_("is not a field of this format"))
    template, values = as_catalog_id(str(detail.get("msg", "is not valid")), ctx)
    return ImportFormatError(location, template, values=values)


def _expected_values(expected: str) -> list[str]:
    """pydantic's ``"'a', 'b' or 'c'"`` → ``['a', 'b', 'c']``."""
    parts = expected.replace(" or ", ", ").split(",")
    return [part.strip().strip("'\"") for part in parts if part.strip()]
