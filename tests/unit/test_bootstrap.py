"""The composition root hands its parts on by name: the typed names are the dataclass's fields."""

from __future__ import annotations

from dataclasses import fields
from typing import get_type_hints

from bumpwise.bootstrap import Components, Parts


def test_the_parts_by_name_are_exactly_the_components_fields() -> None:
    assert list(get_type_hints(Parts)) == [field.name for field in fields(Components)]
