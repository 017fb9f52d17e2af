"""Hypothesis strategies for profiles, and an independent oracle for plan JSON.

Strategies
----------
``valid_profiles()`` draws profile dicts (design.md §6 shape) that screening clears: any stage
week, modifier conditions, relative conditions only together with ``provider_cleared: true``,
non-urgent symptoms, any activity level, any subset of equipment, 1–7 days, 10–90 minutes, and
sometimes a full set of passed return-to-running tests. ``any_profiles()`` also draws absolute
contraindications, warning signs and relative conditions without clearance.

Oracle
------
The helpers below judge a plan's JSON *without* the planner: the rules in force are re-derived
from the rule data with the engine's matching primitives (``Facts``, ``profile_matches``,
``exercise_matches``), applied to each item's prescribed attributes as printed in the JSON
"exercise" object, and a second, hand-written reading of design.md §5 (``design_violations``)
checks the same items against the policies in plain Python. Running readiness and the expected
clearance are derived here from the vocabulary classes, not from the product's screening.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import contract
from builders import RUNNING_TEST_IDS, kb
from bumpwise.domain.engine import Facts, exercise_matches, profile_matches
from bumpwise.domain.exercise import SAFETY_ATTRIBUTES
from bumpwise.domain.knowledge import STAGE_VARIANTS
from bumpwise.domain.profile import Profile, parse_profile
from bumpwise.domain.rule import Cap, Exclude, Modify, Require, Rule
from bumpwise.domain.vocab import Equipment
from contract import ABSOLUTE

# --- vocabularies (design.md §3, from tests/contract.py) -------------------------------------

MODIFIER_CONDITIONS = contract.MODIFIERS_IDS
RELATIVE_CONDITIONS = contract.RELATIVE_IDS
PREGNANCY_ONLY_RELATIVE = contract.PREGNANCY_ONLY_RELATIVE
ABSOLUTE_CONDITIONS = tuple(sorted(ABSOLUTE))
PREGNANCY_ONLY_ABSOLUTE = contract.PREGNANCY_ONLY_ABSOLUTE
SYMPTOMS = contract.SYMPTOMS_IDS
WARNING_SIGNS = contract.WARNING_SIGNS_IDS
# Warning signs of one stage only (guidelines.md §3: WS_FLUID_LEAK, WS_CONTRACTIONS,
# WS_FETAL_MOVES in pregnancy; PP_WOUND and increasing bleeding after birth).
PREGNANCY_ONLY_SIGNS = frozenset(
    {"amniotic_fluid_leak", "regular_painful_contractions", "reduced_fetal_movement"}
)
POSTPARTUM_ONLY_SIGNS = frozenset({"wound_pain_or_discharge", "increasing_postpartum_bleeding"})


def signs_of(kind: str) -> tuple[str, ...]:
    """The warning signs a person at this stage kind can report."""
    other = POSTPARTUM_ONLY_SIGNS if kind == "pregnant" else PREGNANCY_ONLY_SIGNS
    return tuple(s for s in WARNING_SIGNS if s not in other)


EQUIPMENT = tuple(e.value for e in Equipment)
ACTIVITY_LEVELS = ("inactive", "active", "vigorous")
ALWAYS_AVAILABLE = frozenset({"mat", "wall"})
PELVIC_FLOOR_SYMPTOMS = frozenset({"pelvic_floor_dysfunction", "urinary_leakage", "pelvic_heaviness"})

# --- strategies -----------------------------------------------------------------------------

# Weeks where a rule starts or stops (design.md §5), drawn often, besides any week in the range.
PREGNANT_EDGES = (1, 13, 14, 25, 26, 27, 28, 40, 42)
POSTPARTUM_EDGES = (0, 5, 6, 11, 12, 15, 16, 104)

pregnant_stages = st.builds(
    lambda w: {"kind": "pregnant", "week": w},
    st.one_of(st.sampled_from(range(1, 43)), st.sampled_from(PREGNANT_EDGES)),
)
postpartum_stages = st.builds(
    lambda w, d: {"kind": "postpartum", "week": w, "delivery": d},
    st.one_of(st.sampled_from(range(0, 105)), st.sampled_from(POSTPARTUM_EDGES), st.sampled_from(range(20))),
    st.sampled_from(["vaginal", "caesarean"]),
)
stages = st.one_of(pregnant_stages, postpartum_stages)

HOME_KIT = ["chair", "resistance_band", "mini_band", "dumbbells", "small_ball", "stability_ball"]
GYM_KIT = ["bench", "barbell", "dumbbells", "kettlebell", "cable_machine", "machine", "treadmill"]
KITS: tuple[list[str], ...] = (
    [],
    HOME_KIT,
    GYM_KIT,
    list(EQUIPMENT),
    ["dumbbells"],
    ["chair"],
    ["pool", "stationary_bike"],
)


def _subset(values: Iterable[str], max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(tuple(values)), max_size=max_size, unique=True)


def _any_subset(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Any subset, drawn as a bit mask (cheap to draw for 18 equipment ids)."""
    return st.integers(0, 2 ** len(values) - 1).map(lambda m: [v for i, v in enumerate(values) if m >> i & 1])


