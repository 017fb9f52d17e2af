"""The rules engine: which rules are in force for a person, and what they do to an exercise.

``RuleSet.for_profile`` checks the profile side of every rule once. ``RuleSet.evaluate`` then
judges one exercise: it applies modify rules (a named variant or a text), caps the load, and
checks exclusions against the attributes as prescribed. When the plain exercise is excluded,
each adaptation variant is tried in turn and re-checked against every rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

from bumpwise.domain.exercise import Cues, Dose, Exercise, Variant
from bumpwise.domain.knowledge import STAGE_VARIANTS, KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.rule import Allow, Cap, Exclude, ExerciseMatch, Match, Modify, Refer, Require, Rule
from bumpwise.domain.vocab import ALWAYS_AVAILABLE, LOAD_ORDER, Delivery, Equipment, Load

R = TypeVar("R", bound=Require)

Status = Literal["allowed", "modified", "excluded"]


@dataclass(frozen=True)
class Reason:
    """One rule's part in a decision, in words a person can read."""

    rule: str
    sources: tuple[str, ...]
    text: str
    design_choice: bool = False
    conflict: str | None = None

    @classmethod
    def of(cls, rule: Rule) -> Reason:
        return cls(rule.id, tuple(rule.sources), rule.summary, rule.design_choice, rule.conflict)

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "source": self.sources[0],
            "sources": list(self.sources),
            "text": self.text,
            "design_choice": self.design_choice,
            "conflict": self.conflict,
        }


def unique_reasons(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Each rule once, in the order first given."""
    first: dict[str, Reason] = {}
    for reason in reasons:
        first.setdefault(reason.rule, reason)
    return tuple(first.values())


def rule_ids(reasons: tuple[Reason, ...]) -> list[str]:
    """The rule ids behind a decision, each once."""
    return list(dict.fromkeys(reason.rule for reason in reasons))


def source_ids(reasons: tuple[Reason, ...]) -> list[str]:
    """The source ids behind a decision, each once (DESIGN marks a labelled design choice)."""
    return list(dict.fromkeys(source for reason in reasons for source in reason.sources))


@dataclass(frozen=True)
class Facts:
    """What the profile side of a rule can match on."""

    profile: Profile
    running_ready: bool
    running_test_ids: frozenset[str]
    """Every return-to-running test of the knowledge base: all must be passed."""

    @classmethod
    def of(cls, profile: Profile, kb: KnowledgeBase, *, running_ready: bool = False) -> Facts:
        return cls(profile, running_ready, frozenset(kb.running_tests))

    @cached_property
    def reported(self) -> frozenset[str]:
        return self.profile.reported()

    @cached_property
    def running_tests_incomplete(self) -> bool:
        results = self.profile.return_to_running_tests
        return not all(results.get(test, False) for test in self.running_test_ids)


def profile_matches(match: Match, facts: Facts) -> bool:
    stage = facts.profile.stage
    return (
        (match.stage_kind is None or match.stage_kind is stage.kind)
        and (match.week_min is None or stage.week >= match.week_min)
        and (match.week_max is None or stage.week <= match.week_max)
        and (match.trimesters is None or stage.trimester in match.trimesters)
        and (match.delivery is None or stage.delivery in match.delivery)
        and (match.has_any is None or not facts.reported.isdisjoint(match.has_any))
        and (match.symptoms_any is None or not set(facts.profile.symptoms).isdisjoint(match.symptoms_any))
        and (match.activity_levels is None or facts.profile.activity_level in match.activity_levels)
        and (
            match.running_tests_incomplete is None
            or match.running_tests_incomplete == facts.running_tests_incomplete
        )
        and (match.running_ready is None or match.running_ready == facts.running_ready)
    )


def exercise_matches(
    match: ExerciseMatch | None, attributes: Mapping[str, object], unknown: frozenset[str] = frozenset()
) -> bool:
    """``unknown``: attributes nobody has confirmed; a condition on one of them always holds."""
    if match is None:
        return True
    if match.except_id and attributes["id"] in match.except_id:
        return False
    return all(name in unknown or attributes[name] in accepted for name, accepted in match.constraints)


@dataclass(frozen=True)
class Prescription:
    """An exercise as it will be done: attributes after every change, and the words for them."""

    exercise: Exercise
    attributes: Mapping[str, object]
    variants: tuple[Variant, ...]
    modifications: tuple[str, ...]
    equipment: tuple[Equipment, ...]

    @property
    def name(self) -> str:
        """The last applied variant's name: a stage form is named too (a wall plank late in
        pregnancy is not called an incline plank)."""
        return self.variants[-1].name if self.variants else self.exercise.name

    @property
    def summary(self) -> str:
        """What the exercise is, in the words of the last applied variant that has its own."""
        own = [v.summary for v in self.variants if v.summary is not None]
        return own[-1] if own else self.exercise.summary

    @property
    def dose(self) -> Dose:
        """The dose of the last applied variant that has its own (a two-leg form is not done
        "each side"), else the exercise's."""
        own = [v.dose for v in self.variants if v.dose is not None]
        return own[-1] if own else self.exercise.dose

    @property
    def cues(self) -> Cues:
        """The exercise's cues with each applied variant's replacements, in the order applied."""
        cues = self.exercise.cues
        for variant in self.variants:
            cues = variant.cues.applied_to(cues)
        return cues


