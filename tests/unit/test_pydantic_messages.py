"""pydantic's English messages that bumpwise translates (``domain.validation.PYDANTIC_MESSAGES``):
each is matched exactly from a real pydantic error, so the English answer never changes and the
Spanish one is the catalog's; a message pydantic words otherwise stays as pydantic wrote it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from bumpwise.domain.catalog import gettext
from bumpwise.domain.locale import language
from bumpwise.domain.validation import PYDANTIC_MESSAGES, as_catalog_id


class Inner(BaseModel):
    a: int = 0


class Sample(BaseModel):
    whole: int = 0
    real: float = 0
    flag: bool = False
    few: list[int] = Field(default=[], max_length=2)
    one: list[int] = Field(default=[], max_length=1)
    many: list[int] = Field(default=[], min_length=2)
    mapping: dict[str, int] = {}
    inner: Inner = Inner()
    day: date = date(2026, 1, 1)
    step: int = Field(default=0, multiple_of=5)
    code: str = Field(default="ab", pattern=r"^[a-z]+$")
    finite: float = Field(default=0, allow_inf_nan=False)


CASES: list[tuple[dict[str, Any], str]] = [
    ({"whole": "x"}, "debe ser un número entero; el texto no se puede leer como número entero"),
    ({"whole": 1.5}, "debe ser un número entero, sin decimales"),
    ({"real": "x"}, "debe ser un número; el texto no se puede leer como número"),
    ({"flag": "maybe"}, "debe ser true o false; no se entiende el valor"),
    ({"few": [1, 2, 3]}, "la lista debe tener como máximo 2 elementos, no 3"),
    ({"one": [1, 2]}, "la lista debe tener como máximo 1 elemento, no 2"),
    ({"many": [1]}, "la lista debe tener al menos 2 elementos, no 1"),
    ({"mapping": 3}, "debe ser un objeto JSON"),
    ({"inner": 3}, "debe ser un objeto JSON (Inner)"),
    ({"day": [1]}, "debe ser una fecha"),
    ({"step": 3}, "debe ser múltiplo de 5"),
    ({"code": "A1"}, "debe seguir el patrón '^[a-z]+$'"),
    ({"finite": float("inf")}, "debe ser un número finito"),
]


@pytest.mark.parametrize(("data", "spanish"), CASES)
def test_a_pydantic_message_is_a_catalog_id_and_reads_in_spanish(data: dict[str, Any], spanish: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    detail = caught.value.errors(include_url=False)[0]
    template, values = as_catalog_id(detail["msg"], detail.get("ctx") or {})
    assert template in PYDANTIC_MESSAGES
    assert template % values == detail["msg"]  # English unchanged
    with language("es"):
        assert gettext(template, **values) == spanish


def test_a_message_worded_otherwise_stays_as_pydantic_wrote_it() -> None:
    assert as_catalog_id("Input should be a valid date or datetime, input is too short", {}) == (
        "Input should be a valid date or datetime, input is too short",
        {},
    )
