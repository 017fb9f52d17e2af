"""Validate request data into typed inputs; any failure becomes one ``InputError`` naming the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from bumpwise.domain.errors import InputError
from bumpwise.domain.validation import first_error

ModelT = TypeVar("ModelT", bound=BaseModel)


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


def validated(model: type[ModelT], data: Any) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        field, message, allowed = first_error(exc, model)
        raise InputError(field, message, allowed) from exc
