"""A coach's swap of one exercise for another, judged by the same rules as everything else.

``check_swap`` refuses a swap to an exercise the rules exclude for this client now (with the
rules' reasons) or one that needs equipment the client does not have. ``apply_swaps`` puts the
swaps into a freshly built plan, re-checking each against that week's rules: a swap that is no
longer safe (a new trimester, a new symptom) is left out and the week says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bumpwise.domain.contract import prescribed_json
from bumpwise.domain.engine import Verdict
from bumpwise.domain.errors import InputError
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan
from bumpwise.domain.profile import Profile
from bumpwise.persistence.models import CoachSwap

COACH_SWAP_RULE = "coach-swap"


def check_swap(profile: Profile, kb: KnowledgeBase, from_id: str, to_id: str) -> Verdict:
    for field, exercise_id in (("from_exercise", from_id), ("to_exercise", to_id)):
        if exercise_id not in kb.exercises:
            raise InputError(field, f"{exercise_id!r} is not an exercise in the library")
    if from_id == to_id:
        raise InputError("to_exercise", "is the same exercise")
    verdict = rules_in_force(profile, kb).evaluate(kb.exercises[to_id])
    refusal = refusal_reason(verdict)
    if refusal is not None:
        raise InputError("to_exercise", refusal)
    return verdict


def refusal_reason(verdict: Verdict) -> str | None:
    name = verdict.exercise.name
    if verdict.prescription is None:
        why = " ".join(reason.text for reason in verdict.reasons) or "the rules exclude it"
        return f"{name} is excluded for this client now: {why}"
    if verdict.missing_equipment:
        missing = ", ".join(e.value.replace("_", " ") for e in verdict.missing_equipment)
        return f"{name} needs equipment this client does not have: {missing}"
    return None


def apply_swaps(
    plan: Plan, profile: Profile, swaps: Sequence[CoachSwap], kb: KnowledgeBase
) -> dict[str, Any]:
    data = plan.as_dict()
    if not swaps or not data["weeks"]:
        return data
    rules = rules_in_force(profile, kb)
    week = data["weeks"][0]
    for swap in swaps:
        verdict = rules.evaluate(kb.exercises[swap.to_exercise]) if swap.to_exercise in kb.exercises else None
        refusal = "it is no longer in the library" if verdict is None else refusal_reason(verdict)
        if refusal is not None:
            week["notes"].append(f"Your coach's swap to {swap.to_exercise} is left out this week: {refusal}.")
            continue
        assert verdict is not None
        _replace_items(week, swap, verdict)
    return data


def _replace_items(week: dict[str, Any], swap: CoachSwap, verdict: Verdict) -> None:
    for day in week["days"]:
        for session in day["sessions"]:
            session["items"] = [
                _swapped(item, swap, verdict) if item["exercise"]["id"] == swap.from_exercise else item
                for item in session["items"]
            ]


def _swapped(item: dict[str, Any], swap: CoachSwap, verdict: Verdict) -> dict[str, Any]:
    prescription = verdict.prescription
    assert prescription is not None
    note = f" Their note: {swap.note}" if swap.note else ""
    coach_reason = {
        "rule": COACH_SWAP_RULE,
        "source": "COACH",
        "sources": ["COACH"],
        "text": (
            f"Your coach swapped {item['exercise']['name']} for {prescription.name}; "
            "the safety rules still apply."
        ),
        "design_choice": True,
        "conflict": None,
    }
    reasons: list[dict[str, Any]] = [coach_reason, *(r.as_dict() for r in verdict.reasons)]
    return {
        "exercise": prescribed_json(prescription),
        "dose": {**prescription.dose.model_dump(), "text": prescription.dose.describe()},
        "modifications": list(prescription.modifications),
        "substituted_for": swap.from_exercise,
        "reasons": reasons,
        "rules": list(dict.fromkeys(str(r["rule"]) for r in reasons)),
        "sources": list(dict.fromkeys(str(s) for r in reasons for s in r["sources"])),
        "cues": prescription.cues.model_dump(),
        "why": f"Chosen by your coach in place of {item['exercise']['name']}.{note}",
        "block": item["block"],
    }
