"""What may be suggested to a person: decided once, here, by the rules in force for them now.

Every list of alternatives on every surface comes from this module: the "try instead" of an
exercise check (CLI text and JSON, the API, the library page) and the coach's swap choices.
An exercise is offered only when the rules in force for this person and week leave it usable
(allowed or adapted, with equipment they have). A person who is not cleared (a warning sign,
a contraindication) is offered no exercise at all, only what to do now.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bumpwise.domain.contract import prescribed_json
from bumpwise.domain.engine import RuleSet, Verdict, rule_ids
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.screening import Screening, screen

MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Suggestions:
    """The exercises that may be offered instead (usable verdicts), or, when the person is not
    cleared, none and what to do now."""

    alternatives: tuple[Verdict, ...]
    what_to_do_now: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "try_instead": [suggestion_json(v) for v in self.alternatives],
            "what_to_do_now": self.what_to_do_now,
        }


def suggestion_json(verdict: Verdict) -> dict[str, object]:
    assert verdict.prescription is not None
    return {
        "id": verdict.exercise.id,
        "name": verdict.prescription.name,
        "verdict": verdict.status,
        "exercise": prescribed_json(verdict.prescription),
        "modifications": list(verdict.prescription.modifications),
        "rules": rule_ids(verdict.reasons),
    }


def suggestions_for(
    profile: Profile, kb: KnowledgeBase, exercise: Exercise, screening: Screening | None = None
) -> Suggestions:
    """What to offer in place of ``exercise``: nothing when it is usable as it stands, nothing
    but what to do now when the person is not cleared, else the usable alternatives."""
    screening = screening or screen(profile, kb)
    if not screening.cleared:
        return Suggestions((), screening.next_step)
    rules = rules_in_force(profile, kb, screening)
    if rules.evaluate(exercise).usable:
        return Suggestions(())
    return Suggestions(alternatives(rules, exercise))


def alternatives(rules: RuleSet, exercise: Exercise, limit: int = MAX_ALTERNATIVES) -> tuple[Verdict, ...]:
    """Up to ``limit`` usable stand-ins: the curated substitutes first, then the same pattern
    sharing a primary muscle, then the same pattern; each judged by the rules in force."""
    found: list[Verdict] = []
    for candidate in _candidates(rules.kb, exercise):
        verdict = rules.evaluate(candidate)
        if verdict.usable:
            found.append(verdict)
            if len(found) == limit:
                break
    return tuple(found)


def _candidates(kb: KnowledgeBase, exercise: Exercise) -> Iterator[Exercise]:
    seen = {exercise.id}
    same_pattern = sorted(
        (e for e in kb.exercises.values() if e.pattern is exercise.pattern),
        key=lambda e: (abs(e.difficulty - exercise.difficulty), e.id),
    )
    shared = set(exercise.primary_muscles)
    sharing = [e for e in same_pattern if shared & set(e.primary_muscles)]
    curated = [kb.exercises[i] for i in exercise.substitutes if i in kb.exercises]
    for candidate in (*curated, *sharing, *same_pattern):
        if candidate.id not in seen:
            seen.add(candidate.id)
            yield candidate


def swap_in(rules: RuleSet, exercise_id: str) -> Verdict | str:
    """The verdict on swapping ``exercise_id`` in under ``rules``, or why it may not be: only what
    ``swap_choices`` would offer may be swapped in."""
    exercise = rules.kb.exercises.get(exercise_id)
    if exercise is None:
        return "it is no longer in the library"
    verdict = rules.evaluate(exercise)
    refusal = refusal_reason(verdict)
    return verdict if refusal is None else refusal


def refusal_reason(verdict: Verdict) -> str | None:
    """Why an exercise may not be offered (excluded now, or needs missing equipment), or None."""
    name = verdict.exercise.name
    if verdict.prescription is None:
        why = " ".join(reason.text for reason in verdict.reasons) or "the rules exclude it"
        return f"{name} is excluded for this client now: {why}"
    if verdict.missing_equipment:
        missing = ", ".join(e.value.replace("_", " ") for e in verdict.missing_equipment)
        return f"{name} needs equipment this client does not have: {missing}"
    return None


def swap_choices(profile: Profile, kb: KnowledgeBase) -> tuple[Verdict, ...]:
    """Every exercise a coach may swap in for this person now: none while they are not cleared."""
    screening = screen(profile, kb)
    if not screening.cleared:
        return ()
    rules = rules_in_force(profile, kb, screening)
    verdicts = (rules.evaluate(e) for e in kb.exercises.values())
    return tuple(sorted((v for v in verdicts if v.usable), key=lambda v: v.exercise.name))


def usable_ids(profile: Profile, kb: KnowledgeBase, exercise_ids: list[str]) -> list[str]:
    """The ids of a curated list (substitutes, regressions, progressions) the rules in force
    leave usable for this person now; none while they are not cleared."""
    screening = screen(profile, kb)
    if not screening.cleared:
        return []
    rules = rules_in_force(profile, kb, screening)
    return [i for i in exercise_ids if i in kb.exercises and rules.evaluate(kb.exercises[i]).usable]