equipment_sets = st.one_of(_any_subset(EQUIPMENT), st.sampled_from(KITS))


def _running_tests() -> st.SearchStrategy[dict[str, bool]]:
    every_test_passed = st.just(dict.fromkeys(RUNNING_TEST_IDS, True))
    some_results = st.dictionaries(st.sampled_from(RUNNING_TEST_IDS), st.booleans(), max_size=11)
    return st.one_of(every_test_passed, st.just({}), some_results)


def random_valid_profile(rnd: random.Random) -> dict[str, Any]:
    """A cleared profile drawn evenly over the whole space (hypothesis' own draws favour small,
    simple values; this half of ``valid_profiles`` keeps stages, kits and days spread out)."""
    if rnd.random() < 0.5:
        week = rnd.choice(PREGNANT_EDGES) if rnd.random() < 0.3 else rnd.randint(1, 42)
        stage: dict[str, Any] = {"kind": "pregnant", "week": week}
    else:
        early, any_week = rnd.randint(0, 20), rnd.randint(0, 104)
        week = rnd.choice(POSTPARTUM_EDGES) if rnd.random() < 0.3 else rnd.choice((early, any_week))
        stage = {"kind": "postpartum", "week": week, "delivery": rnd.choice(("vaginal", "caesarean"))}
    conditions = rnd.sample(MODIFIER_CONDITIONS, rnd.choice((0, 0, 1, 1, 2, 3)))
    if "pelvic_girdle_pain" in conditions and rnd.random() < 0.25:
        conditions[conditions.index("pelvic_girdle_pain")] = "pubic_symphysis_dysfunction"
    relative = []
    if rnd.random() < 0.2:
        pregnant = stage["kind"] == "pregnant"
        allowed = [c for c in RELATIVE_CONDITIONS if pregnant or c not in PREGNANCY_ONLY_RELATIVE]
        relative = rnd.sample(allowed, rnd.randint(1, 2))
    kit = list(rnd.choice(KITS))
    equipment = kit if rnd.random() < 0.3 else [e for e in EQUIPMENT if rnd.random() < 0.3]
    data: dict[str, Any] = {
        "stage": stage,
        "conditions": conditions + relative,
        "symptoms": rnd.sample(SYMPTOMS, rnd.choice((0, 0, 0, 1, 1, 2))),
        "activity_level": rnd.choice(ACTIVITY_LEVELS),
        "equipment": equipment,
        "days_per_week": rnd.randint(1, 7),
        "minutes_per_session": rnd.choice((rnd.randint(10, 90), rnd.choice((10, 20, 30, 45, 60, 90)))),
        "provider_cleared": True if relative else rnd.random() < 0.3,
    }
    roll = rnd.random()
    if roll < 0.35:
        data["return_to_running_tests"] = dict.fromkeys(RUNNING_TEST_IDS, True)
    elif roll < 0.5:
        data["return_to_running_tests"] = {t: rnd.random() < 0.7 for t in rnd.sample(RUNNING_TEST_IDS, 5)}
    return data


# Hypothesis seeds the generator, so a derandomized run draws the same profiles every time.
valid_profiles_evenly = st.randoms(use_true_random=False).map(random_valid_profile)


