"""Turn bad input into one clear message naming the field (and the allowed values)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bumpwise.domain.errors import InputError

ModelT = TypeVar("ModelT", bound=BaseModel)


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


def fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the (nested) model that holds ``loc``'s last part."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = field.annotation
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def first_error(error: ValidationError, model: type[BaseModel] | None = None) -> tuple[str, str, list[str]]:
    """The first problem as (field, message, allowed values when the type is a closed set)."""
    detail: Mapping[str, Any] = error.errors(include_url=False)[0]
    field = field_path(tuple(detail.get("loc", ())))
    message = str(detail.get("msg", "is not valid")).removeprefix("Value error, ")
    allowed: list[str] = []
    ctx = detail.get("ctx") or {}
    expected = ctx.get("expected")
    if detail.get("type") == "enum" and isinstance(expected, str):
        allowed = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        message = f"{detail.get('input')!r} is not one of the allowed values"
    elif detail.get("type") == "extra_forbidden":
        message = "is not a known field"
        allowed = fields_at(model, tuple(detail.get("loc", ()))) if model else []
    elif detail.get("type") == "missing":
        message = "is required"
    return field, message, allowed


def json_object(text: str, what: str) -> dict[str, object]:
    """Parse ``text`` as a JSON object, or raise InputError saying what was wrong with the ``what``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("", f"the {what} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    return require_object(data, what)


def require_object(data: object, what: str) -> dict[str, object]:
    """``data`` if it is a JSON object (its keys are text), else an InputError."""
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise InputError("", f"the {what} must be a JSON object")
    return data


def validate_input(model: type[ModelT], data: Any, what: str, default_field: str = "") -> ModelT:
    """Validate user input; the first problem becomes an InputError naming the field."""
    try:
        return model.model_validate(require_object(data, what))
    except ValidationError as exc:
        field, message, allowed = first_error(exc, model)
        raise InputError(field or default_field, message, allowed) from exc
