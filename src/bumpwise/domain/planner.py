"""``build_plan``: screened, whole, balanced, stage-aware weeks that explain themselves.

Every week is planned for its own stage week, so a plan that crosses into the third trimester,
or past 26 weeks with a low-lying placenta, changes (or stops) on the week it does and says so.
Pure: the start date and the seed come in; nothing reads the clock or global randomness.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bumpwise.domain.catalog import N_
from bumpwise.domain.engine import Reason, RuleSet
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import Plan, Week
from bumpwise.domain.profile import Profile
from bumpwise.domain.readiness import running_ready
from bumpwise.domain.rule import Require, RequireBuildUp, RequireProgression, RequireProgressionHold, Rule
from bumpwise.domain.screening import screen
from bumpwise.domain.week_builder import WeekBuilder

MAX_WEEKS = 52


def build_plan(profile: Profile, kb: KnowledgeBase, *, start: date, weeks: int = 1, seed: int = 0) -> Plan:
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(
            "weeks",
            N_("%(weeks)s is out of range: %(low)s to %(high)s"),
            values={"weeks": weeks, "low": 1, "high": MAX_WEEKS},
        )
    first = screen(profile, kb)
    if not first.cleared:
        return Plan(first.clearance, first.reasons, (), first.next_step, kb.disclaimer)
    plan_weeks: list[Week] = []
    reasons = list(first.reasons)
    previous: RuleSet | None = None
    previous_target: int | None = None
    every_week: list[Rule] | None = None
    steps = built = 0
    for index in range(weeks):
        week_profile, stop_note = _profile_for_week(profile, index)
        if week_profile is None:
            reasons.append(_note_reason("plan-end-of-range", stop_note or ""))
            break
        screening = first if index == 0 else screen(week_profile, kb)
        if not screening.cleared:
            reasons.extend(screening.reasons)
            _note_stop(plan_weeks, week_profile, screening.headline, screening.reasons)
            break
        rules = RuleSet.for_profile(
            kb, week_profile, running_ready=running_ready(week_profile, kb, screening)
        )
        held_by = progression_hold(rules)
        if index > 0 and held_by is None:
            steps += 1
        builder = WeekBuilder(
            kb,
            week_profile,
            rules,
            index=index,
            seed=seed,
            level=_level(rules, steps),
            held=held_by is not None,
            previous_target=previous_target,
            built_weeks=built,
        )
        built = built + 1 if rules.required(RequireBuildUp) else 0
        week = builder.build(start + timedelta(weeks=index), _changes(previous, rules, week_profile))
        if held_by is not None and index > 0:
            week = _with_note(week, held_by)
        plan_weeks.append(week)
        every_week = _still_required(every_week, rules)
        previous, previous_target = rules, builder.cardio_target
    requirements = tuple(Reason.of(r) for r in every_week or ())
    return Plan(
        first.clearance, tuple(reasons), tuple(plan_weeks), first.next_step, kb.disclaimer, requirements
    )


def _still_required(so_far: list[Rule] | None, rules: RuleSet) -> list[Rule]:
    """The plan's requirements are those in force in every week; one that starts or stops part
    way (the third-trimester hold, say) is told in the weeks it applies to."""
    if so_far is None:
        return list(rules.requirements)
    now = {rule.id for rule in rules.requirements}
    return [rule for rule in so_far if rule.id in now]


def _profile_for_week(profile: Profile, index: int) -> tuple[Profile | None, str | None]:
    stage = profile.stage
    week = stage.week + index
    high = stage.week_range[1]
    if week > high:
        if stage.pregnant:
            return None, (
                f"The plan ends at week {high} of pregnancy. After the birth, start a new postpartum "
                "profile: recovery needs its own plan."
            )
        return None, f"The plan ends at week {high} after birth, the end of the postpartum range."
    return profile.at_week(week), None


def _with_note(week: Week, note: str) -> Week:
    return replace(week, notes=(*week.notes, note))


def _note_stop(weeks: list[Week], profile: Profile, headline: str, reasons: tuple[Reason, ...]) -> None:
    """The last planned week says that the plan stops after it, and why."""
    if not weeks:
        return
    why = reasons[0].text if reasons else headline
    note = f"The plan stops after this week. From stage week {profile.stage.week}: {headline}. {why}"
    weeks[-1] = _with_note(weeks[-1], note)


def _note_reason(rule_id: str, text: str) -> Reason:
    return Reason(rule_id, ("DESIGN",), text, design_choice=True)


def _level(rules: RuleSet, steps: int) -> int:
    """One level (one more set on the main lifts) per ``weeks_per_step`` weeks that allowed progress."""
    required = rules.first_required(RequireProgression)
    if required is None:
        return 0
    return min(required.params.max_level, steps // required.params.weeks_per_step)


def progression_hold(rules: RuleSet) -> str | None:
    """Why work must not get harder this week, if a ``progression_hold`` rule is in force."""
    for rule in rules.requirements:
        if isinstance(rule.action, RequireProgressionHold):
            return rule.summary
    return None


def _changes(previous: RuleSet | None, current: RuleSet, profile: Profile) -> tuple[str, ...]:
    if previous is None:
        return ()
    changes: list[str] = []
    before, after = previous.facts.profile.stage, profile.stage
    if before.trimester != after.trimester and after.trimester is not None:
        changes.append(f"Week {after.week}: trimester {after.trimester} begins.")
    old = {r.id for r in previous.active if not isinstance(r.action, Require)}
    for rule in current.active:
        if rule.id not in old and not isinstance(rule.action, Require):
            changes.append(f"From week {after.week}: {rule.summary}")
    new = {r.id for r in current.active}
    for rule in previous.active:
        if rule.id not in new and not isinstance(rule.action, Require):
            changes.append(f"No longer applies from week {after.week}: {rule.summary}")
    return tuple(changes)