def valid_profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Cleared profile dicts: half drawn evenly over the space, half by hypothesis' own draws."""
    return st.one_of(valid_profiles_evenly, _valid_profiles_drawn())


@st.composite
def _valid_profiles_drawn(draw: st.DrawFn) -> dict[str, Any]:
    """A profile dict that screening clears (modifier conditions, or relative ones with clearance)."""
    stage = draw(stages)
    conditions = draw(_subset(MODIFIER_CONDITIONS, 3))
    if "pelvic_girdle_pain" in conditions and draw(st.sampled_from([False, False, False, True])):
        conditions[conditions.index("pelvic_girdle_pain")] = "pubic_symphysis_dysfunction"  # the alias
    relative = draw(_subset(RELATIVE_CONDITIONS, 2)) if draw(st.sampled_from([False] * 4 + [True])) else []
    if stage["kind"] == "postpartum":
        relative = [c for c in relative if c not in PREGNANCY_ONLY_RELATIVE]
    data: dict[str, Any] = {
        "stage": stage,
        "conditions": conditions + relative,
        "symptoms": draw(_subset(SYMPTOMS, 3)),
        "activity_level": draw(st.sampled_from(ACTIVITY_LEVELS)),
        "equipment": draw(equipment_sets),
        "days_per_week": draw(st.sampled_from(range(1, 8))),
        "minutes_per_session": draw(st.sampled_from(range(10, 91))),
        "provider_cleared": True if relative else draw(st.booleans()),
    }
    tests = draw(_running_tests())
    if tests:
        data["return_to_running_tests"] = tests
    return data


