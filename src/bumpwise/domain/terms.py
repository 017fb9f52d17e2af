"""Vocabulary entries from the knowledge data: sources, conditions, warning signs, symptoms."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from bumpwise.domain.exercise import Strict, Text
from bumpwise.domain.vocab import ConditionClass, StageKind

TermId = Annotated[str, Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]


class Source(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z0-9]+$")]
    title: Text
    publisher: Text
    year: str
    url: str


class Term(Strict):
    """A public vocabulary id with its plain-language name and description."""

    id: TermId
    name: Annotated[str, Field(min_length=3, max_length=120)]
    description: Text


class Condition(Term):
    condition_class: ConditionClass = Field(alias="class")
    applies_to: list[StageKind] = Field(default_factory=lambda: list(StageKind))
    aliases: list[TermId] = Field(default_factory=list)


class WarningSign(Term):
    what_to_do: Text


class StagedTerm(Term):
    """A term that is only asked about in the stages it can happen in (a warning sign)."""

    applies_to: list[StageKind] = Field(default_factory=lambda: list(StageKind))


class Symptom(Term):
    pass


class EquipmentTerm(Term):
    pass


class RunningTest(Term):
    group: Annotated[str, Field(pattern=r"^(load_and_impact|strength)$")]
    dose: Text
