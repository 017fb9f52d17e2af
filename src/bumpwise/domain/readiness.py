"""Postnatal return-to-running readiness (GOOM19): ready only when nothing holds it back.

Held back by: any clearance other than ``cleared``, a screening rule that ``blocks_running``
(pelvic floor symptoms), and the running-scope rules (the 12-week floor, 16 weeks after a
caesarean, tests not all passed).
"""

from __future__ import annotations

from dataclasses import dataclass

from bumpwise.domain.engine import Facts, Reason, profile_matches
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import Refer, Rule
from bumpwise.domain.screening import Screening, screen
from bumpwise.domain.vocab import StageKind


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[Reason, ...]
    next_steps: tuple[str, ...]

    def as_dict(self, disclaimer: str) -> dict[str, object]:
        return {
            "ready": self.ready,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "next_steps": list(self.next_steps),
            "disclaimer": disclaimer,
        }


def running_readiness(profile: Profile, kb: KnowledgeBase, screening: Screening | None = None) -> Readiness:
    """``screening`` may be passed when the caller has already screened this profile."""
    screening = screening or screen(profile, kb)
    facts = Facts.of(profile, kb)
    held: list[Rule] = [r for r in kb.referrals if _holds_running(r) and profile_matches(r.match, facts)]
    reasons = [Reason.of(rule) for rule in held]
    steps: list[str] = []
    if not screening.cleared:
        reasons = list(screening.reasons) + reasons
        steps.append(screening.next_step)
    steps.extend(_wait_step(held, profile))
    for rule in held:
        steps.extend(_next_steps(rule, profile, kb))
    ready = not reasons
    if ready:
        steps.append(kb.messages.running_ready_next_step)
    return Readiness(ready, tuple(reasons), tuple(dict.fromkeys(steps)))


def running_ready(profile: Profile, kb: KnowledgeBase, screening: Screening | None = None) -> bool:
    return running_readiness(profile, kb, screening).ready


def _holds_running(rule: Rule) -> bool:
    action = rule.action
    return isinstance(action, Refer) and (action.scope == "running" or action.blocks_running)


def _wait_step(held: list[Rule], profile: Profile) -> list[str]:
    """The latest week floor among the rules holding running back (a week_max ends each floor)."""
    floors = [r.match.week_max + 1 for r in held if r.match.week_max is not None]
    if not floors or profile.stage.kind is not StageKind.POSTPARTUM:
        return []
    floor = max(floors)
    wait = floor - profile.stage.week
    weeks = f"{wait} more week{'s' if wait != 1 else ''}"
    return [f"Wait {weeks}: running can start from week {floor} after birth."]


def _next_steps(rule: Rule, profile: Profile, kb: KnowledgeBase) -> list[str]:
    action = rule.action
    assert isinstance(action, Refer)
    if rule.match.week_max is not None and profile.stage.kind is StageKind.POSTPARTUM:
        return []  # the wait is one step for all week floors, see _wait_step
    if rule.match.running_tests_incomplete:
        return _test_steps(profile, kb)
    return [f"See {action.to}."]


def _test_steps(profile: Profile, kb: KnowledgeBase) -> list[str]:
    results = profile.return_to_running_tests
    steps = []
    for test in kb.running_tests.values():
        outcome = results.get(test.id)
        if outcome is None:
            steps.append(f"Test still to do: {test.name} ({test.dose}), without pain, heaviness or leaking.")
        elif not outcome:
            steps.append(f"Not yet passed: {test.name} ({test.dose}); keep building strength and retest.")
    return steps