@st.composite
def any_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid profile dict, including absolute contraindications, warning signs and relative
    conditions without provider clearance."""
    data = draw(valid_profiles())
    pregnant = data["stage"]["kind"] == "pregnant"
    absolute = [c for c in ABSOLUTE_CONDITIONS if pregnant or c not in PREGNANCY_ONLY_ABSOLUTE]
    relative = [c for c in RELATIVE_CONDITIONS if pregnant or c not in PREGNANCY_ONLY_RELATIVE]
    data["conditions"] = list(
        dict.fromkeys(data["conditions"] + draw(_subset(absolute, 2)) + draw(_subset(relative, 2)))
    )
    signs = signs_of(data["stage"]["kind"])
    data["symptoms"] = list(dict.fromkeys(data["symptoms"] + draw(_subset(signs, 2))))
    data["provider_cleared"] = draw(st.booleans())
    return data


starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
seeds = st.integers(0, 2**31 - 1)

# --- the oracle -------------------------------------------------------------------------------


@cache
def condition_class(condition_id: str) -> str:
    knowledge = kb()
    canonical = knowledge.condition_aliases.get(condition_id, condition_id)
    return knowledge.conditions[canonical].condition_class.value


def expected_clearance(data: Mapping[str, Any]) -> str:
    """design.md §2 precedence, from the vocabulary classes (placenta previa: absolute from 26)."""
    stage = data["stage"]
    if set(data.get("symptoms", ())) & set(WARNING_SIGNS):
        return "seek_care_now"
    absolute = relative = False
    for condition in data.get("conditions", ()):
        kind = condition_class(condition)
        if condition == "placenta_previa":
            if stage["week"] >= 26:
                absolute = True
            else:
                relative = True
        elif kind == "absolute":
            absolute = True
        elif kind == "relative":
            relative = True
    if absolute:
        return "not_cleared"
    if relative and not data.get("provider_cleared", False):
        return "consult_provider"
    return "cleared"


def reported(data: Mapping[str, Any]) -> frozenset[str]:
    knowledge = kb()
    conditions = {knowledge.condition_aliases.get(c, c) for c in data.get("conditions", ())}
    return frozenset(conditions | set(data.get("symptoms", ())))


def running_ready(data: Mapping[str, Any]) -> bool:
    """design.md §5 / GOOM19, written out: after birth, from 12 weeks (16 after a caesarean), all
    eleven tests passed, no pelvic floor symptoms, and cleared."""
    stage = data["stage"]
    if stage["kind"] != "postpartum":
        return False
    floor = 16 if stage["delivery"] == "caesarean" else 12
    tests = data.get("return_to_running_tests") or {}
    return (
        stage["week"] >= floor
        and set(tests) == set(RUNNING_TEST_IDS)
        and all(tests.values())
        and not (reported(data) & PELVIC_FLOOR_SYMPTOMS)
        and expected_clearance(data) == "cleared"
    )


def at_week(data: Mapping[str, Any], week: int) -> dict[str, Any]:
    return {**data, "stage": {**data["stage"], "week": week}}


@dataclass(frozen=True)
class WeekRules:
    """The rules in force for one stage week, re-derived from the rule data."""

    data: Mapping[str, Any]
    profile: Profile
    active: tuple[Rule, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> WeekRules:
        return _week_rules(json.dumps(data, sort_keys=True))

    @classmethod
    def _build(cls, data: Mapping[str, Any]) -> WeekRules:
        profile = parse_profile(dict(data), kb())
        facts = Facts.of(profile, kb(), running_ready=running_ready(data))
        return cls(data, profile, tuple(r for r in kb().rules if profile_matches(r.match, facts)))

    def of_type(self, kind: type) -> list[Rule]:
        return [r for r in self.active if isinstance(r.action, kind)]

    def requirement(self, name: str) -> Require | None:
        for rule in self.of_type(Require):
            assert isinstance(rule.action, Require)
            if rule.action.requirement == name:
                return rule.action
        return None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.active)

    @property
    def owned(self) -> frozenset[str]:
        return frozenset(self.data.get("equipment", ())) | ALWAYS_AVAILABLE


@lru_cache(maxsize=4096)
def _week_rules(key: str) -> WeekRules:
    return WeekRules._build(json.loads(key))


def attributes(exercise_json: Mapping[str, Any]) -> dict[str, object]:
    """The matchable facts of an item as prescribed, read from its JSON "exercise" object."""
    facts: dict[str, object] = {name: exercise_json[name] for name in SAFETY_ATTRIBUTES}
    facts["pattern"] = exercise_json["pattern"]
    facts["id"] = exercise_json["id"]
    return facts


LOAD_RANK = {"none": 0, "light": 1, "moderate": 2, "heavy": 3}


def rule_violations(item: Mapping[str, Any], rules: WeekRules) -> list[str]:
    """Exclusions and caps in force that the item, as prescribed, breaks."""
    facts = attributes(item["exercise"])
    problems = []
    for rule in rules.of_type(Exclude):
        if exercise_matches(rule.match.exercise, facts):
            problems.append(f"{facts['id']} matches exclude rule {rule.id}")
    for rule in rules.of_type(Cap):
        assert isinstance(rule.action, Cap)
        over = LOAD_RANK[str(facts["load"])] > LOAD_RANK[rule.action.load.value]
        if over and exercise_matches(rule.match.exercise, facts):
            problems.append(f"{facts['id']} load {facts['load']} above cap {rule.id}")
    return problems


def design_violations(item: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    """The policies of design.md §5, written by hand from the design text, for one item."""
    e = item["exercise"]
    stage = data["stage"]
    week = stage["week"]
    pregnant = stage["kind"] == "pregnant"
    caesarean = stage.get("delivery") == "caesarean"
    says = reported(data)
    load = LOAD_RANK[e["load"]]
    level = data.get("activity_level", "inactive")
    checks = {
        "supine after the first trimester": pregnant and week >= 14 and e["position"] == "supine",
        "supine while light-headed on the back": "supine_lightheadedness" in says
        and e["position"] == "supine",
        "asymmetric work with pelvic girdle pain": bool(says & {"pelvic_girdle_pain", "pelvic_pain_flare"})
        and e["asymmetric_lower_body"],
        "wide stance with pelvic girdle pain": bool(says & {"pelvic_girdle_pain", "pelvic_pain_flare"})
        and e["wide_stance"],
        "spinal flexion with diastasis/doming": bool(says & {"diastasis_recti", "abdominal_doming"})
        and e["spinal_flexion"],
        "high abdominal pressure with diastasis/doming": bool(says & {"diastasis_recti", "abdominal_doming"})
        and e["abdominal_pressure"] == "high",
        "high impact with pelvic floor symptoms": bool(says & PELVIC_FLOOR_SYMPTOMS)
        and e["impact"] == "high",
        "heavy load with pelvic floor symptoms": bool(says & PELVIC_FLOOR_SYMPTOMS) and load > 2,
        "high impact postpartum before 12 weeks": not pregnant and week < 12 and e["impact"] == "high",
        "high impact postpartum before the running check passes": not pregnant
        and not running_ready(data)
        and e["impact"] == "high",
        "running postpartum before the running check passes": not pregnant
        and not running_ready(data)
        and e["running"],
        "load above light postpartum before 6 weeks": not pregnant and week < 6 and load > 1,
        "sit-up type move within 6 weeks of a caesarean": caesarean and week < 6 and e["spinal_flexion"],
        "high effort within 16 weeks of a caesarean": caesarean and week < 16 and e["high_effort"],
        "high impact for an inactive pregnant person": pregnant
        and level == "inactive"
        and e["impact"] == "high",
        "high impact in the third trimester without vigorous history": pregnant
        and week >= 28
        and level != "vigorous"
        and e["impact"] == "high",
        "maximal load in pregnancy": pregnant and load > 2,
        "prone on the bump after the first trimester": pregnant
        and week >= 14
        and e["position"] == "prone"
        and e["id"] != "swimming",
        "inverted after the first trimester": pregnant and week >= 14 and e["position"] == "inverted",
        "unsupported balance work after the first trimester": pregnant
        and week >= 14
        and e["balance_demanding"],
        "high impact with knee pain": "knee_pain" in says and e["impact"] == "high",
        "hinge heavier than light with back pain": bool(says & {"low_back_pain", "back_pain"})
        and e["pattern"] == "hinge"
        and load > 1,
    }
    return [f"{e['id']}: {name}" for name, broken in checks.items() if broken]


def expected_modification_texts(item: Mapping[str, Any], rules: WeekRules) -> list[tuple[str, set[str]]]:
    """For each modify rule in force that matches the item as prescribed: the texts of which one
    must appear among the item's modifications (the variant's text, or the rule's own text).

    Stage forms describe the plain exercise: once an adaptation is in place (its text is among the
    modifications) a stage-variant rule adds its own text, or nothing when it says keep."""
    facts = attributes(item["exercise"])
    exercise = kb().exercises[facts["id"]]  # type: ignore[index]
    kind = rules.data["stage"]["kind"]
    adapted = any(v.text in item["modifications"] for v in exercise.variants if v.key not in STAGE_VARIANTS)
    wanted: list[tuple[str, set[str]]] = []
    for rule in rules.of_type(Modify):
        action = rule.action
        assert isinstance(action, Modify)
        if not exercise_matches(rule.match.exercise, facts):
            continue
        texts: set[str] = set()
        variant = exercise.variant(action.variant) if action.variant and not adapted else None
        doable = (
            variant is not None
            and kind in {k.value for k in variant.applies_to}
            and (not variant.equipment_any or bool({e.value for e in variant.equipment_any} & rules.owned))
        )
        if doable and variant is not None:
            texts.add(variant.text)
        elif action.otherwise == "keep":
            continue
        if action.text is not None and not doable:
            texts.add(action.text)
        if texts:
            wanted.append((rule.id, texts))
    return wanted


@cache
def known_modification_texts(exercise_id: str) -> frozenset[str]:
    """Every text that may appear as a modification of this exercise: its variants (and their
    words after a caesarean), modify and cap rule texts."""
    knowledge = kb()
    variants = knowledge.exercises[exercise_id].variants
    texts = {v.text for v in variants} | {v.after_caesarean for v in variants if v.after_caesarean}
    for rule in knowledge.rules:
        if isinstance(rule.action, Modify) and rule.action.text:
            texts.add(rule.action.text)
        if isinstance(rule.action, Cap):
            texts.add(rule.action.text)
    return frozenset(texts)


JsonObject = Mapping[str, Any]


def items_of(week: JsonObject) -> Iterable[tuple[JsonObject, JsonObject, JsonObject]]:
    """(day, session, item) for every item of a week."""
    for day in week["days"]:
        for session in day["sessions"]:
            for item in session["items"]:
                yield day, session, item


DERANDOMIZED = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""The same draws on every run and machine: a planner property test must not be flaky."""
