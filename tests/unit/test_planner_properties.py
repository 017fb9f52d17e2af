"""Property tests of ``build_plan`` over random valid profiles (issue 3, design.md §5 and §6).

Every expectation here is re-derived from the rule data and the items' prescribed attributes
(``strategies.WeekRules``, ``strategies.rule_violations``) or written out by hand from the
design (``strategies.design_violations``); nothing asks the planner's own helpers what the
answer should be. Runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from builders import EXERCISE_KEYS, REASON_KEYS, TOTAL_KEYS, kb, plan_json, pregnant, profile, thigh_balance
from bumpwise.domain.engine import RuleSet
from bumpwise.domain.knowledge import knowledge_dir, load_knowledge
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.rule import RequireRecoveryPhase
from strategies import (
    DERANDOMIZED,
    LOAD_RANK,
    WeekRules,
    any_profiles,
    at_week,
    design_violations,
    expected_clearance,
    expected_modification_texts,
    items_of,
    known_modification_texts,
    reported,
    rule_violations,
    seeds,
    starts,
    valid_profiles,
)

FAST = DERANDOMIZED
MORE = settings(FAST, max_examples=50)

PLANNING = kb().planning
BALANCE_PATTERNS = {p.value for p in PLANNING.balance_patterns}
POSTERIOR = {"glutes", "hamstrings"}
ANTERIOR = {"quadriceps"}
PLAN_KEYS = {"clearance", "reasons", "weeks", "disclaimer"}
WEEK_KEYS = {"stage_week", "days", "totals"}
DAY_KEYS = {"day", "sessions"}
SESSION_KEYS = {"kind", "minutes", "intensity", "items"}
ITEM_KEYS = {"exercise", "dose", "modifications", "substituted_for", "reasons"}
UNBALANCED_NOTE = "could not be balanced"
_BALANCE = thigh_balance()
LOW, HIGH = _BALANCE.ratio_min, _BALANCE.ratio_max

weeks_counts = st.integers(1, 5)


def make_plan(
    data: dict[str, Any], start: date, weeks: int, seed: int, knowledge: Any = None
) -> dict[str, Any]:
    knowledge = knowledge or kb()
    profile = parse_profile(data, knowledge)
    return plan_json(build_plan(profile, knowledge, start=start, weeks=weeks, seed=seed))


def week_data(data: dict[str, Any], index: int) -> dict[str, Any]:
    return at_week(data, data["stage"]["week"] + index)


def last_week(data: dict[str, Any]) -> int:
    return 42 if data["stage"]["kind"] == "pregnant" else 104


def strength_sessions(week: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(d["day"], s) for d in week["days"] for s in d["sessions"] if s["kind"] == "strength"]


def side_weight(exercise: dict[str, Any], side: set[str]) -> float:
    if side & set(exercise["primary_muscles"]):
        return 1.0
    if side & set(exercise["secondary_muscles"]):
        return 0.5
    return 0.0


def thigh_volumes(week: dict[str, Any]) -> tuple[float, float]:
    posterior = anterior = 0.0
    for _, session in strength_sessions(week):
        for item in session["items"]:
            if item.get("block") == "main" and item["exercise"]["pattern"] in BALANCE_PATTERNS:
                posterior += item["dose"]["sets"] * side_weight(item["exercise"], POSTERIOR)
                anterior += item["dose"]["sets"] * side_weight(item["exercise"], ANTERIOR)
    return posterior, anterior


def item_seconds(dose: dict[str, Any]) -> int:
    sides = 2 if dose["per_side"] else 1
    if dose["minutes"] is not None:
        work = dose["minutes"] * 60
    elif dose["hold_seconds"] is not None:
        work = dose["hold_seconds"] * sides
    else:
        work = dose["reps"] * PLANNING.seconds_per_rep * sides
    return dose["sets"] * work + (dose["sets"] - 1) * dose["rest_seconds"]


# --- screening ------------------------------------------------------------------------------


@MORE
@given(any_profiles(), starts, weeks_counts)
def test_only_cleared_profiles_get_weeks_and_the_rest_get_reasons(data, start, weeks):
    plan = make_plan(data, start, weeks, 0)
    expected = expected_clearance(data)
    assert plan["clearance"] == expected, data
    if expected == "cleared":
        assert plan["weeks"], data
    else:
        assert plan["weeks"] == []
        assert plan["reasons"], "a plan that is held back must say why"
        assert plan["next_step"].strip()
        assert plan["disclaimer"].strip()


@FAST
@given(valid_profiles(), starts)
def test_consult_provider_with_provider_clearance_gets_a_plan(data, start):
    data = {**data, "conditions": [*data["conditions"], "anaemia"], "provider_cleared": True}
    plan = make_plan(data, start, 1, 0)
    assert plan["clearance"] == "cleared"
    assert len(plan["weeks"]) == 1
    assert "relative-anaemia" in {r["rule"] for r in plan["reasons"]}


# --- safety of every item -------------------------------------------------------------------


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_no_item_breaks_an_exclusion_or_cap_in_force_that_week(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for index, week in enumerate(plan["weeks"]):
        rules = WeekRules.of(week_data(data, index))
        problems = [p for _, _, item in items_of(week) for p in rule_violations(item, rules)]
        assert not problems, (week["stage_week"], problems, data)


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_no_item_breaks_a_design_policy(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for index, week in enumerate(plan["weeks"]):
        this_week = week_data(data, index)
        problems = [p for _, _, item in items_of(week) for p in design_violations(item, this_week)]
        assert not problems, (week["stage_week"], problems, data)


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_items_use_only_owned_equipment(data, start, weeks, seed):
    owned = set(data["equipment"]) | {"mat", "wall"}
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        for _, _, item in items_of(week):
            missing = set(item["exercise"]["equipment"]) - owned
            assert not missing, (item["exercise"]["id"], missing, data["equipment"])


# --- whole weeks ----------------------------------------------------------------------------


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_weeks_are_whole_consecutive_and_stage_aware(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    first = data["stage"]["week"]
    assert len(plan["weeks"]) == min(weeks, last_week(data) - first + 1)
    if len(plan["weeks"]) < weeks:
        assert "plan-end-of-range" in {r["rule"] for r in plan["reasons"]}
    for index, week in enumerate(plan["weeks"]):
        assert week["week"] == index + 1
        assert week["stage_week"] == first + index
        assert [d["day"] for d in week["days"]] == list(range(1, 8))
        dates = [date.fromisoformat(d["date"]) for d in week["days"]]
        assert dates == [start + timedelta(days=7 * index + k) for k in range(7)]
        assert [d["weekday"] for d in week["days"]] == [x.strftime("%A") for x in dates]


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_pelvic_floor_work_every_day(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        for day in week["days"]:
            floor = [s for s in day["sessions"] if s["kind"] == "pelvic_floor"]
            assert len(floor) == 1, day["date"]
            assert floor[0]["items"]
            assert all(i["exercise"]["pattern"] == "pelvic_floor" for i in floor[0]["items"])
        assert week["totals"]["pelvic_floor_days"] == 7


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_training_days_match_the_profile_and_fit_the_minutes(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        training = [d for d in week["days"] if any(s["kind"] != "pelvic_floor" for s in d["sessions"])]
        assert len(training) == data["days_per_week"], (week["stage_week"], data)
        for day in week["days"]:
            assert day["rest"] == (day not in training)
            minutes = sum(s["minutes"] for s in day["sessions"] if s["kind"] != "pelvic_floor")
            assert minutes <= data["minutes_per_session"], (day["date"], minutes)


def strength_overruns(plan: dict[str, Any], slack: float) -> list[tuple[str, int, int]]:
    """Strength sessions whose content (warm-up, main work, cool-down, rests) takes longer than
    the session's minutes times ``slack``."""
    found = []
    for week in plan["weeks"]:
        for day in week["days"]:
            for session in day["sessions"]:
                if session["kind"] == "strength":
                    seconds = sum(item_seconds(i["dose"]) for i in session["items"])
                    if seconds > session["minutes"] * 60 * slack:
                        found.append((day["date"], session["minutes"], seconds))
    return found


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_strength_session_content_fits_roughly_its_minutes(data, start, weeks, seed):
    """A guard against gross overruns; the exact fit is the strict test below."""
    assert not strength_overruns(make_plan(data, start, weeks, seed), 1.35)


