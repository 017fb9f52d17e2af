"""Small builders for test inputs: a valid profile dict with sensible defaults, and its parsed form.

``profile(**overrides)`` returns the JSON-shaped dict a person would send (design.md §6);
``parsed(**overrides)`` runs it through ``parse_profile`` with the shipped knowledge base, so a
test can never build a Profile the product itself would reject.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.plan import Plan
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import Profile, parse_profile
from bumpwise.domain.rule import RequireThighBalance, ThighBalanceParams

RUNNING_TEST_IDS: tuple[str, ...] = (
    "walk_30_min",
    "single_leg_balance_10s",
    "single_leg_squat_10",
    "jog_on_spot_1_min",
    "forward_bounds_10",
    "hop_on_spot_10",
    "running_man_10",
    "single_leg_calf_raise_20",
    "single_leg_bridge_20",
    "single_leg_sit_to_stand_20",
    "side_lying_abduction_20",
)
"""The return-to-running test ids of issue 2, written out by hand."""


def kb() -> KnowledgeBase:
    return default_knowledge()


def thigh_balance() -> ThighBalanceParams:
    """The back-to-front thigh ratio bounds of the balance rule."""
    action = kb().rule("posterior-anterior-thigh-balance").action
    assert isinstance(action, RequireThighBalance)
    return action.params


def pregnant(week: int) -> dict[str, Any]:
    return {"kind": "pregnant", "week": week}


def postpartum(week: int, delivery: str = "vaginal") -> dict[str, Any]:
    return {"kind": "postpartum", "week": week, "delivery": delivery}


def all_tests_passed() -> dict[str, bool]:
    return dict.fromkeys(RUNNING_TEST_IDS, True)


def profile(**overrides: Any) -> dict[str, Any]:
    """A valid profile dict: 20 weeks pregnant, active, no conditions, body weight only."""
    data: dict[str, Any] = {
        "stage": pregnant(20),
        "conditions": [],
        "symptoms": [],
        "activity_level": "active",
        "equipment": [],
        "days_per_week": 4,
        "minutes_per_session": 30,
        "provider_cleared": False,
    }
    data.update(overrides)
    return data


def parsed(**overrides: Any) -> Profile:
    """``profile(**overrides)`` parsed with the shipped knowledge base."""
    return parse_profile(profile(**overrides), kb())


# --- the JSON contract of design.md §6, shared by the CLI and planner tests -------------------

EXERCISE_KEYS = {
    "id",
    "name",
    "pattern",
    "primary_muscles",
    "secondary_muscles",
    "equipment",
    "position",
    "asymmetric_lower_body",
    "wide_stance",
    "impact",
    "spinal_flexion",
}
TOTAL_KEYS = {
    "moderate_minutes",
    "strength_sessions",
    "pelvic_floor_days",
    "posterior_volume",
    "anterior_volume",
}
REASON_KEYS = {"rule", "source", "text"}


MONDAY = date(2025, 1, 6)


def plan_json(plan: Plan) -> dict[str, Any]:
    """A plan as the JSON of its typed contract, for tests that read it as a person's script would."""
    data: dict[str, Any] = plan.json()
    return data


def read_plan(data: dict[str, Any]) -> PlanDocument:
    """A plan's JSON read back with validation, as the web app reads a stored plan."""
    return PlanDocument.model_validate(data)


def one_week(seed: int, **overrides: Any) -> dict[str, Any]:
    """The JSON of a one-week plan starting on a Monday, for ``profile(**overrides)``."""
    plan = plan_json(build_plan(parsed(**overrides), kb(), start=MONDAY, weeks=1, seed=seed))
    week: dict[str, Any] = plan["weeks"][0]
    return week


SUMO_ATTRIBUTES = {
    "position": "standing",
    "asymmetric_lower_body": False,
    "wide_stance": True,
    "impact": "low",
    "spinal_flexion": False,
}
"""What a coach confirms for the imported sumo deadlift in the API tests."""


PGP_26_WEEKS = {
    "stage": {"kind": "pregnant", "week": 26},
    "conditions": ["pelvic_girdle_pain"],
    "activity_level": "active",
    "equipment": ["dumbbells", "chair"],
    "days_per_week": 4,
}
"""A profile the CLI tests share: 26 weeks pregnant with pelvic girdle pain, four days a week."""
