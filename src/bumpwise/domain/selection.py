"""Choosing the exercise for a slot, and the best allowed substitute when the rules exclude it.

The planner first picks the exercise a coach would intend for the slot (the pattern, the person's
equipment and level), then asks the rules. An excluded choice is replaced by, in order: its
curated substitutes, the same pattern sharing a primary muscle, then the same pattern. The
item keeps ``substituted_for`` and the rule trail, so the plan can say what was swapped and why.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import cast

from bumpwise.domain.engine import Reason, RuleSet, Verdict, unique_reasons
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.vocab import Impact, Pattern


@dataclass(frozen=True)
class Choice:
    verdict: Verdict
    substituted_for: str | None
    reasons: tuple[Reason, ...]


class Selector:
    """Picks exercises for one week, varying across days and seeds, never repeating within the week
    unless the library leaves no choice."""

    def __init__(
        self,
        rules: RuleSet,
        rng: random.Random,
        band: tuple[int, int],
        *,
        prefer_low_impact: bool,
        used: set[str] | None = None,
        signature: frozenset[str] = frozenset(),
        ceiling: int = 5,
    ) -> None:
        self.rules = rules
        self.rng = rng
        self.band = band
        self.prefer_low_impact = prefer_low_impact
        self.signature = signature
        self.ceiling = ceiling
        self.used: set[str] = used if used is not None else set()
        self._by_pattern = _grouped(rules, "all", lambda e: True)
        self._owned_by_pattern = _grouped(rules, rules.owned, self._owned)

    def choose(
        self, pattern: Pattern, *, band: tuple[int, int] | None = None, track: bool = True
    ) -> Choice | None:
        intended = self._intended(pattern, band or self.band)
        if intended is None:
            return None
        verdict = self.rules.evaluate(intended)
        choice: Choice | None = (
            Choice(verdict, None, verdict.reasons) if verdict.usable else self._substitute(intended, verdict)
        )
        if choice is not None and track:
            self.used.add(choice.verdict.exercise.id)
        return choice

    def _owned(self, exercise: Exercise) -> bool:
        return all(e in self.rules.owned for e in exercise.equipment)

    def _intended(self, pattern: Pattern, band: tuple[int, int]) -> Exercise | None:
        pool = [e for e in self._owned_by_pattern.get(pattern, ()) if e.difficulty <= self.ceiling]
        if not pool:
            return None
        chosen = self._within_reach(self._best(pool, band), band)
        return chosen if chosen.difficulty <= min(band[1] + 1, self.ceiling) else None

    def _within_reach(self, exercise: Exercise, band: tuple[int, int]) -> Exercise:
        """Walk down the curated regressions while the choice is more than a step above the band.

        A regression not yet used this week comes first, then the easiest: a stability ball curl
        that is too hard becomes a glute bridge, or the ball bridge when the glute bridge is taken.
        """
        seen = {exercise.id}
        while exercise.difficulty > band[1] + 1:
            easier = [
                e
                for e in (self.rules.kb.exercises.get(i) for i in exercise.regressions)
                if e is not None and e.id not in seen and self._owned(e)
            ]
            if not easier:
                break
            exercise = min(easier, key=lambda e: (e.id in self.used, e.difficulty, e.id))
            seen.add(exercise.id)
        return exercise

    def _best(self, pool: Iterable[Exercise], band: tuple[int, int]) -> Exercise:
        """The best-ranked exercises tie on rank; the seed picks among them."""
        ranked = sorted((self._rank(e, band), e.id, e) for e in pool)
        top = ranked[0][0]
        return self.rng.choice([e for rank, _, e in ranked if rank == top])

    def _rank(self, exercise: Exercise, band: tuple[int, int]) -> tuple[int, int, int, int]:
        """Low impact first (when preferred), then not yet used this week, then the band; within
        the band a signature move, or an exercise from the coach's own library, comes before the rest."""
        low, high = band
        distance = max(low - exercise.difficulty, exercise.difficulty - high, 0)
        impact_penalty = int(self.prefer_low_impact and exercise.impact is Impact.HIGH)
        preferred = exercise.id in self.signature or exercise.attribution is not None
        ordinary = int(distance > 0 or not preferred)
        return (impact_penalty, int(exercise.id in self.used), distance, ordinary)

    def _substitute(self, intended: Exercise, verdict: Verdict) -> Choice | None:
        for candidate in self._substitute_candidates(intended):
            alternative = self.rules.evaluate(candidate)
            if alternative.usable:
                return Choice(alternative, intended.id, unique_reasons(verdict.reasons + alternative.reasons))
        return None

    def _substitute_candidates(self, intended: Exercise) -> list[Exercise]:
        """Curated substitutes, then the same pattern sharing a primary muscle, then the same
        pattern; anything not yet used this week comes before anything already used."""
        exercises = self.rules.kb.exercises
        curated = [exercises[i] for i in intended.substitutes if i in exercises]
        same_pattern = sorted(
            (e for e in self._by_pattern[intended.pattern] if e.id != intended.id),
            key=lambda e: (self._rank(e, self.band), e.id),
        )
        shared = set(intended.primary_muscles)
        sharing = [e for e in same_pattern if shared & set(e.primary_muscles)]
        ordered: dict[str, Exercise] = {}
        for exercise in (*curated, *sharing, *same_pattern):
            if self._owned(exercise) and exercise.difficulty <= self.ceiling:
                ordered.setdefault(exercise.id, exercise)
        candidates = list(ordered.values())
        return [e for e in candidates if e.id not in self.used] + [e for e in candidates if e.id in self.used]


def _grouped(
    rules: RuleSet, key: Hashable, keep: Callable[[Exercise], bool]
) -> dict[Pattern, list[Exercise]]:
    """Exercises by pattern, filtered by ``keep``; memoised on the knowledge base under ``key``."""
    cache_key = ("by_pattern", key)
    cached = rules.kb.memo.get(cache_key)
    if cached is None:
        cached = {}
        for exercise in rules.kb.exercises.values():
            if keep(exercise):
                cached.setdefault(exercise.pattern, []).append(exercise)
        rules.kb.memo[cache_key] = cached
    return cast(dict[Pattern, list[Exercise]], cached)
