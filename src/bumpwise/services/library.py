"""Exercise library queries: list, find, and check against a profile."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bumpwise.domain.catalog import _
from bumpwise.domain.contract import exercise_json, prescribed_json
from bumpwise.domain.engine import Verdict
from bumpwise.domain.errors import InputError
from bumpwise.domain.evaluation import evaluate, rules_in_force
from bumpwise.domain.exercise import LIBRARY_ORIGIN, Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.screening import screen
from bumpwise.domain.suggestions import Suggestions, suggestions_for
from bumpwise.domain.vocab import Equipment, Impact, Muscle, Pattern, Position


class ExerciseRow(BaseModel):
    """One exercise as listed: what it is and its safety attributes (design.md §3); with
    ``safe_for_me``, as it would be prescribed to this member now (with the verdict)."""

    id: str
    name: str
    summary: str
    pattern: Pattern
    primary_muscles: list[Muscle]
    secondary_muscles: list[Muscle]
    equipment: list[Equipment]
    position: Position
    asymmetric_lower_body: bool
    wide_stance: bool
    impact: Impact
    spinal_flexion: bool
    load: str
    abdominal_pressure: str
    balance_demanding: bool
    high_effort: bool
    running: bool
    presses_on_abdomen: bool
    difficulty: int
    origin: str
    verdict: str | None = Field(default=None, description="with `safe_for_me`: allowed or modified")
    modifications: list[str] = Field(default_factory=list)
    missing_equipment: list[Equipment] = Field(default_factory=list)
    applied_variants: list[str] = Field(default_factory=list)

    @property
    def drawn(self) -> bool:
        """Whether there is a figure of it: every exercise of bumpwise's library has one."""
        return self.origin == LIBRARY_ORIGIN


def find_exercise(kb: KnowledgeBase, exercise_id: str) -> Exercise:
    exercise = kb.exercises.get(exercise_id)
    if exercise is None:
        raise InputError(
            "ID", _("%(id)r is not an exercise in the library", id=exercise_id), sorted(kb.exercises)
        )
    return exercise


def check_exercise(kb: KnowledgeBase, exercise_id: str, profile: Profile) -> Verdict:
    return evaluate(profile, find_exercise(kb, exercise_id), kb)


def check_with_suggestions(
    kb: KnowledgeBase, exercise_id: str, profile: Profile
) -> tuple[Verdict, Suggestions]:
    """The verdict and what may be offered instead (decided by ``domain.suggestions``)."""
    exercise = find_exercise(kb, exercise_id)
    screening = screen(profile, kb)
    return evaluate(profile, exercise, kb), suggestions_for(profile, kb, exercise, screening)


def list_exercises(kb: KnowledgeBase, profile: Profile | None = None) -> list[ExerciseRow]:
    """Every exercise; with a profile, only those it may do now, as they would be prescribed.

    A profile that is not cleared (a warning sign, a contraindication) may do none of them.
    """
    exercises = sorted(kb.exercises.values(), key=lambda e: (e.pattern.value, e.difficulty, e.id))
    if profile is None:
        return [ExerciseRow.model_validate(exercise_json(e)) for e in exercises]
    screening = screen(profile, kb)
    if not screening.cleared:
        return []
    rules = rules_in_force(profile, kb, screening)
    # Verdicts are shared through the knowledge base (``RuleSet.evaluate``), so is each one's row:
    # a "safe for me" listing validates a row once, not on every request.
    memo: dict[int, tuple[Verdict, ExerciseRow]] = kb.memo.setdefault(("library", "prescribed-rows"), {})
    rows = []
    for exercise in exercises:
        verdict = rules.evaluate(exercise)
        if verdict.prescription is None:
            continue
        known = memo.get(id(verdict))
        if known is None or known[0] is not verdict:
            known = memo[id(verdict)] = (verdict, prescribed_row(verdict))
        rows.append(known[1])
    return rows


def prescribed_row(verdict: Verdict) -> ExerciseRow:
    """The listing row of a usable verdict, as it would be prescribed."""
    prescription = verdict.prescription
    assert prescription is not None  # only usable verdicts are listed
    row = prescribed_json(prescription)
    row["verdict"] = verdict.status
    row["modifications"] = list(prescription.modifications)
    row["missing_equipment"] = [e.value for e in verdict.missing_equipment]
    return ExerciseRow.model_validate(row)
