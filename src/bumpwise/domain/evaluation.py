"""``evaluate(profile, exercise, kb)``: the verdict on one exercise for one person, now.

Screening comes first: a person who is not cleared gets no exercise at all, whatever its
attributes, and the verdict carries the screening reasons.
"""

from __future__ import annotations

from bumpwise.domain.engine import RuleSet, Verdict
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.readiness import running_ready
from bumpwise.domain.screening import Screening, screen


def rules_in_force(profile: Profile, kb: KnowledgeBase, screening: Screening | None = None) -> RuleSet:
    """The rule set for this profile, with the return-to-running check already decided."""
    return RuleSet.for_profile(kb, profile, running_ready=running_ready(profile, kb, screening))


def not_cleared_verdict(exercise: Exercise, screening: Screening) -> Verdict:
    return Verdict(exercise, "excluded", None, screening.reasons)


def evaluate(profile: Profile, exercise: Exercise, kb: KnowledgeBase) -> Verdict:
    screening = screen(profile, kb)
    if not screening.cleared:
        return not_cleared_verdict(exercise, screening)
    return rules_in_force(profile, kb, screening).evaluate(exercise)
