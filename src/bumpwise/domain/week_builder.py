"""One week of the plan: strength sessions first, varied and balanced, then cardio in the time left,
the pelvic floor every day, totals and notes.

The time model: a session's stated minutes are the estimated length of its work (sets × reps or
holds, rests between sets, and a changeover per exercise, all from data); a training day's work
fits inside the person's minutes, and the short daily pelvic floor session is stated as extra.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from bumpwise.domain.balance import Adjustable, Slack, rebalance
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.drafts import ItemDraft, SessionDraft, dose_seconds
from bumpwise.domain.engine import RuleSet, Verdict
from bumpwise.domain.exercise import Dose
from bumpwise.domain.knowledge import KnowledgeBase, StrengthTemplate
from bumpwise.domain.plan import Day, Intensity, Totals, Week
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import (
    RECOVERY_PHASES,
    RecoveryPhaseName,
    RequireAerobicMinutes,
    RequireBuildUp,
    RequireIntensity,
    RequireRecoveryPhase,
    RequireStrengthSessions,
    RequireThighBalance,
)
from bumpwise.domain.selection import Choice, Selector
from bumpwise.domain.totals import week_totals
from bumpwise.domain.variety import drop_session_repeats, has_repeats, repeat_notes, vary
from bumpwise.domain.vocab import ActivityLevel, Pattern, SessionKind
from bumpwise.domain.week_layout import (
    TRAINING_DAYS,
    cardio_reserve,
    pick_strength_days,
    share_cardio,
    strength_sessions_for,
)

GENTLE = Intensity("gentle", N_("slow, relaxed breathing throughout"))
PAD_SETS = 3
"""The most sets a warm-up or cool-down exercise grows to when a session has a few minutes over."""


@dataclass(frozen=True)
class WeekTargets:
    """What this week aims at: moderate minutes (strength and cardio together), cardio days, and
    while building up, the longest session and the length the build-up started its sessions at."""

    moderate_minutes: int
    cardio_min_days: int
    fill: bool
    session_cap: int | None
    first_session: int | None


@dataclass(frozen=True)
class Phase:
    """The strictest postpartum phase in force, or none (pregnancy, or past the phases)."""

    name: RecoveryPhaseName | None = None
    max_difficulty: int | None = None
    max_sets: int | None = None

    @classmethod
    def of(cls, rules: RuleSet) -> Phase:
        found = [r.params for r in rules.required(RequireRecoveryPhase)]
        if not found:
            return cls()
        return cls(
            min((p.phase for p in found), key=RECOVERY_PHASES.index),
            min(p.max_difficulty for p in found),
            min(p.max_sets for p in found),
        )


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
        built_weeks: int = 0,
    ) -> None:
        self.kb = kb
        self.config = kb.planning
        self.profile = profile
        self.rules = rules
        self.index = index
        self.level = level
        self.held = held
        self.previous_target = previous_target
        self.built_weeks = built_weeks
        self.cardio_target: int | None = None
        self.rng = random.Random(f"{seed}:{index}:{profile.stage.week}")
        self.phase = Phase.of(rules)
        band = self.config.difficulty_bands[profile.activity_level]
        if self.phase.max_difficulty is not None:
            top = self.phase.max_difficulty
            band = (min(band[0], top), min(band[1], top))
        # Habitual impact may continue, but bumpwise cannot tell habit from novelty, so it never
        # picks high-impact work in pregnancy; after birth only vigorous exercisers get it first.
        keep_impact = profile.activity_level is ActivityLevel.VIGOROUS and not profile.stage.pregnant
        self.selector = Selector(
            rules,
            self.rng,
            band,
            prefer_low_impact=not keep_impact,
            signature=frozenset(self.config.signature_exercises),
            ceiling=self.phase.max_difficulty or 5,
        )
        self.intensity = self._moderate_intensity()
        self.notes: list[str] = []
        self._templates_used = 0
        self._fixed_ids: set[str] = set()

    @property
    def max_sets(self) -> int:
        return min(self.config.max_sets, self.phase.max_sets or self.config.max_sets)

    @property
    def templates(self) -> list[StrengthTemplate]:
        own = self.config.phase_templates.get(self.phase.name) if self.phase.name else None
        return own or self.config.strength_templates

    @property
    def recovery_only(self) -> bool:
        """The phase has its own gentle sessions: they are not moderate work."""
        return bool(self.phase.name and self.config.phase_templates.get(self.phase.name))

    def build(self, start: date, changes: tuple[str, ...]) -> Week:
        targets = self._targets()
        self.cardio_target = targets.moderate_minutes
        profile = self.profile
        training = TRAINING_DAYS[profile.days_per_week]
        count = strength_sessions_for(profile.days_per_week, self._min_strength_sessions())
        strength_days = pick_strength_days(training, count)
        pelvic = [self._pelvic_floor(d) for d in range(7)]
        work = dict.fromkeys(training, profile.minutes_per_session)
        self.notes.append(
            _(
                "The daily pelvic floor session (about %(minutes)s minutes) is extra to "
                "your session minutes: do it at any time of day.",
                minutes=max(s.minutes for s in pelvic),
            )
        )
        reserve = cardio_reserve(
            training,
            strength_days,
            work,
            min_days=targets.cardio_min_days,
            min_block=self.config.min_cardio_block_minutes,
            min_strength=self.config.min_strength_minutes,
        )
        cap = self._strength_cap(targets, training, strength_days)
        budgets = {d: _capped(work[d] - reserve.get(d, 0), cap) for d in strength_days}
        self._leave_room_for_finishers(budgets, targets, training, work)
        strength = {d: self._strength(self._next_template(), budgets[d]) for d in strength_days}
        sessions = list(strength.values())
        repeats = self._vary(sessions)
        for session in sessions:
            _hinge_over_squat(session)
        self._balance(sessions)
        if repeats:
            self.notes.extend(repeat_notes(sessions, self.kb.exercises))
        for day, session in strength.items():
            if (
                budgets[day] * 60 - session.seconds(self.config.seconds_per_rep)
                < self.config.min_finisher_minutes * 60
            ):
                self._pad(session, budgets[day])
            session.minutes = self._stated_minutes(session, budgets[day])
        cardio = self._share_cardio(targets, training, work, strength)
        days: list[list[SessionDraft]] = []
        for day in range(7):
            planned: list[SessionDraft] = [strength[day]] if day in strength else []
            block = self._cardio(cardio[day]) if cardio.get(day) else None
            planned += [block] if block is not None else []
            days.append([*planned, pelvic[day]])
        frozen = tuple(
            Day(d + 1, start + timedelta(days=d), tuple(s.freeze() for s in sessions))
            for d, sessions in enumerate(days)
        )
        totals = self._totals(frozen)
        if not targets.fill:
            # A week that gave every training day a bout may pass its target; the next builds on it.
            self.cardio_target = max(targets.moderate_minutes, totals.moderate_minutes)
        self._note_targets(targets, totals, work)
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

    # --- targets and time ------------------------------------------------------------------
    def _targets(self) -> WeekTargets:
        build_ups = self.rules.required(RequireBuildUp)
        previous = self.previous_target
        if build_ups:
            # Two build-ups (new to exercise, and just after birth): the strictest numbers hold.
            start = min(b.params.start_minutes_per_week for b in build_ups)
            ramp = min(b.params.weekly_increase_minutes for b in build_ups)
            goal = min(b.params.minutes_per_week for b in build_ups)
            first = min(b.params.start_session_minutes for b in build_ups)
            step = min(b.params.session_increase_minutes for b in build_ups)
            # Never below what the week before reached (its bouts may have passed its target).
            target = start if previous is None else max(previous, min(goal, previous + ramp))
            cap = first + step * self.built_weeks
            min_days = max(b.params.min_days for b in build_ups)
            return WeekTargets(target, min_days, False, cap, first)
        aerobic = self.rules.first_required(RequireAerobicMinutes)
        if aerobic is None:
            return WeekTargets(0, 0, True, None, None)
        goal, ramp = aerobic.params.minutes_per_week, aerobic.params.weekly_increase_minutes
        # Coming out of a build-up, keep climbing gently rather than jumping to the goal.
        target = goal if previous is None or previous >= goal else min(goal, previous + ramp)
        return WeekTargets(target, aerobic.params.min_days, target >= goal, None, None)

    def _strength_cap(
        self, targets: WeekTargets, training: tuple[int, ...], strength: tuple[int, ...]
    ) -> int | None:
        """While building up, strength sessions share the week's target with a short bout on
        every other training day, so moderate strength work does not carry the week past it."""
        if targets.fill or self.recovery_only or not strength:
            return targets.session_cap
        bouts = (len(training) - len(strength)) * self.config.min_cardio_block_minutes
        share = max(self.config.min_cardio_block_minutes, (targets.moderate_minutes - bouts) // len(strength))
        return _capped(share, targets.session_cap)

    def _leave_room_for_finishers(
        self, budgets: dict[int, int], targets: WeekTargets, training: tuple[int, ...], work: dict[int, int]
    ) -> None:
        """While building up, a strength day whose leftover is too short for a cardio finisher
        gives up those few minutes to one when the week's target needs them, so a growing session
        cap never lowers the week (the cap holds each bout, not the day)."""
        if targets.fill:
            return
        finisher = self.config.min_finisher_minutes
        least = self.config.min_gentle_minutes if self.recovery_only else self.config.min_strength_minutes
        if targets.first_session is not None:
            least = min(least, targets.first_session)

        def reach() -> int:
            own = sum(_capped(work[d], targets.session_cap) for d in training if d not in budgets)
            counted = 0 if self.recovery_only else sum(budgets.values())
            leftovers = (work[d] - b for d, b in budgets.items())
            return own + counted + sum(_capped(m, targets.session_cap) for m in leftovers if m >= finisher)

        for day in sorted(budgets):
            deficit = targets.moderate_minutes - reach()
            if deficit <= 0:
                return
            leftover = work[day] - budgets[day]
            # A gentle recovery session does not count, so its day's walk may take what is missing.
            wanted = max(finisher, leftover + deficit) if self.recovery_only else finisher
            if leftover < wanted and work[day] - finisher >= least:
                budgets[day] = max(least, min(budgets[day], work[day] - wanted))

    def _min_strength_sessions(self) -> int:
        required = self.rules.first_required(RequireStrengthSessions)
        return required.params.min_sessions if required else 0

    def _moderate_intensity(self) -> Intensity:
        required = self.rules.first_required(RequireIntensity)
        low, high = (required.params.rpe_min, required.params.rpe_max) if required else (None, None)
        return Intensity("moderate", N_("you can talk but not sing"), low, high)

    def _stated_minutes(self, session: SessionDraft, budget: int) -> int:
        """The real length of the session's work, to the minute; a gap to its budget too short
        for a cardio finisher stays with the session when the work still fills most of it."""
        work = session.seconds(self.config.seconds_per_rep) / 60
        if budget - work < self.config.min_finisher_minutes and work >= budget / 1.15:
            return budget
        return min(budget, max(1, round(work)))

    def _share_cardio(
        self,
        targets: WeekTargets,
        training: tuple[int, ...],
        work: dict[int, int],
        strength: dict[int, SessionDraft],
    ) -> dict[int, int]:
        capacity: dict[int, int] = {}
        for day in training:
            left = work[day] - (strength[day].minutes if day in strength else 0)
            least = (
                self.config.min_finisher_minutes if day in strength else self.config.min_cardio_block_minutes
            )
            if left >= least:
                capacity[day] = _capped(left, targets.session_cap)
        counted = 0 if self.recovery_only else sum(s.minutes for s in strength.values())
        needed = max(0, targets.moderate_minutes - counted)
        block = self.config.min_cardio_block_minutes
        if targets.fill:
            return share_cardio(capacity, needed, block, fill=True)
        # Building up: every cardio day the person gave gets at least a short bout; the strength
        # days' leftover time takes what those days cannot.
        own = {d: c for d, c in capacity.items() if d not in strength}
        shares = share_cardio(own, max(needed, len(own) * block), block, fill=False)
        rest = needed - sum(shares.values())
        leftovers = {d: c for d, c in capacity.items() if d in strength}
        # A finisher after strength continues that bout, so it may be shorter than a bout alone.
        finisher = self.config.min_finisher_minutes
        return shares | (share_cardio(leftovers, rest, finisher, fill=False) if rest > 0 else {})

    # --- sessions -------------------------------------------------------------------------
    def _next_template(self) -> StrengthTemplate:
        templates = self.templates
        template = templates[self._templates_used % len(templates)]
        self._templates_used += 1
        return template

    def _strength(self, template: StrengthTemplate, minutes: int) -> SessionDraft:
        intensity = GENTLE if self.recovery_only else self.intensity
        session = SessionDraft(SessionKind.STRENGTH, template.name, minutes, intensity)
        warm_up = [self._item(p, "warm_up", band=(1, 1), sets=1, track=False) for p in self.config.warm_up]
        cool_down = [
            self._item(p, "cool_down", band=(1, 2), sets=1, track=False) for p in self.config.cool_down
        ]
        fixed = [i for i in warm_up + cool_down if i is not None]
        self._fixed_ids.update(i.exercise_id for i in fixed)
        budget = minutes * 60 - self._seconds(fixed)
        # The warm-up and cool-down exercises are not repeated as main work in the same session.
        borrowed = {i.exercise_id for i in fixed} - self.selector.used
        self.selector.used |= borrowed
        main = self._fit_main(template.slots, budget)
        self.selector.used -= borrowed - {i.exercise_id for i in main}
        self._add_sets(main, budget - self._seconds(main))
        session.items = [i for i in warm_up if i] + main + [i for i in cool_down if i]
        return session

    def _fit_main(self, slots: list[Pattern], budget: int) -> list[ItemDraft]:
        """Main work in slot order, in pairs (hinge with squat, pull with push), within the time.

        Fewer sets are tried before dropping a pair, so short sessions still pair their patterns;
        a pair that does not fit ends the session's main work.
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
        """Trim sets evenly until the pair fits; True (with the sets set) when it does. The main
        hinge never ends with fewer sets than the squat it is paired with."""
        per_rep = self.config.seconds_per_rep
        for cut in range(self.config.max_sets):
            sets = _hinge_leads(pair, [max(1, d.sets - cut) for d in pair])
            seconds = (
                dose_seconds(d.base, per_rep, n) + d.changeover for d, n in zip(pair, sets, strict=True)
            )
            if sum(seconds) <= budget:
                for draft, n in zip(pair, sets, strict=True):
                    draft.sets = n
                return True
            if all(n == 1 for n in sets):
                break
        return False

    def _add_sets(self, main: list[ItemDraft], spare: int) -> None:
        """Give time the pairs left unused to the main items, one set at a time in slot order
        (the hinge first), up to the sets their level plans; the session's length is its work."""
        per_rep = self.config.seconds_per_rep
        added = True
        while added:
            added = False
            for draft in main:
                one_set = dose_seconds(draft.base, per_rep, 1) + draft.base.rest_seconds
                if draft.sets < draft.planned and one_set <= spare and _squat_may_grow(main, draft):
                    draft.sets += 1
                    spare -= one_set
                    added = True

    def _pad(self, session: SessionDraft, budget: int) -> None:
        """A gap too short for a cardio finisher becomes more warm-up and cool-down (up to
        ``PAD_SETS`` sets each), so a short session's stated time is still its work."""
        per_rep = self.config.seconds_per_rep
        for draft in session.items:
            if draft.block == "main":
                continue
            one_set = dose_seconds(draft.base, per_rep, 1) + draft.base.rest_seconds
            while (
                draft.sets < min(PAD_SETS, self.max_sets)
                and session.seconds(per_rep) + one_set <= budget * 60
            ):
                draft.sets += 1

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
            _(
                "No %(pattern)s exercise fits your equipment and this week's rules.",
                pattern=pattern.value.replace("_", " "),
            )
        )

    def _draft(self, choice: Choice, slot: Pattern, block: str, sets: int | None = None) -> ItemDraft:
        base = choice.verdict.dose
        planned = sets if sets is not None else min(self.max_sets, base.sets + self.level)
        changeover = self.config.changeover_seconds
        return ItemDraft(choice, base, planned, block, self._why(choice), slot=slot, changeover=changeover)

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
        self.selector.used = set(taken) | self._fixed_ids
        choice = self.selector.choose(draft.slot, track=False)
        return None if choice is None else self._draft(choice, draft.slot, draft.block)

    def _why(self, choice: Choice) -> str:
        """The purpose of what is actually done (a squat standing in for a lunge explains the squat)."""
        why = self._purpose(choice.verdict.exercise.pattern)
        if choice.substituted_for:
            original = self.kb.exercises[choice.substituted_for].name
            return _(
                "%(why)s In place of %(original)s: %(reason)s",
                why=why,
                original=original,
                reason=choice.reasons[0].text,
            )
        if choice.verdict.status == "modified" and choice.reasons:
            return _("%(why)s Changed for you: %(reason)s", why=why, reason=choice.reasons[0].text)
        return why

    def _purpose(self, pattern: Pattern) -> str:
        if not self.profile.stage.pregnant and pattern in self.config.postpartum_purpose:
            return self.config.postpartum_purpose[pattern]
        return self.config.pattern_purpose[pattern]

    def _cardio(self, minutes: int) -> SessionDraft | None:
        draft = self._item(Pattern.CARDIO, "main", sets=1)
        if draft is None:
            return None
        draft.base, draft.sets = Dose(sets=1, minutes=minutes, rest_seconds=0), 1
        prescription = draft.choice.verdict.prescription
        title = _("Cardio: %(name)s", name=prescription.name if prescription else "")
        return SessionDraft(SessionKind.CARDIO, title, minutes, self.intensity, [draft])

    def _pelvic_floor(self, day: int) -> SessionDraft:
        """The daily pelvic floor session: the same few exercises, rotated so each day differs."""
        usable = self._pelvic_floor_pool
        count = len(self.config.pelvic_floor_session)
        picked = [usable[(day + k) % len(usable)] for k in range(min(count, len(usable)))]
        why = self._purpose(Pattern.PELVIC_FLOOR)
        # Done in one place without equipment: no changeover between them.
        items = [ItemDraft(Choice(v, None, v.reasons), v.dose, v.dose.sets, "main", why) for v in picked]
        session = SessionDraft(SessionKind.PELVIC_FLOOR, _("Pelvic floor"), 0, GENTLE, items)
        session.minutes = max(1, round(session.seconds(self.config.seconds_per_rep) / 60))
        return session

    @cached_property
    def _pelvic_floor_pool(self) -> list[Verdict]:
        exercises = sorted(
            (e for e in self.kb.exercises.values() if e.pattern is Pattern.PELVIC_FLOOR),
            key=lambda e: (e.difficulty, e.id),
        )
        return [v for v in map(self.rules.evaluate, exercises) if v.usable]

    # --- balance and totals ----------------------------------------------------------------
    def _balance(self, sessions: list[SessionDraft]) -> None:
        action = self.rules.first_required(RequireThighBalance)
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
            _tie_squat_to_hinge(session, mains, adjustable)
        low, high = action.params.ratio_min, action.params.ratio_max
        if not rebalance(adjustable, low, high):
            self.notes.append(
                _("The back and front of the thighs could not be balanced with this week's exercises.")
            )
        for draft, adjusted in zip(mains, adjustable, strict=True):
            draft.sets = adjusted.sets
        dropped = {id(d) for d, a in zip(mains, adjustable, strict=True) if a.sets == 0}
        for session in sessions:
            session.items = [d for d in session.items if id(d) not in dropped]

    def _balance_ceiling(self, draft: ItemDraft) -> int:
        """The most sets balancing may give an item: the sets its level plans (restoring any
        trimmed to fit the minutes), one more unless progression is held, never above max_sets."""
        top = draft.planned if self.held else draft.planned + 1
        return max(draft.sets, min(self.max_sets, top))

    @staticmethod
    def _pattern(draft: ItemDraft) -> Pattern:
        return draft.choice.verdict.exercise.pattern

    def _totals(self, days: tuple[Day, ...]) -> Totals:
        return week_totals(days, self.config.balance_patterns)

    def _note_targets(self, targets: WeekTargets, totals: Totals, work: dict[int, int]) -> None:
        if totals.strength_sessions < 2:
            self.notes.append(
                _(
                    "%(sessions)s strength session fits in %(days)s training "
                    "day; two a week on days that are not back to back are recommended.",
                    sessions=totals.strength_sessions,
                    days=self.profile.days_per_week,
                )
            )
        counted = _(
            "%(minutes)s moderate minutes (%(cardio)s of them cardio)",
            minutes=totals.moderate_minutes,
            cardio=totals.aerobic_minutes,
        )
        if not targets.fill:
            self.notes.append(
                _(
                    "Building up: %(counted)s this week, toward %(target)s and then 150 a week.",
                    counted=counted,
                    target=targets.moderate_minutes,
                )
            )
        elif totals.moderate_minutes < targets.moderate_minutes:
            room = sum(work.values())
            self.notes.append(
                _(
                    "Your %(days)s training days × %(minutes)s minutes hold %(room)s "
                    "minutes, so this week plans %(counted)s; the aim is %(target)s. "
                    "Add days or minutes to reach it.",
                    days=len(work),
                    minutes=self.profile.minutes_per_session,
                    room=room,
                    counted=counted,
                    target=targets.moderate_minutes,
                )
            )
        if 0 < totals.cardio_days < targets.cardio_min_days:
            self.notes.append(
                _(
                    "Cardio falls on %(days)s of the %(wanted)s days the guidelines "
                    "suggest spreading activity over; more training days would spread it.",
                    days=totals.cardio_days,
                    wanted=targets.cardio_min_days,
                )
            )


