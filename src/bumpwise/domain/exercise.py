"""The exercise as data: what it is, how it is done, and how it changes with the stage.

The safety attributes describe the movement as prescribed (design.md §4). A ``Variant`` is a
named way of doing the same exercise differently (reclined instead of supine, a shorter
supported lunge); rules either apply a variant by name or, when the plain exercise is
excluded, the engine tries the variants in order and re-checks each one's attributes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bumpwise.domain.catalog import _
from bumpwise.domain.vocab import (
    AbdominalPressure,
    Equipment,
    Impact,
    Load,
    Muscle,
    Pattern,
    Position,
    StageKind,
)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Key = Annotated[str, Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, Field(min_length=3, max_length=600)]

SAFETY_ATTRIBUTES: tuple[str, ...] = (
    "position",
    "asymmetric_lower_body",
    "wide_stance",
    "impact",
    "spinal_flexion",
    "load",
    "abdominal_pressure",
    "balance_demanding",
    "high_effort",
    "running",
    "presses_on_abdomen",
)
"""Attribute names a rule may match on, besides ``pattern`` and ``id``."""

LIBRARY_ORIGIN = "bumpwise"
"""The ``origin`` of the exercises of bumpwise's own library (an imported one says "imported")."""


class Strict(BaseModel):
    # defer_build: validators are built on first validation, so a cached knowledge base loads
    # without paying for models it never validates.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Cues(Strict):
    setup: list[Text] = Field(min_length=1)
    movement: list[Text] = Field(min_length=1)
    breath: list[Text] = Field(min_length=1)
    core_and_pelvic_floor: list[Text] = Field(min_length=1)


