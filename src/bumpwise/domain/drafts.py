"""Items and sessions while a week is assembled: sets change freely until ``freeze``."""

from __future__ import annotations

from dataclasses import dataclass, field

from bumpwise.domain.exercise import Dose
from bumpwise.domain.plan import Intensity, Item, Session
from bumpwise.domain.selection import Choice
from bumpwise.domain.vocab import Pattern, SessionKind


@dataclass
class ItemDraft:
    """An item while the week is assembled.

    ``slot`` is the template pattern the item fills (a ball bridge may fill a knee flexion slot);
    ``planned`` is the number of sets the progression level gives it, before any trimming to fit
    the minutes; ``changeover`` the seconds it takes to set up and move on to it.
    """

    choice: Choice
    base: Dose
    sets: int
    block: str
    why: str
    removable: bool = False
    slot: Pattern | None = None
    changeover: int = 0
    planned: int = field(init=False)

    def __post_init__(self) -> None:
        self.planned = self.sets

    @property
    def exercise_id(self) -> str:
        return self.choice.verdict.exercise.id

    def seconds(self, seconds_per_rep: int) -> int:
        return dose_seconds(self.base, seconds_per_rep, self.sets) + self.changeover

    def freeze(self) -> Item:
        prescription = self.choice.verdict.prescription
        assert prescription is not None
        dose = self.base if self.sets == self.base.sets else self.base.model_copy(update={"sets": self.sets})
        return Item(
            prescription, dose, self.block, self.why, self.choice.substituted_for, self.choice.reasons
        )


@dataclass
class SessionDraft:
    kind: SessionKind
    title: str
    minutes: int
    intensity: Intensity
    items: list[ItemDraft] = field(default_factory=list)

    def seconds(self, seconds_per_rep: int) -> int:
        return sum(i.seconds(seconds_per_rep) for i in self.items)

    def freeze(self) -> Session:
        return Session(
            self.kind, self.title, self.minutes, self.intensity, tuple(i.freeze() for i in self.items)
        )


def dose_seconds(dose: Dose, seconds_per_rep: int, sets: int) -> int:
    sides = 2 if dose.per_side else 1
    if dose.minutes is not None:
        work = dose.minutes * 60
    elif dose.hold_seconds is not None:
        work = dose.hold_seconds * sides
    else:
        work = (dose.reps or 0) * seconds_per_rep * sides
    return sets * work + (sets - 1) * dose.rest_seconds


def fit_sets(draft: ItemDraft, budget: int, seconds_per_rep: int) -> bool:
    """Trim ``draft.sets`` (never below 1) until it takes at most ``budget`` seconds; False when
    even one set is too long."""
    for sets in range(draft.sets, 0, -1):
        if dose_seconds(draft.base, seconds_per_rep, sets) + draft.changeover <= budget:
            draft.sets = sets
            return True
    return False
