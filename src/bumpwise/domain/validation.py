"""Turn bad input into one clear message naming the field (and the allowed values)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bumpwise.domain.catalog import N_
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


PYDANTIC_MESSAGES = (
    N_("Input should be less than or equal to %(le)s"),
    N_("Input should be greater than or equal to %(ge)s"),
    N_("Input should be less than %(lt)s"),
    N_("Input should be greater than %(gt)s"),
    N_("Input should be a valid integer"),
    N_("Input should be a valid string"),
    N_("Input should be a valid boolean"),
    N_("Input should be a valid list"),
    N_("Input should be a valid number"),
    N_("String should have at most %(max_length)s characters"),
    N_("String should have at least %(min_length)s characters"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be a finite number"),
    N_("Input should be a valid dictionary"),
    N_("Input should be a valid dictionary or instance of %(class_name)s"),
    N_("Input should be a valid date"),
    N_("Input should be a multiple of %(multiple_of)s"),
    N_("List should have at most %(max_length)s items after validation, not %(actual_length)s"),
    N_("List should have at most %(max_length)s item after validation, not %(actual_length)s"),
    N_("List should have at least %(min_length)s items after validation, not %(actual_length)s"),
    N_("List should have at least %(min_length)s item after validation, not %(actual_length)s"),
    N_("String should match pattern '%(pattern)s'"),
)
"""pydantic's commonest messages as catalog ids: used only where one, filled from the error's
context, is exactly pydantic's English message (so the English answer never changes)."""
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def as_catalog_id(message: str, ctx: Mapping[str, Any]) -> tuple[str, dict[str, object]]:
    for template in PYDANTIC_MESSAGES:
        values = {name: ctx.get(name) for name in PLACEHOLDER.findall(template)}
        if None not in values.values() and template % values == message:
            return template, dict(values)
    return message, {}


def first_error(error: ValidationError, model: type[BaseModel] | None = None) -> tuple[str, str, list[str]]:
    """The first problem as (field, message, allowed values when the type is a closed set)."""
    field, message, values, allowed = first_problem(error, model)
    return field, message % values if values else message, allowed


def first_problem(
    error: ValidationError, model: type[BaseModel] | None = None
) -> tuple[str, str, dict[str, object], list[str]]:
    """``first_error`` with the message as a catalog id and its values, to be translated."""
    values: dict[str, object] = {}
    detail: Mapping[str, Any] = error.errors(include_url=False)[0]
    field = field_path(tuple(detail.get("loc", ())))
    message = str(detail.get("msg", "is not valid")).removeprefix("Value error, ")
    allowed: list[str] = []
    ctx = detail.get("ctx") or {}
    message, values = as_catalog_id(message, ctx)
    expected = ctx.get("expected")
    if detail.get("type") == "enum" and isinstance(expected, str):
        allowed = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        message = N_("%(value)s is not one of the allowed values")
        values = {"value": repr(detail.get("input"))}
    elif detail.get("type") == "extra_forbidden":
        message = N_("is not a known field")
        allowed = fields_at(model, tuple(detail.get("loc", ()))) if model else []
    elif detail.get("type") == "missing":
        message = N_("is required")
    return field, message, values, allowed


def json_object(text: str, what: str) -> dict[str, object]:
    """Parse ``text`` as a JSON object, or raise InputError saying what was wrong with the ``what``
    (a catalog id: ``N_("profile")``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "",
            N_("the %(what)s is not valid JSON: %(problem)s at line %(line)s"),
            values={"what": what, "problem": exc.msg, "line": exc.lineno},
            translate=("what",),
        ) from exc
    return require_object(data, what)


def require_object(data: object, what: str) -> dict[str, object]:
    """``data`` if it is a JSON object (its keys are text), else an InputError."""
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise InputError(
            "", N_("the %(what)s must be a JSON object"), values={"what": what}, translate=("what",)
        )
    return data


def validate_input(model: type[ModelT], data: Any, what: str, default_field: str = "") -> ModelT:
    """Validate user input; the first problem becomes an InputError naming the field."""
    try:
        return model.model_validate(require_object(data, what))
    except ValidationError as exc:
        field, message, values, allowed = first_problem(exc, model)
        raise InputError(field or default_field, message, allowed, values=values) from exc