class Dose(Strict):
    """A default prescription. Exactly one of reps, hold_seconds or minutes says what a set is."""

    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=50)
    hold_seconds: int | None = Field(default=None, ge=1, le=600)
    minutes: int | None = Field(default=None, ge=1, le=90)
    per_side: bool = False
    rest_seconds: int = Field(default=60, ge=0, le=300)

    @model_validator(mode="after")
    def _one_measure(self) -> Dose:
        given = [m for m in (self.reps, self.hold_seconds, self.minutes) if m is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, hold_seconds or minutes")
        return self

    def describe(self) -> str:
        if self.minutes is not None:
            amount = _("%(minutes)s min", minutes=self.minutes)
        elif self.hold_seconds is not None:
            amount = _("%(seconds)s s hold", seconds=self.hold_seconds)
        else:
            amount = _("%(reps)s reps", reps=self.reps)
        if self.per_side:
            amount = _("%(amount)s each side", amount=amount)
        return _("%(sets)s × %(amount)s", sets=self.sets, amount=amount) if self.sets > 1 else amount


class CueChanges(Strict):
    """The cues a variant replaces, kind by kind; a kind left out keeps the exercise's cues."""

    setup: list[Text] | None = Field(default=None, min_length=1)
    movement: list[Text] | None = Field(default=None, min_length=1)
    breath: list[Text] | None = Field(default=None, min_length=1)
    core_and_pelvic_floor: list[Text] | None = Field(default=None, min_length=1)

    def applied_to(self, cues: Cues) -> Cues:
        # Most variants change no cue; skip the copy for them (this runs for every planned item).
        if not self.model_fields_set:
            return cues
        return cues.model_copy(update=self.model_dump(exclude_none=True))


class AttributeChanges(Strict):
    """The safety attributes a variant changes; unset fields keep the exercise's value."""

    position: Position | None = None
    asymmetric_lower_body: bool | None = None
    wide_stance: bool | None = None
    impact: Impact | None = None
    spinal_flexion: bool | None = None
    load: Load | None = None
    abdominal_pressure: AbdominalPressure | None = None
    balance_demanding: bool | None = None
    high_effort: bool | None = None
    running: bool | None = None
    presses_on_abdomen: bool | None = None


class Variant(Strict):
    """``summary`` and ``dose`` are the variant's own where the form changes (another position,
    stance or sidedness): the plain exercise's words and dose would contradict it."""

    key: Key
    name: Text
    summary: Text | None = None
    dose: Dose | None = None
    text: Text
    after_caesarean: Text | None = None
    """Added to ``text`` only after a caesarean birth (nobody else reads caesarean instructions)."""
    set: AttributeChanges = AttributeChanges()
    cues: CueChanges = CueChanges()
    equipment_any: list[Equipment] = Field(
        default_factory=list,
        description="One of these must be owned to do the variant; empty means nothing extra.",
    )
    applies_to: list[StageKind] = Field(default_factory=lambda: list(StageKind))

    @model_validator(mode="after")
    def _caesarean_words_after_birth(self) -> Variant:
        if self.after_caesarean and StageKind.POSTPARTUM not in self.applies_to:
            raise ValueError(f"{self.key}: after_caesarean needs applies_to to include postpartum")
        return self


class SafetyAttributes(Strict):
    """The attributes rules match on (design.md §4 and the ones the policies need), as prescribed.

    Shared by library exercises and imported ones, so both are judged by the same rules.
    """

    position: Position
    asymmetric_lower_body: bool
    wide_stance: bool
    impact: Impact
    spinal_flexion: bool
    load: Load
    abdominal_pressure: AbdominalPressure
    balance_demanding: bool
    high_effort: bool
    running: bool
    presses_on_abdomen: bool


class Attribution(Strict):
    """Where an exercise from another library came from, and on what terms (shown wherever it is)."""

    source: str = Field(min_length=1, max_length=40)
    source_id: str = Field(min_length=1, max_length=200)
    licence: str = Field(min_length=1, max_length=200)
    licence_url: str | None = None
    author: str = Field(min_length=1, max_length=2000)

    def line(self) -> str:
        """The attribution in one sentence, for a member (the player, a calendar event)."""
        if self.source == "coach":
            return _("From your coach's library: written by %(author)s.") % {"author": self.author}
        licence = f"{self.licence} ({self.licence_url})" if self.licence_url else self.licence
        line = _(
            "From your coach's library: %(source)s exercise %(number)s by %(author)s, licence %(licence)s."
        )
        return line % {
            "source": self.source,
            "number": self.source_id,
            "author": self.author,
            "licence": licence,
        }


class Exercise(SafetyAttributes):
    id: Slug
    name: Annotated[str, Field(min_length=3, max_length=80)]
    summary: Text
    pattern: Pattern
    primary_muscles: list[Muscle] = Field(min_length=1)
    secondary_muscles: list[Muscle] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)
    balance_demanding: bool = False
    high_effort: bool = False
    running: bool = False
    presses_on_abdomen: bool = False
    cues: Cues
    dose: Dose
    variants: list[Variant] = Field(default_factory=list)
    regressions: list[Slug] = Field(default_factory=list)
    progressions: list[Slug] = Field(default_factory=list)
    substitutes: list[Slug] = Field(default_factory=list)
    difficulty: int = Field(ge=1, le=5, description="1 = gentlest; used for progression")
    sources: list[str] = Field(default_factory=list)
    origin: str = LIBRARY_ORIGIN
    attribution: Attribution | None = None
    unconfirmed: tuple[str, ...] = Field(
        default=(),
        description="Safety attributes nobody has confirmed (an imported exercise): every rule that "
        "matches on one of them applies, whatever its value, so it is as restrictive as it can be.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if self.origin == "bumpwise" and not self.variants:
            raise ValueError("a library exercise needs at least one variant")
        if unknown := set(self.unconfirmed) - {"pattern", *SAFETY_ATTRIBUTES}:
            raise ValueError(f"unconfirmed names unknown attributes: {sorted(unknown)}")
        overlap = set(self.primary_muscles) & set(self.secondary_muscles)
        if overlap:
            raise ValueError(f"muscles listed as both primary and secondary: {sorted(overlap)}")
        keys = [v.key for v in self.variants]
        if len(keys) != len(set(keys)):
            raise ValueError(f"variant keys repeat: {keys}")
        for field in ("regressions", "progressions", "substitutes"):
            if self.id in getattr(self, field):
                raise ValueError(f"{field} lists the exercise itself")
        return self

    def variant(self, key: str) -> Variant | None:
        return next((v for v in self.variants if v.key == key), None)

    def attributes(self) -> dict[str, object]:
        """The matchable facts of the plain exercise: safety attributes, pattern and id (a fresh dict).

        Not cached: ``model_copy(update=...)`` would carry a stale cache into the copy.
        """
        facts: dict[str, object] = {name: getattr(self, name) for name in SAFETY_ATTRIBUTES}
        facts["pattern"] = self.pattern
        facts["id"] = self.id
        return facts
