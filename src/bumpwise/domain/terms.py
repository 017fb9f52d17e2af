"""Vocabulary entries from the knowledge data: sources, conditions, warning signs, symptoms."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bumpwise.domain.exercise import Strict, Text
from bumpwise.domain.vocab import ConditionClass, Delivery, StageKind

TermId = Annotated[str, Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]


class Source(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z0-9]+$")]
    title: Text
    publisher: Text
    year: str
    url: Annotated[str, Field(pattern=r"^(https://|/)")]
    """A web address, or a path on this app (the design-choice pseudo-source: /rules)."""


class Term(Strict):
    """A public vocabulary id with its plain-language name and description."""

    id: TermId
    name: Annotated[str, Field(min_length=3, max_length=120)]
    description: Text


class Condition(Term):
    condition_class: ConditionClass = Field(alias="class")
    applies_to: list[StageKind] = Field(default_factory=lambda: list(StageKind))
    aliases: list[TermId] = Field(default_factory=list)


class Wording(Strict):
    """A term's name and description in the words of one stage."""

    name: Annotated[str, Field(min_length=3, max_length=120)]
    description: Text


class Reportable(Term):
    """A warning sign or symptom: the stages it can be reported at, and its wording for a stage
    where that differs from ``name``/``description`` (bleeding after birth is not bleeding in
    pregnancy)."""

    applies_to: list[StageKind] = Field(default_factory=lambda: list(StageKind), min_length=1)
    births: list[Delivery] = Field(default_factory=lambda: list(Delivery), min_length=1)
    """After the birth, the kinds of birth it can be reported after (a caesarean wound only
    after a caesarean); the default is both."""
    wording: dict[StageKind, Wording] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _births_only_after_birth(self) -> Reportable:
        if set(self.births) != set(Delivery) and StageKind.POSTPARTUM not in self.applies_to:
            raise ValueError("births narrows a term after the birth: applies_to must include postpartum")
        return self

    def applies(self, stage: StageKind, delivery: Delivery | None = None) -> bool:
        """Whether a person at ``stage`` (after a ``delivery``, when known) can report it."""
        if stage not in self.applies_to:
            return False
        return stage is not StageKind.POSTPARTUM or delivery is None or delivery in self.births

    def worded_for(self, stage: StageKind | None) -> Wording:
        if stage is not None and stage in self.wording:
            return self.wording[stage]
        return Wording(name=self.name, description=self.description)


class WarningSign(Reportable):
    pass


class Symptom(Reportable):
    pass


class EquipmentTerm(Term):
    pass


class RunningTest(Term):
    group: Annotated[str, Field(pattern=r"^(load_and_impact|strength)$")]
    dose: Text
