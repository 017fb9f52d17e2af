"""``evaluate(profile, exercise, kb)``: the verdict on one exercise for one person, now."""

from __future__ import annotations

from bumpwise.domain.engine import RuleSet, Verdict
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.readiness import running_ready


def rules_in_force(profile: Profile, kb: KnowledgeBase) -> RuleSet:
    """The rule set for this profile, with the return-to-running check already decided."""
    return RuleSet.for_profile(kb, profile, running_ready=running_ready(profile, kb))


def evaluate(profile: Profile, exercise: Exercise, kb: KnowledgeBase) -> Verdict:
    return rules_in_force(profile, kb).evaluate(exercise)
