"""The person a plan is for: stage, what they report, and what they have to train with.

``parse_profile`` is the one door in: it checks the shape, the ranges and every id against the
knowledge base, and raises ``InputError`` naming the field and the allowed values. Nothing is
guessed; a pregnancy-only condition on a postpartum profile is an error, not ignored.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Strict
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.stage import Stage, check_stage
from bumpwise.domain.validation import json_object, validate_input
from bumpwise.domain.vocab import ActivityLevel, Equipment, StageKind


class Profile(Strict):
    stage: Stage
    conditions: list[str] = Field(default_factory=list)
    symptoms: list[str] = Field(default_factory=list)
    activity_level: ActivityLevel = ActivityLevel.INACTIVE
    equipment: list[Equipment] = Field(default_factory=list)
    days_per_week: Annotated[StrictInt, Field(ge=1, le=7)] = 3
    minutes_per_session: Annotated[StrictInt, Field(ge=10, le=90)] = 30
    provider_cleared: StrictBool = False
    age: Annotated[StrictInt, Field(ge=14, le=60)] | None = None
    return_to_running_tests: dict[str, StrictBool] = Field(default_factory=dict)

    def reported(self) -> frozenset[str]:
        """Conditions and symptoms together: what rules match with ``has_any``."""
        return frozenset(self.conditions) | frozenset(self.symptoms)

    def at_week(self, week: int) -> Profile:
        return self.model_copy(update={"stage": self.stage.at_week(week)})


def parse_profile_json(text: str, kb: KnowledgeBase) -> Profile:
    return parse_profile(json_object(text, N_("profile")), kb)


def parse_profile(data: Any, kb: KnowledgeBase, *, stored_reports: bool = False) -> Profile:
    """``stored_reports``: the symptoms come from check-ins already accepted, perhaps at an
    earlier stage (a pregnancy warning sign still unresolved after the birth is recorded); they
    must exist but are not refused for the stage, so such a sign keeps holding the plan."""
    profile = validate_input(Profile, data, N_("profile"), default_field="stage")
    check_stage(profile.stage)
    return _check_ids(profile, kb, stored_reports=stored_reports)


def _check_ids(profile: Profile, kb: KnowledgeBase, *, stored_reports: bool = False) -> Profile:
    conditions = [_condition_id(profile, i, cid, kb) for i, cid in enumerate(profile.conditions)]
    for i, sid in enumerate(profile.symptoms):
        stage = None if stored_reports else profile.stage.kind
        check_reportable(kb, f"symptoms[{i}]", sid, stage, N_("symptom or warning sign"))
    test_ids = sorted(kb.running_tests)
    for test_id in profile.return_to_running_tests:
        if test_id not in kb.running_tests:
            raise InputError(
                f"return_to_running_tests.{test_id}",
                N_("is not a known return-to-running test"),
                test_ids,
            )
    return profile.model_copy(
        update={
            "conditions": list(dict.fromkeys(conditions)),
            "symptoms": list(dict.fromkeys(profile.symptoms)),
            "equipment": list(dict.fromkeys(profile.equipment)),
        }
    )


def check_reportable(kb: KnowledgeBase, field: str, term_id: str, stage: StageKind | None, what: str) -> None:
    """A warning sign or symptom must exist and apply to the stage, like a condition: a
    pregnancy-only sign after birth is an error naming what this stage allows, never ignored.
    ``stage`` None checks only that it exists. ``what`` is a catalog id (``N_("symptom")``)."""
    allowed = kb.reportable_ids(stage) if stage is not None else sorted({*kb.warning_signs, *kb.symptoms})
    term = kb.reportable(term_id)
    if term is None:
        raise InputError(
            field,
            N_("%(value)s is not a known %(what)s"),
            allowed,
            values={"value": repr(term_id), "what": what},
            translate=("what",),
        )
    if stage is not None and not term.applies(stage):
        raise InputError(
            field,
            N_("%(value)s applies only to %(stages)s, but the stage is %(stage)s"),
            allowed,
            values={
                "value": repr(term_id),
                "stages": ", ".join(k.value for k in term.applies_to),
                "stage": stage.value,
            },
        )


def _condition_id(profile: Profile, index: int, cid: str, kb: KnowledgeBase) -> str:
    canonical = kb.condition_aliases.get(cid, cid)
    condition = kb.conditions.get(canonical)
    field = f"conditions[{index}]"
    if condition is None:
        raise InputError(
            field,
            N_("%(value)s is not a known condition"),
            sorted(kb.conditions),
            values={"value": repr(cid)},
        )
    if profile.stage.kind not in condition.applies_to:
        raise InputError(
            field,
            N_("%(value)s applies only to %(stages)s, but stage.kind is %(stage)s"),
            values={
                "value": repr(cid),
                "stages": ", ".join(k.value for k in condition.applies_to),
                "stage": profile.stage.kind.value,
            },
        )
    return canonical
