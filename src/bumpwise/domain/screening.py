"""Screening: may this person exercise now, and if not, why and what next.

Precedence is the order of the clearance levels: a current warning sign (seek care now) beats
an absolute contraindication (not cleared), which beats a relative one (consult provider).
Provider clearance lifts only the rules marked ``liftable_by_provider``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bumpwise.domain.engine import Facts, Reason, profile_matches
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import Refer, Rule
from bumpwise.domain.vocab import CLEARANCE_SEVERITY, Clearance

PROVIDER_CLEARED_NOTE = " Your provider has cleared you, so this no longer holds your plan back."


@dataclass(frozen=True)
class Screening:
    clearance: Clearance
    reasons: tuple[Reason, ...]
    referrals: tuple[str, ...]
    headline: str
    next_step: str

    @property
    def cleared(self) -> bool:
        return self.clearance is Clearance.CLEARED

    def as_dict(self, disclaimer: str) -> dict[str, object]:
        return {
            "clearance": self.clearance.value,
            "headline": self.headline,
            "next_step": self.next_step,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "referrals": list(self.referrals),
            "disclaimer": disclaimer,
        }


def effective_clearance(action: Refer, profile: Profile) -> Clearance:
    if action.liftable_by_provider and profile.provider_cleared:
        return Clearance.CLEARED
    return action.clearance


def screen(profile: Profile, kb: KnowledgeBase) -> Screening:
    facts = Facts.of(profile, kb)
    clearance_rules = [
        r for r in kb.referrals if _refer(r).scope == "screening" and profile_matches(r.match, facts)
    ]
    levels = [(effective_clearance(_refer(r), profile), r) for r in clearance_rules]
    levels.sort(key=lambda pair: -CLEARANCE_SEVERITY[pair[0]])
    clearance = levels[0][0] if levels else Clearance.CLEARED
    reasons = tuple(_reason(rule, level, profile) for level, rule in levels)
    referrals = tuple(dict.fromkeys(_refer(r).to for r in clearance_rules))
    text = kb.messages.clearances[clearance]
    return Screening(clearance, reasons, referrals, text.headline, text.next_step)


def _refer(rule: Rule) -> Refer:
    assert isinstance(rule.action, Refer)
    return rule.action


def _reason(rule: Rule, level: Clearance, profile: Profile) -> Reason:
    reason = Reason.of(rule)
    lifted = level is Clearance.CLEARED and _refer(rule).clearance is not Clearance.CLEARED
    if lifted and profile.provider_cleared:
        return Reason(
            reason.rule,
            reason.sources,
            reason.text + PROVIDER_CLEARED_NOTE,
            reason.design_choice,
            reason.conflict,
        )
    return reason