def _capped(minutes: int, cap: int | None) -> int:
    return minutes if cap is None else min(minutes, cap)


def _main_hinge(items: list[ItemDraft]) -> ItemDraft | None:
    """The session's first main hinge (a deadlift, usually): the move the plan is built around."""
    return next((d for d in items if d.block == "main" and _pattern_of(d) is Pattern.HINGE), None)


def _pattern_of(draft: ItemDraft) -> Pattern:
    return draft.choice.verdict.exercise.pattern


def _squat_may_grow(main: list[ItemDraft], draft: ItemDraft) -> bool:
    """A squat gains a set only while it stays at or below the main hinge."""
    hinge = _main_hinge(main)
    return _pattern_of(draft) is not Pattern.SQUAT or hinge is None or draft.sets + 1 <= hinge.sets


def _hinge_leads(pair: list[ItemDraft], sets: list[int]) -> list[int]:
    """Sets for a pair with the main hinge at least at the squat's count (the squat comes down)."""
    patterns = [_pattern_of(d) for d in pair]
    if Pattern.HINGE in patterns and Pattern.SQUAT in patterns:
        hinge, squat = patterns.index(Pattern.HINGE), patterns.index(Pattern.SQUAT)
        sets = list(sets)
        sets[squat] = min(sets[squat], sets[hinge])
    return sets


def _hinge_over_squat(session: SessionDraft) -> None:
    """After swaps for variety, no squat of the session has more sets than its main hinge."""
    hinge = _main_hinge(session.items)
    if hinge is None:
        return
    for draft in session.items:
        if draft.block == "main" and _pattern_of(draft) is Pattern.SQUAT:
            draft.sets = min(draft.sets, hinge.sets)


def _tie_squat_to_hinge(session: SessionDraft, mains: list[ItemDraft], adjustable: list[Adjustable]) -> None:
    """In balancing, the session's main hinge never loses a set and its squats never pass it."""
    hinge = _main_hinge(session.items)
    if hinge is None:
        return
    index = {id(d): i for i, d in enumerate(mains)}
    if id(hinge) not in index:
        return
    anchor = adjustable[index[id(hinge)]]
    anchor.floor = anchor.sets
    for draft in session.items:
        if id(draft) in index and _pattern_of(draft) is Pattern.SQUAT:
            adjustable[index[id(draft)]].below = anchor