@settings(FAST, phases=[Phase.explicit, Phase.generate])
@given(valid_profiles(), starts, weeks_counts, seeds)
@example(
    profile(
        stage=pregnant(6),
        conditions=["pelvic_girdle_pain"],
        activity_level="inactive",
        days_per_week=1,
        minutes_per_session=10,
    ),
    date(2024, 1, 1),
    2,
    0,
)
def test_strength_session_content_fits_its_minutes(data, start, weeks, seed):
    """Sessions are "about" their minutes: balancing may add up to a tenth more work, never more."""
    assert not strength_overruns(make_plan(data, start, weeks, seed), 1.1)


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_strength_at_least_twice_and_never_on_consecutive_days(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    days_per_week = data["days_per_week"]
    for week in plan["weeks"]:
        days = [d for d, _ in strength_sessions(week)]
        assert len(days) == len(set(days)), "one strength session a day at most"
        assert week["totals"]["strength_sessions"] == len(days)
        assert len(days) >= min(2, days_per_week)
        if days_per_week == 1:
            assert any("strength" in n for n in week["notes"]), week["notes"]
        for a in days:
            for b in days:
                if a != b:
                    gap = (a - b) % 7
                    assert gap not in (1, 6), f"strength on days {sorted(days)} (Sunday→Monday counts)"


def aerobic_weeks(data: dict[str, Any], plan: dict[str, Any]):
    """(week, time allows 150) for the weeks where the 150-minute rule is in force without a
    build-up rule: moderate strength minutes count toward 150 (CAN19, UKCMO; guidelines.md §4.1),
    so time allows when days >= 3 and days × minutes >= 150 (the pelvic floor session is extra)."""
    ramping = False
    for index, week in enumerate(plan["weeks"]):
        rules = WeekRules.of(week_data(data, index))
        # Coming out of a build-up the target keeps climbing by 15 a week (gentle-progression).
        ramping = ramping or rules.requirement("build_up") is not None
        if rules.requirement("aerobic_minutes") is None or ramping:
            continue
        days, minutes = data["days_per_week"], data["minutes_per_session"]
        yield week, days >= 3 and days * minutes >= 150


def cardio_days(week: dict[str, Any]) -> int:
    return sum(1 for d in week["days"] if any(s["kind"] == "cardio" for s in d["sessions"]))


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_near_150_moderate_minutes_over_3_days_when_time_allows(data, start, weeks, seed):
    """The weekly aim, within a few minutes (the exact aim is below)."""
    plan = make_plan(data, start, weeks, seed)
    for week, time_allows in aerobic_weeks(data, plan):
        totals = week["totals"]
        if time_allows:
            assert totals["moderate_minutes"] >= 150 - 4, (week["stage_week"], totals, data)
            assert cardio_days(week) >= 3, (week["stage_week"], totals)
        if totals["moderate_minutes"] < 150:
            assert any("150" in n for n in week["notes"]), week["notes"]


@settings(MORE, phases=[Phase.explicit, Phase.generate])
@given(valid_profiles(), starts, weeks_counts, seeds)
@example(profile(stage=pregnant(20), days_per_week=4, minutes_per_session=57), date(2024, 1, 1), 1, 0)
def test_150_moderate_minutes_over_3_days_when_time_allows(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week, time_allows in aerobic_weeks(data, plan):
        if time_allows:
            assert week["totals"]["moderate_minutes"] >= 150, (week["stage_week"], week["totals"], data)
            assert cardio_days(week) >= 3


inactive_profiles = valid_profiles().map(lambda d: {**d, "activity_level": "inactive"})


@MORE
@given(inactive_profiles, starts, st.integers(2, 10), seeds)
def test_inactive_profiles_start_short_and_never_fall_back(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    minutes = [w["totals"]["moderate_minutes"] for w in plan["weeks"]]
    assert minutes[0] < 150, "an inactive profile starts with short bouts"
    # Bouts of about 10 minutes at first (UKCMO; guidelines.md §4.1): a cardio bout on its own is at
    # least that long; a finisher after a strength session continues that session's bout.
    for week in plan["weeks"]:
        for day in week["days"]:
            kinds = {s["kind"] for s in day["sessions"]}
            for session in day["sessions"]:
                if session["kind"] == "cardio" and "strength" not in kinds:
                    assert session["minutes"] >= min(10, data["minutes_per_session"])
    # Strength minutes are the estimated length of the work chosen, so a week may differ from the
    # one before by a few minutes; a bout on every training day may lift a week past its target,
    # and the session cap grows by 5 minutes a week besides the 15-minute weekly step.
    for before, after in itertools.pairwise(minutes):
        assert after >= before - 5, f"moderate minutes fell while building up: {minutes}"
    # The time spent, gentle recovery sessions included: when the early postpartum phase ends its
    # gentle sessions turn into moderate strength work of the same length, so only moderate
    # minutes may jump there.
    active = [active_minutes(w) for w in plan["weeks"]]
    for before, after in itertools.pairwise(active):
        assert after - before <= 25, f"the build-up jumped: {active}"


def active_minutes(week: dict[str, Any]) -> int:
    return sum(s["minutes"] for d in week["days"] for s in d["sessions"] if s["kind"] != "pelvic_floor")


def build_up_has_room(data: dict[str, Any], plan: dict[str, Any]) -> bool:
    days, minutes = data["days_per_week"], data["minutes_per_session"]
    return bool(plan["weeks"]) and days >= 3 and days * minutes >= 150


@MORE
@given(inactive_profiles, starts, st.integers(2, 10), seeds)
def test_inactive_build_up_rises_every_week_while_the_time_is_there(data, start, weeks, seed):
    """Only checked up to 135 minutes (see the strict test below for the last step to 150)."""
    plan = make_plan(data, start, weeks, seed)
    minutes = [w["totals"]["moderate_minutes"] for w in plan["weeks"]]
    if build_up_has_room(data, plan):
        for before, after in itertools.pairwise(minutes):
            assert after > before or before >= 135, f"the build-up stalled: {minutes}"


@settings(MORE, phases=[Phase.explicit, Phase.generate])
@given(inactive_profiles, starts, st.integers(8, 10), seeds)
@example(
    profile(stage=pregnant(20), activity_level="inactive", days_per_week=6, minutes_per_session=35),
    date(2024, 1, 1),
    10,
    0,
)
def test_inactive_build_up_reaches_150_when_the_time_allows(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    minutes = [w["totals"]["moderate_minutes"] for w in plan["weeks"]]
    if build_up_has_room(data, plan):
        for before, after in itertools.pairwise(minutes):
            assert after > before or before >= 150, f"the build-up stalled below 150: {minutes}"


# --- balance and totals ---------------------------------------------------------------------


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_thigh_balance_in_range_or_explained(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        posterior, anterior = thigh_volumes(week)
        if posterior > 0 and anterior > 0:
            ratio = posterior / anterior
            explained = any(UNBALANCED_NOTE in n for n in week["notes"])
            assert LOW <= ratio <= HIGH or explained, (week["stage_week"], ratio, week["notes"])


def test_thigh_balance_is_rarely_out_of_reach_and_always_explained():
    """Count, over a fixed (derandomized) sample of one-week plans, how often a week with
    lower-body work on both sides ends outside the rule's range (1.0–2.0); fail above 2%.

    Measured: 1 in 20,000 evenly drawn profiles; hypothesis' own draws favour the smallest
    sessions, and there 1 of 252 to 4 of 269 weeks stay out (the sample differs with the test
    modules collected beside it): 10-minute sessions that hold one hinge and one squat, where the
    hinge may not drop below the squat and no time is left for more front-of-thigh work. Every one
    carries the note (asserted below). It was 5% before lunges could swap to a squat without a
    chair and held weeks could restore sets trimmed for time."""
    seen: Counter[str] = Counter()

    @settings(FAST, max_examples=300)
    @given(valid_profiles(), starts, seeds)
    def sample(data, start, seed):
        for week in make_plan(data, start, 1, seed)["weeks"]:
            posterior, anterior = thigh_volumes(week)
            seen["weeks"] += 1
            if posterior > 0 and anterior > 0:
                seen["both sides"] += 1
                if not LOW <= posterior / anterior <= HIGH:
                    seen["out of range"] += 1
            if any(UNBALANCED_NOTE in n for n in week["notes"]):
                seen["noted"] += 1

    sample()
    print(f"\nthigh balance over one-week plans: {dict(seen)}")
    assert seen["both sides"] > 200
    assert seen["out of range"] == seen["noted"]
    assert seen["out of range"] / seen["both sides"] <= 0.02, dict(seen)


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_totals_match_a_recount_of_the_items(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        totals = week["totals"]
        sessions = [s for d in week["days"] for s in d["sessions"]]
        cardio = sum(s["minutes"] for s in sessions if s["kind"] == "cardio")
        strength = sum(
            s["minutes"]
            for s in sessions
            if s["kind"] == "strength" and s["intensity"]["label"] == "moderate"
        )
        assert totals["aerobic_minutes"] == cardio
        assert totals["strength_minutes"] == strength
        assert totals["moderate_minutes"] == cardio + strength
        assert totals["strength_sessions"] == sum(1 for s in sessions if s["kind"] == "strength")
        assert totals["pelvic_floor_days"] == sum(
            1 for d in week["days"] if any(s["kind"] == "pelvic_floor" for s in d["sessions"])
        )
        posterior, anterior = thigh_volumes(week)
        assert totals["posterior_volume"] == pytest.approx(posterior)
        assert totals["anterior_volume"] == pytest.approx(anterior)
        for session in sessions:
            if session["kind"] == "cardio":
                assert [i["dose"]["minutes"] for i in session["items"]] == [session["minutes"]]


# --- what every session and item says -------------------------------------------------------


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_strength_sessions_cue_deep_core_and_pelvic_floor_at_moderate_effort(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        for day, session in strength_sessions(week):
            assert session["items"], day
            assert any(i["exercise"]["pattern"] == "deep_core" for i in session["items"]), day
            for item in session["items"]:
                assert item["cues"]["core_and_pelvic_floor"], item["exercise"]["id"]
            intensity = session["intensity"]
            early = data["stage"]["kind"] == "postpartum" and week["stage_week"] <= 5
            # The first 6 weeks after birth hold gentle recovery sessions, not moderate strength work.
            assert intensity["rpe"] == ([None, None] if early else [12, 14])
            assert intensity["talk_test"].strip()
        for d in week["days"]:
            for session in d["sessions"]:
                if session["kind"] == "cardio":
                    assert session["intensity"]["rpe"] == [12, 14]


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_substituted_items_name_the_original_and_the_rule_trail(data, start, weeks, seed):
    exercises = kb().exercises
    plan = make_plan(data, start, weeks, seed)
    for index, week in enumerate(plan["weeks"]):
        rules = WeekRules.of(week_data(data, index))
        swapping = {r.id for r in rules.active if r.action.type in ("exclude", "modify")}
        for _, _, item in items_of(week):
            original = item["substituted_for"]
            if original is None:
                continue
            chosen = item["exercise"]["id"]
            assert original in exercises and original != chosen
            assert item["reasons"], (original, chosen)
            named = {r["rule"] for r in item["reasons"]}
            assert named & swapping, (original, chosen, named)
            same_pattern = exercises[original].pattern.value == item["exercise"]["pattern"]
            assert same_pattern or chosen in exercises[original].substitutes, (original, chosen)


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_modified_items_carry_the_modification_texts(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    for index, week in enumerate(plan["weeks"]):
        rules = WeekRules.of(week_data(data, index))
        for _, _, item in items_of(week):
            mods = set(item["modifications"])
            for rule_id, texts in expected_modification_texts(item, rules):
                assert mods & texts, (item["exercise"]["id"], rule_id, item["modifications"])
            unknown = mods - known_modification_texts(item["exercise"]["id"])
            assert not unknown, (item["exercise"]["id"], unknown)
            modify_rules = {r.id for r in rules.active if r.action.type in ("modify", "cap")}
            if {r["rule"] for r in item["reasons"]} & modify_rules and item["substituted_for"] is None:
                assert item["modifications"], item["exercise"]["id"]


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_attributes_describe_the_movement_as_prescribed(data, start, weeks, seed):
    """An applied variant's attribute changes show in the item's attributes (load only falls)."""
    exercises = kb().exercises
    plan = make_plan(data, start, weeks, seed)
    for week in plan["weeks"]:
        for _, _, item in items_of(week):
            e = item["exercise"]
            exercise = exercises[e["id"]]
            applied = [v for v in exercise.variants if v.text in item["modifications"]]
            changes: dict[str, list[object]] = defaultdict(list)
            for variant in applied:
                for name, value in variant.set.model_dump(exclude_none=True).items():
                    changes[name].append(getattr(value, "value", value))
            for name, values in changes.items():
                if name == "load":
                    assert LOAD_RANK[e["load"]] <= max(LOAD_RANK[str(v)] for v in values)
                else:
                    assert e[name] in values, (e["id"], name, e[name], values)


# --- determinism, variety, progression ------------------------------------------------------

_FRESH: list[Any] = []


def fresh_knowledge() -> Any:
    """A knowledge base loaded anew from the YAML files, with an empty verdict memo."""
    if not _FRESH:
        _FRESH.append(load_knowledge(knowledge_dir()))
    return _FRESH[0]


@FAST
@given(valid_profiles(), starts, weeks_counts, seeds)
def test_same_inputs_give_the_same_plan(data, start, weeks, seed):
    first = json.dumps(make_plan(data, start, weeks, seed), sort_keys=True)
    again = json.dumps(make_plan(data, start, weeks, seed), sort_keys=True)
    assert first == again
    fresh_knowledge().memo.clear()
    fresh = json.dumps(make_plan(data, start, weeks, seed, fresh_knowledge()), sort_keys=True)
    assert first == fresh, "a plan must not depend on what the verdict memo already holds"


def test_different_seeds_usually_give_different_plans():
    outcomes: Counter[str] = Counter()

    @settings(FAST, max_examples=50)
    @given(valid_profiles().map(lambda d: {**d, "days_per_week": max(d["days_per_week"], 2)}), starts)
    def sample(data, start):
        plans = {json.dumps(make_plan(data, start, 1, seed), sort_keys=True) for seed in range(4)}
        outcomes["varied" if len(plans) > 1 else "same"] += 1

    sample()
    print(f"\nseed variety: {dict(outcomes)}")
    assert outcomes["varied"] >= 0.6 * sum(outcomes.values()), dict(outcomes)


def phase_ceiling(rules: RuleSet) -> int:
    """The hardest exercise a postpartum phase allows (rules/plan.yaml recovery_phase), else 5."""
    caps = [a.params.max_difficulty for a in rules.required(RequireRecoveryPhase)]
    return min(caps, default=5)


def usable_count(data: dict[str, Any], pattern: str) -> int:
    """How many exercises of this pattern the person owns and the engine would prescribe.

    Cardio is low-impact cardio (issue 3) in pregnancy, where habit cannot be told from novelty,
    and after birth for anyone but a vigorous exerciser, so a high-impact exercise (or one that
    only an adaptation makes usable, running as a brisk walk) is not a choice there.
    """
    knowledge = kb()
    profile = parse_profile(data, knowledge)
    rules = RuleSet.for_profile(knowledge, profile, running_ready=False)
    owned = set(data["equipment"]) | {"mat", "wall"}
    keeps_impact = data["activity_level"] == "vigorous" and data["stage"]["kind"] == "postpartum"
    low_impact_only = pattern == "cardio" and not keeps_impact
    count = 0
    for exercise in knowledge.exercises.values():
        if exercise.pattern.value != pattern or not {e.value for e in exercise.equipment} <= owned:
            continue
        if exercise.difficulty > phase_ceiling(rules):
            continue
        if low_impact_only and exercise.impact.value == "high":
            continue
        count += rules.evaluate(exercise).usable
    return count


def repeats_with_a_choice(data: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    """Main strength/cardio exercises done on two days of a week although the library had another.

    An item fills a slot of its own pattern, or of the pattern of the exercise it replaced. A
    repeat is only excused when the usable exercises of that slot's pattern are no more than the
    items that draw on them in the week.
    """
    exercises = kb().exercises
    found = []
    for index, week in enumerate(plan["weeks"]):
        days_by_id: dict[str, set[int]] = defaultdict(set)
        slot_of: dict[str, set[str]] = defaultdict(set)
        demand: Counter[str] = Counter()
        for day, session, item in items_of(week):
            if session["kind"] not in ("strength", "cardio") or item.get("block", "main") != "main":
                continue
            chosen = item["exercise"]["id"]
            original = item["substituted_for"]
            slot = exercises[original].pattern.value if original else item["exercise"]["pattern"]
            days_by_id[chosen].add(day["day"])
            slot_of[chosen].add(slot)
            demand[slot] += 1
            if item["exercise"]["pattern"] != slot:
                demand[item["exercise"]["pattern"]] += 1
        for chosen, days in days_by_id.items():
            if len(days) < 2:
                continue
            for slot in slot_of[chosen]:
                choices = usable_count(week_data(data, index), slot)
                if choices > demand[slot]:
                    found.append(
                        f"week {index + 1}: {chosen} on days {sorted(days)} in a {slot} slot, though "
                        f"{choices} {slot} exercises fit and the week draws on {demand[slot]}"
                    )
    return found


@MORE
@given(valid_profiles(), starts, weeks_counts, seeds)
@example(
    profile(
        stage=pregnant(1),
        conditions=["pelvic_girdle_pain"],
        equipment=["chair", "cable_machine"],
        days_per_week=2,
        minutes_per_session=10,
    ),
    date(2024, 1, 1),
    3,
    0,
)
@example(  # a too-hard ball curl regressed to the glute bridge the bridge slot already had
    profile(
        stage=pregnant(10),
        activity_level="inactive",
        equipment=["stability_ball", "small_ball"],
        days_per_week=6,
        minutes_per_session=30,
    ),
    date(2025, 1, 6),
    1,
    1,
)
@example(  # the hinge slot took the pull-through, the only stand-in for the excluded kickback
    profile(
        stage=pregnant(20),
        conditions=["pelvic_girdle_pain"],
        activity_level="vigorous",
        equipment=["cable_machine"],
        days_per_week=4,
        minutes_per_session=30,
    ),
    date(2025, 1, 6),
    1,
    0,
)
def test_no_main_exercise_repeats_across_days_unless_the_library_leaves_no_choice(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    assert not repeats_with_a_choice(data, plan)


@MORE
@given(valid_profiles(), starts, st.integers(2, 10), seeds)
def test_progression_never_rises_under_a_symptom_or_in_the_third_trimester(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    levels = [w["progression_level"] for w in plan["weeks"]]
    assert levels == sorted(levels), levels
    assert levels[0] == 0
    for index in range(1, len(plan["weeks"])):
        this_week = week_data(data, index)
        held = bool(set(data["symptoms"])) or (
            this_week["stage"]["kind"] == "pregnant" and this_week["stage"]["week"] >= 28
        )
        assert levels[index] - levels[index - 1] <= 1, levels
        if held:
            assert levels[index] == levels[index - 1], (levels, this_week["stage"])
            note = any("held" in n for n in plan["weeks"][index]["notes"])
            assert note, plan["weeks"][index]["notes"]


# --- the contract ---------------------------------------------------------------------------


@FAST
@given(valid_profiles(), starts, st.integers(1, 3), seeds)
def test_every_plan_has_the_section_6_shape_and_the_disclaimer(data, start, weeks, seed):
    plan = make_plan(data, start, weeks, seed)
    json.dumps(plan)  # serialisable as it stands
    assert plan.keys() >= PLAN_KEYS
    assert plan["disclaimer"] == kb().disclaimer
    for reason in plan["reasons"]:
        assert reason.keys() >= REASON_KEYS
    for week in plan["weeks"]:
        assert week.keys() >= WEEK_KEYS
        assert week["totals"].keys() >= TOTAL_KEYS
        assert isinstance(week["changes"], list)
        for day in week["days"]:
            assert day.keys() >= DAY_KEYS
            for session in day["sessions"]:
                assert session.keys() >= SESSION_KEYS
                assert session["kind"] in {"strength", "cardio", "pelvic_floor", "mobility"}
                for item in session["items"]:
                    assert item.keys() >= ITEM_KEYS
                    assert item["exercise"].keys() >= EXERCISE_KEYS
                    assert isinstance(item["modifications"], list)
                    for reason in item["reasons"]:
                        assert reason.keys() >= REASON_KEYS
                    assert item["dose"]["sets"] >= 1


@FAST
@given(valid_profiles(), starts, seeds)
def test_reported_symptoms_show_in_the_rules_that_explain_the_week(data, start, seed):
    """A week planned around a pelvic floor symptom names the pelvic-health referral."""
    plan = make_plan(data, start, 1, seed)
    if reported(data) & {"pelvic_floor_dysfunction", "urinary_leakage", "pelvic_heaviness"}:
        assert "refer-pelvic-floor-symptoms" in {r["rule"] for r in plan["reasons"]}