@dataclass(frozen=True)
class Verdict:
    exercise: Exercise
    status: Status
    prescription: Prescription | None
    reasons: tuple[Reason, ...]
    missing_equipment: tuple[Equipment, ...] = ()

    @property
    def usable(self) -> bool:
        return self.prescription is not None and not self.missing_equipment

    @property
    def dose(self) -> Dose:
        """The default dose as prescribed (the variant's own where the form changes)."""
        return self.prescription.dose if self.prescription is not None else self.exercise.dose


@dataclass
class _Draft:
    attributes: dict[str, object]
    unknown: frozenset[str] = frozenset()
    variants: list[Variant] = field(default_factory=list)
    modifications: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)

    def apply(self, variant: Variant, owned: frozenset[Equipment], *, caesarean: bool = False) -> None:
        self.variants.append(variant)
        self.modifications.append(variant.text)
        if caesarean and variant.after_caesarean:
            self.modifications.append(variant.after_caesarean)
        changed = variant.set.model_dump(exclude_none=True)
        self.attributes.update(changed)
        self.unknown = self.unknown - changed.keys()
        chosen = next((e for e in variant.equipment_any if e in owned), None)
        if chosen is not None and chosen not in self.equipment:
            self.equipment.append(chosen)


class RuleSet:
    """The rules in force for one profile at one stage week, sorted by what they do."""

    def __init__(self, kb: KnowledgeBase, facts: Facts) -> None:
        active = [rule for rule in kb.rules if profile_matches(rule.match, facts)]
        self.kb = kb
        self.facts = facts
        self.active = tuple(active)
        self.allowances = tuple(r for r in active if isinstance(r.action, Allow))
        self.exclusions = tuple(r for r in active if isinstance(r.action, Exclude))
        self.modifications = tuple(r for r in active if isinstance(r.action, Modify))
        self.caps = tuple(r for r in active if isinstance(r.action, Cap))
        self.requirements = tuple(r for r in active if isinstance(r.action, Require))
        self.referrals = tuple(r for r in active if isinstance(r.action, Refer))
        self.owned = frozenset(facts.profile.equipment) | ALWAYS_AVAILABLE
        self._cache: dict[str, Verdict] = {}
        # Two rule sets with the same rules in force, equipment and stage kind judge every exercise
        # alike, so verdicts are shared through the knowledge base across weeks, plans and people.
        # The kind of birth is in the key too: a caesarean adds words to some stage forms.
        stage = facts.profile.stage
        self.caesarean = stage.delivery is Delivery.CAESAREAN
        self._key = (self.signature(), self.owned, stage.kind, stage.delivery)

    @classmethod
    def for_profile(cls, kb: KnowledgeBase, profile: Profile, *, running_ready: bool = False) -> RuleSet:
        return cls(kb, Facts.of(profile, kb, running_ready=running_ready))

    def signature(self) -> tuple[str, ...]:
        """Rule ids in force: two rule sets with the same signature judge every exercise alike."""
        return tuple(rule.id for rule in self.active)

    def required(self, kind: type[R]) -> list[R]:
        """The requirements of this kind in force, in rule order."""
        return [rule.action for rule in self.requirements if isinstance(rule.action, kind)]

    def first_required(self, kind: type[R]) -> R | None:
        found = self.required(kind)
        return found[0] if found else None

    def requirement(self, name: str) -> Require | None:
        for rule in self.requirements:
            assert isinstance(rule.action, Require)
            if rule.action.requirement == name:
                return rule.action
        return None

    def evaluate(self, exercise: Exercise) -> Verdict:
        cached = self._cache.get(exercise.id)
        if cached is None or cached.exercise is not exercise:
            key = (self._key, exercise.id)
            shared = self.kb.memo.get(key)
            # Identity check: an edited or imported exercise may share the id of a library one.
            if not isinstance(shared, Verdict) or shared.exercise is not exercise:
                shared = self._evaluate(exercise)
                if exercise is self.kb.exercises.get(exercise.id):
                    self.kb.memo[key] = shared
            cached = self._cache[exercise.id] = shared
        return cached

    def _evaluate(self, exercise: Exercise) -> Verdict:
        missing = tuple(e for e in exercise.equipment if e not in self.owned)
        plain, blocking = self._prescribe(exercise, None)
        if plain is not None:
            status: Status = "modified" if plain.modifications else "allowed"
            reasons = tuple(plain.reasons) or tuple(Reason.of(rule) for rule in self.allowances)
            return Verdict(exercise, status, self._finish(exercise, plain), reasons, missing)
        for variant in self._adaptations(exercise):
            adapted, _ = self._prescribe(exercise, variant)
            if adapted is not None:
                reasons = unique_reasons(tuple(Reason.of(rule) for rule in blocking) + tuple(adapted.reasons))
                return Verdict(exercise, "modified", self._finish(exercise, adapted), reasons, missing)
        return Verdict(exercise, "excluded", None, tuple(Reason.of(rule) for rule in blocking), missing)

    def _adaptations(self, exercise: Exercise) -> list[Variant]:
        stage = self.facts.profile.stage.kind
        return [
            v
            for v in exercise.variants
            if v.key not in STAGE_VARIANTS and stage in v.applies_to and self._can_do(v)
        ]

    def _can_do(self, variant: Variant) -> bool:
        return not variant.equipment_any or not self.owned.isdisjoint(variant.equipment_any)

    def _prescribe(self, exercise: Exercise, adaptation: Variant | None) -> tuple[_Draft | None, list[Rule]]:
        """Apply modifications and caps, then check exclusions. Returns the draft or the blocking rules."""
        draft = _Draft(dict(exercise.attributes()), frozenset(exercise.unconfirmed))
        if adaptation is not None:
            draft.apply(adaptation, self.owned, caesarean=self.caesarean)
        for rule in self.modifications:
            if not exercise_matches(rule.match.exercise, draft.attributes, draft.unknown):
                continue
            if not self._modify(exercise, rule, draft, adapted=adaptation is not None):
                return None, [rule]
        self._apply_caps(draft)
        blocking = [
            r for r in self.exclusions if exercise_matches(r.match.exercise, draft.attributes, draft.unknown)
        ]
        return (None, blocking) if blocking else (draft, [])

    def _modify(self, exercise: Exercise, rule: Rule, draft: _Draft, *, adapted: bool) -> bool:
        """Apply one modify rule; False when the rule says the exercise must be swapped instead.

        Stage forms (named variants) describe the plain exercise, so once an adaptation is in
        place they do not stack on it: the rule then keeps, adds its text, or swaps, as it says.
        """
        action = rule.action
        assert isinstance(action, Modify)
        stage = self.facts.profile.stage.kind
        variant = exercise.variant(action.variant) if action.variant and not adapted else None
        if variant is not None and any(v.key == variant.key for v in draft.variants):
            return True
        if variant is not None and stage in variant.applies_to and self._can_do(variant):
            draft.apply(variant, self.owned, caesarean=self.caesarean)
        elif action.otherwise == "exclude":
            return False
        elif action.otherwise == "keep":
            return True
        else:
            assert action.text is not None
            draft.modifications.append(action.text)
        draft.reasons.append(Reason.of(rule))
        return True

    def _apply_caps(self, draft: _Draft) -> None:
        """Every cap that binds on the load as it stands is recorded; the lowest cap wins."""
        load = draft.attributes["load"]
        assert isinstance(load, Load)
        binding = []
        for rule in self.caps:
            action = rule.action
            assert isinstance(action, Cap)
            if LOAD_ORDER[load] > LOAD_ORDER[action.load] and exercise_matches(
                rule.match.exercise, draft.attributes, draft.unknown
            ):
                binding.append((rule, action))
        if not binding:
            return
        draft.attributes["load"] = min((a.load for _, a in binding), key=LOAD_ORDER.__getitem__)
        for rule, action in binding:
            if action.text not in draft.modifications:
                draft.modifications.append(action.text)
            draft.reasons.append(Reason.of(rule))

    def _finish(self, exercise: Exercise, draft: _Draft) -> Prescription:
        equipment = tuple(dict.fromkeys([*exercise.equipment, *draft.equipment]))
        return Prescription(
            exercise=exercise,
            attributes=draft.attributes,
            variants=tuple(draft.variants),
            modifications=tuple(draft.modifications),
            equipment=equipment,
        )
