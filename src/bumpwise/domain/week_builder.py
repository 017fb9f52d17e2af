"""One week of the plan: lay out the days, fill each session, vary it, balance the thighs, total it up."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cached_property

from bumpwise.domain.balance import Adjustable, Slack, rebalance, side_weight
from bumpwise.domain.drafts import ItemDraft, SessionDraft, dose_seconds
from bumpwise.domain.engine import RuleSet, Verdict
from bumpwise.domain.exercise import Dose
from bumpwise.domain.knowledge import KnowledgeBase, StrengthTemplate
from bumpwise.domain.plan import Day, Intensity, Totals, Week
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import Require
from bumpwise.domain.selection import Choice, Selector
from bumpwise.domain.variety import drop_session_repeats, has_repeats, repeat_notes, vary
from bumpwise.domain.vocab import ANTERIOR_THIGH, POSTERIOR_THIGH, ActivityLevel, Pattern, SessionKind
from bumpwise.domain.week_layout import DayPlan, WeekTargets, lay_out_week, strength_sessions_for

GENTLE = Intensity("gentle", "slow, relaxed breathing throughout")


class WeekBuilder:
    def __init__(
        self,
        kb: KnowledgeBase,
        profile: Profile,
        rules: RuleSet,
        *,
        index: int,
        seed: int,
        level: int,
        held: bool = False,
        previous_target: int | None = None,
    ) -> None:
        self.kb = kb
        self.config = kb.planning
        self.profile = profile
        self.rules = rules
        self.index = index
        self.level = level
        self.held = held
        self.previous_target = previous_target
        self.cardio_target: int | None = None
        self.rng = random.Random(f"{seed}:{index}:{profile.stage.week}")
        band = self.config.difficulty_bands[profile.activity_level]
        gentle = self._build_up_param("max_difficulty")
        if gentle is not None:
            band = (min(band[0], int(gentle)), min(band[1], int(gentle)))
        # Habitual impact may continue, but bumpwise cannot tell habit from novelty, so it never
        # picks high-impact work in pregnancy; after birth only vigorous exercisers get it first.
        keep_impact = profile.activity_level is ActivityLevel.VIGOROUS and not profile.stage.pregnant
        self.selector = Selector(rules, self.rng, band, prefer_low_impact=not keep_impact)
        self.intensity = self._moderate_intensity()
        self.notes: list[str] = []
        self._templates_used = 0

    def build(self, start: date, changes: tuple[str, ...]) -> Week:
        targets = self._targets()
        self.cardio_target = targets.cardio_minutes
        layout = lay_out_week(targets)
        days = [self._day(d, plan) for d, plan in enumerate(layout)]
        strength = [s for day in days for s in day if s.kind is SessionKind.STRENGTH]
        repeats = self._vary(strength)
        self._balance(strength)
        if repeats:
            self.notes.extend(repeat_notes(strength, self.kb.exercises))
        frozen = tuple(
            Day(d + 1, start + timedelta(days=d), tuple(s.freeze() for s in sessions))
            for d, sessions in enumerate(days)
        )
        totals = self._totals(frozen)
        self._note_targets(targets, totals)
        return Week(
            index=self.index + 1,
            stage_week=self.profile.stage.week,
            stage_label=self.profile.stage.label(),
            days=frozen,
            totals=totals,
            changes=changes,
            notes=tuple(dict.fromkeys(self.notes)),
            progression_level=self.level,
        )

    # --- targets ---------------------------------------------------------------------------
    def _targets(self) -> WeekTargets:
        profile, config = self.profile, self.config
        strength = self._param("strength_sessions", "min_sessions", 2)
        build_up = self.rules.requirement("build_up")
        if build_up is not None:
            params = build_up.params
            start = params["start_minutes_per_week"]
            ramp = params["weekly_increase_minutes"]
            previous = self.previous_target
            target = min(params["minutes_per_week"], start if previous is None else previous + ramp)
            min_days, fill = int(params["min_days"]), False
        else:
            goal = self._param("aerobic_minutes", "minutes_per_week", 150)
            ramp = self._param("aerobic_minutes", "weekly_increase_minutes", 15)
            previous = self.previous_target
            # Coming out of a build-up, keep climbing gently rather than jumping to the goal.
            target = goal if previous is None or previous >= goal else min(goal, previous + ramp)
            min_days, fill = self._param("aerobic_minutes", "min_days", 3), target >= goal
        return WeekTargets(
            days_per_week=profile.days_per_week,
            minutes_per_session=profile.minutes_per_session,
            strength_sessions=strength_sessions_for(profile.days_per_week, strength),
            cardio_minutes=int(target),
            cardio_min_days=min_days,
            fill_cardio_days=fill,
            min_strength_minutes=config.min_strength_minutes,
            min_cardio_block=config.min_cardio_block_minutes,
        )

    def _build_up_param(self, name: str) -> float | None:
        """The strictest ``name`` among the build-up rules in force: an inactive person in the
        first weeks after birth has two, and the postpartum one caps sets and difficulty."""
        values = [
            rule.action.params[name]
            for rule in self.rules.requirements
            if isinstance(rule.action, Require)
            and rule.action.requirement == "build_up"
            and name in rule.action.params
        ]
        return min(values) if values else None

    def _param(self, requirement: str, name: str, default: int) -> int:
        action = self.rules.requirement(requirement)
        return int(action.params.get(name, default)) if action else default

    def _moderate_intensity(self) -> Intensity:
        action = self.rules.requirement("intensity")
        low = int(action.params["rpe_min"]) if action else 12
        high = int(action.params["rpe_max"]) if action else 14
        return Intensity("moderate", "you can talk but not sing", low, high)

    # --- days and sessions -----------------------------------------------------------------
    def _day(self, day: int, plan: DayPlan) -> list[SessionDraft]:
        sessions: list[SessionDraft] = []
        if plan.strength_minutes:
            template = self._next_template()
            sessions.append(self._strength(template, plan.strength_minutes))
        if plan.cardio_minutes:
            cardio = self._cardio(plan.cardio_minutes)
            if cardio is not None:
                sessions.append(cardio)
        sessions.append(self._pelvic_floor(day))
        return sessions

    def _next_template(self) -> StrengthTemplate:
        templates = self.config.strength_templates
        template = templates[self._templates_used % len(templates)]
        self._templates_used += 1
        return template

    def _strength(self, template: StrengthTemplate, minutes: int) -> SessionDraft:
        session = SessionDraft(SessionKind.STRENGTH, template.name, minutes, self.intensity)
        warm_up = [self._item(p, "warm_up", band=(1, 1), sets=1, track=False) for p in self.config.warm_up]
        cool_down = [
            self._item(p, "cool_down", band=(1, 2), sets=1, track=False) for p in self.config.cool_down
        ]
        fixed = [i for i in warm_up + cool_down if i is not None]
        budget = minutes * 60 - sum(i.seconds(self.config.seconds_per_rep) for i in fixed)
        main = self._fit_main(template.slots, budget)
        session.items = [i for i in warm_up if i] + main + [i for i in cool_down if i]
        return session

    def _fit_main(self, slots: list[Pattern], budget: int) -> list[ItemDraft]:
        """Main work in slot order, in pairs (hinge with squat, pull with push), within the time.

        Fewer sets are tried before dropping a pair, so short sessions still pair their patterns.
        """
        chosen: list[ItemDraft] = []
        for i in range(0, len(slots), 2):
            pair = [d for d in (self._item(p, "main") for p in slots[i : i + 2]) if d is not None]
            if not self._fit_pair(pair, budget - self._seconds(chosen)):
                for draft in pair:
                    self.selector.used.discard(draft.choice.verdict.exercise.id)
                break
            for draft in pair:
                draft.removable = i > 0
            chosen.extend(pair)
        if not chosen:
            self.notes.append("A strength session was too short for its main work; add minutes per session.")
        return chosen

    def _fit_pair(self, pair: list[ItemDraft], budget: int) -> bool:
        """Trim sets evenly until the pair fits; True (with the sets set) when it does."""
        per_rep = self.config.seconds_per_rep
        for cut in range(self.config.max_sets):
            sets = [max(1, d.sets - cut) for d in pair]
            if sum(dose_seconds(d.base, per_rep, n) for d, n in zip(pair, sets, strict=True)) <= budget:
                for draft, n in zip(pair, sets, strict=True):
                    draft.sets = n
                return True
            if all(n == 1 for n in sets):
                break
        return False

    def _seconds(self, drafts: list[ItemDraft]) -> int:
        return sum(d.seconds(self.config.seconds_per_rep) for d in drafts)

    def _item(
        self,
        pattern: Pattern,
        block: str,
        *,
        band: tuple[int, int] | None = None,
        sets: int | None = None,
        track: bool = True,
    ) -> ItemDraft | None:
        choice = self.selector.choose(pattern, band=band, track=track)
        if choice is None:
            self._note_missing(pattern)
            return None
        return self._draft(choice, pattern, block, sets)

    def _note_missing(self, pattern: Pattern) -> None:
        self.notes.append(
            f"No {pattern.value.replace('_', ' ')} exercise fits your equipment and this week's rules."
        )

    def _draft(self, choice: Choice, slot: Pattern, block: str, sets: int | None = None) -> ItemDraft:
        base = choice.verdict.dose
        ceiling = int(self._build_up_param("max_sets") or self.config.max_sets)
        planned = sets if sets is not None else min(ceiling, base.sets + self.level)
        return ItemDraft(choice, base, planned, block, self._why(choice), slot=slot)

    def _vary(self, sessions: list[SessionDraft]) -> bool:
        """Swap exercises that come up twice where the library allows; True if any repeated."""
        if not has_repeats(sessions):
            return False
        vary(sessions, self._rechoose, self.config.seconds_per_rep)
        for slot in drop_session_repeats(sessions):
            self._note_missing(slot)
        return True

    def _rechoose(self, draft: ItemDraft, taken: frozenset[str]) -> ItemDraft | None:
        """A new main item for ``draft``'s slot, preferring exercises not among ``taken``."""
        assert draft.slot is not None
        self.selector.used = set(taken)
        choice = self.selector.choose(draft.slot, track=False)
        return None if choice is None else self._draft(choice, draft.slot, draft.block)

    def _why(self, choice: Choice) -> str:
        """The purpose of what is actually done (a squat standing in for a lunge explains the squat)."""
        why = self.config.pattern_purpose[choice.verdict.exercise.pattern]
        if choice.substituted_for:
            original = self.kb.exercises[choice.substituted_for].name
            return f"{why} In place of {original}: {choice.reasons[0].text}"
        if choice.verdict.status == "modified" and choice.reasons:
            return f"{why} Changed for you: {choice.reasons[0].text}"
        return why

    def _cardio(self, minutes: int) -> SessionDraft | None:
        draft = self._item(Pattern.CARDIO, "main", sets=1)
        if draft is None:
            return None
        draft.base, draft.sets = Dose(sets=1, minutes=minutes, rest_seconds=0), 1
        title = (
            f"Cardio: {draft.choice.verdict.prescription.name if draft.choice.verdict.prescription else ''}"
        )
        return SessionDraft(SessionKind.CARDIO, title, minutes, self.intensity, [draft])

    def _pelvic_floor(self, day: int) -> SessionDraft:
        """The daily pelvic floor session: the same few exercises, rotated so each day differs."""
        usable = self._pelvic_floor_pool
        count = len(self.config.pelvic_floor_session)
        picked = [usable[(day + k) % len(usable)] for k in range(min(count, len(usable)))]
        why = self.config.pattern_purpose[Pattern.PELVIC_FLOOR]
        items = [
            ItemDraft(Choice(v, None, v.reasons), v.dose, v.dose.sets, "main", why)
            for v in picked
        ]
        minutes = self.config.pelvic_floor_session_minutes
        return SessionDraft(SessionKind.PELVIC_FLOOR, "Pelvic floor", minutes, GENTLE, items)

    @cached_property
    def _pelvic_floor_pool(self) -> list[Verdict]:
        exercises = sorted(
            (e for e in self.kb.exercises.values() if e.pattern is Pattern.PELVIC_FLOOR),
            key=lambda e: (e.difficulty, e.id),
        )
        return [v for v in map(self.rules.evaluate, exercises) if v.usable]

    # --- balance and totals ----------------------------------------------------------------
    def _balance(self, sessions: list[SessionDraft]) -> None:
        action = self.rules.requirement("thigh_balance")
        if action is None:
            return
        counted = set(self.config.balance_patterns)
        per_rep = self.config.seconds_per_rep
        mains: list[ItemDraft] = []
        adjustable: list[Adjustable] = []
        for session in sessions:
            # Sessions are "about" their minutes: balancing may use up to a tenth more.
            spare = session.minutes * 60 * 11 // 10 - session.seconds(per_rep)
            slack = Slack(max(0, spare))
            for draft in session.items:
                if draft.block != "main" or self._pattern(draft) not in counted:
                    continue
                top = self._balance_ceiling(draft)
                one_set = dose_seconds(draft.base, per_rep, 1) + draft.base.rest_seconds
                mains.append(draft)
                adjustable.append(
                    Adjustable(
                        draft.choice.verdict.exercise, draft.sets, draft.removable, top, one_set, slack
                    )
                )
        low, high = action.params["ratio_min"], action.params["ratio_max"]
        if not rebalance(adjustable, low, high):
            self.notes.append(
                "The back and front of the thighs could not be balanced with this week's exercises."
            )
        for draft, adjusted in zip(mains, adjustable, strict=True):
            draft.sets = adjusted.sets
        dropped = {id(d) for d, a in zip(mains, adjustable, strict=True) if a.sets == 0}
        for session in sessions:
            session.items = [d for d in session.items if id(d) not in dropped]

    def _balance_ceiling(self, draft: ItemDraft) -> int:
        """The most sets balancing may give an item: the sets its level plans (restoring any
        trimmed to fit the minutes), one more unless progression is held, never above max_sets."""
        ceiling = int(self._build_up_param("max_sets") or self.config.max_sets)
        top = draft.planned if self.held else draft.planned + 1
        return max(draft.sets, min(ceiling, top))

    @staticmethod
    def _pattern(draft: ItemDraft) -> Pattern:
        return draft.choice.verdict.exercise.pattern

    def _totals(self, days: tuple[Day, ...]) -> Totals:
        sessions = [s for d in days for s in d.sessions]
        counted = set(self.config.balance_patterns)
        mains = [
            i
            for s in sessions
            if s.kind is SessionKind.STRENGTH
            for i in s.items
            if i.block == "main" and i.prescription.exercise.pattern in counted
        ]
        posterior = sum(i.dose.sets * side_weight(i.prescription.exercise, POSTERIOR_THIGH) for i in mains)
        anterior = sum(i.dose.sets * side_weight(i.prescription.exercise, ANTERIOR_THIGH) for i in mains)
        return Totals(
            moderate_minutes=sum(s.minutes for s in sessions if s.kind is SessionKind.CARDIO),
            strength_sessions=sum(1 for s in sessions if s.kind is SessionKind.STRENGTH),
            pelvic_floor_days=sum(
                1 for d in days if any(s.kind is SessionKind.PELVIC_FLOOR for s in d.sessions)
            ),
            posterior_volume=posterior,
            anterior_volume=anterior,
            cardio_days=sum(1 for d in days if any(s.kind is SessionKind.CARDIO for s in d.sessions)),
        )

    def _note_targets(self, targets: WeekTargets, totals: Totals) -> None:
        if totals.strength_sessions < 2:
            self.notes.append(
                f"{totals.strength_sessions} strength session fits in {targets.days_per_week} training day; "
                "two a week on days that are not back to back are recommended."
            )
        if totals.moderate_minutes < targets.cardio_minutes:
            aim = f"{targets.cardio_minutes} over at least {targets.cardio_min_days} days"
            self.notes.append(
                f"Your days and minutes allow {totals.moderate_minutes} moderate minutes this week; "
                f"the aim is {aim}. Add days or minutes to reach it."
            )
        elif not targets.fill_cardio_days:
            self.notes.append(f"Building up: {totals.moderate_minutes} moderate minutes this week.")
