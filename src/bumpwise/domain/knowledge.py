"""The knowledge base: every vocabulary, rule and exercise, loaded once and cross-checked."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field, model_validator

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise, Slug, Strict, Text
from bumpwise.domain.rule import DESIGN_SOURCE, Modify, RecoveryPhaseName, Refer, Rule
from bumpwise.domain.terms import (
    Condition,
    EquipmentTerm,
    Reportable,
    RunningTest,
    Source,
    Symptom,
    Term,
    WarningSign,
)
from bumpwise.domain.vocab import ActivityLevel, Clearance, Equipment, Pattern, StageKind

TermT = TypeVar("TermT", bound=Term | Source)

STAGE_VARIANTS: dict[str, StageKind] = {
    "third_trimester": StageKind.PREGNANT,
    "growing_bump": StageKind.PREGNANT,
    "early_postpartum": StageKind.POSTPARTUM,
}
"""Variant keys that rules apply by name, and the stage each belongs to."""


class ClearanceText(Strict):
    headline: Text
    next_step: Text


class Messages(Strict):
    disclaimer: Text
    clearances: dict[Clearance, ClearanceText]
    running_ready_next_step: Text


class StrengthTemplate(Strict):
    name: Text
    slots: list[Pattern] = Field(min_length=2)


class PlanningConfig(Strict):
    """The planner's programming defaults (planning.yaml)."""

    strength_templates: list[StrengthTemplate] = Field(min_length=1)
    warm_up: list[Pattern]
    cool_down: list[Pattern]
    pelvic_floor_session: list[Pattern] = Field(min_length=1)
    pelvic_floor_session_minutes: int = Field(ge=1, le=30)
    min_strength_minutes: int = Field(ge=10, le=60)
    min_gentle_minutes: int = Field(ge=5, le=60, description="The shortest gentle recovery-phase session.")
    min_cardio_block_minutes: int = Field(ge=5, le=30)
    difficulty_bands: dict[ActivityLevel, tuple[int, int]]
    max_sets: int = Field(ge=1, le=10)
    balance_patterns: list[Pattern] = Field(min_length=1)
    seconds_per_rep: int = Field(ge=1, le=10)
    changeover_seconds: int = Field(ge=0, le=120, description="Setting up and moving between exercises.")
    min_finisher_minutes: int = Field(
        ge=1, le=30, description="The shortest cardio block a strength day's leftover time becomes."
    )
    pattern_purpose: dict[Pattern, Text]
    postpartum_purpose: dict[Pattern, Text] = Field(
        default_factory=dict, description="After birth, these purposes replace the pregnancy ones."
    )
    phase_templates: dict[RecoveryPhaseName, list[StrengthTemplate]] = Field(
        default_factory=dict, description="A postpartum phase's own sessions, instead of strength_templates."
    )
    signature_exercises: list[Slug] = Field(
        default_factory=list, description="Preferred for their slot when in the person's band and allowed."
    )

    @model_validator(mode="after")
    def _complete(self) -> PlanningConfig:
        if set(self.pattern_purpose) != set(Pattern):
            raise ValueError(f"pattern_purpose must cover every pattern: {sorted(p.value for p in Pattern)}")
        if set(self.difficulty_bands) != set(ActivityLevel):
            raise ValueError("difficulty_bands must cover every activity level")
        return self


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source]
    conditions: dict[str, Condition]
    warning_signs: dict[str, WarningSign]
    symptoms: dict[str, Symptom]
    equipment: dict[str, EquipmentTerm]
    running_tests: dict[str, RunningTest]
    rules: tuple[Rule, ...]
    exercises: dict[str, Exercise]
    messages: Messages
    planning: PlanningConfig
    condition_aliases: dict[str, str] = field(default_factory=dict)
    rule_files: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    """The language of its text (the ids, numbers and rules' logic are the same in every language)."""
    overlay_problems: tuple[DataError, ...] = field(default=(), compare=False, repr=False)
    """Problems of the language's overlays, kept when loaded leniently (validate-data)."""
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    """Verdicts keyed by the rules in force (see RuleSet.evaluate); a pure-function memo."""

    @cached_property
    def referrals(self) -> tuple[Rule, ...]:
        """The refer rules (screening and running), in file order."""
        return tuple(r for r in self.rules if isinstance(r.action, Refer))

    @property
    def disclaimer(self) -> str:
        return self.messages.disclaimer

    def reportable(self, term_id: str) -> Reportable | None:
        """A warning sign or symptom by id."""
        return self.warning_signs.get(term_id) or self.symptoms.get(term_id)

    def reportable_ids(self, stage: StageKind) -> list[str]:
        """The warning signs and symptoms a person at this stage can report, sorted."""
        terms: list[Reportable] = [*self.warning_signs.values(), *self.symptoms.values()]
        return sorted(t.id for t in terms if t.applies(stage))

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def with_exercises(self, extra: Iterable[Exercise]) -> KnowledgeBase:
        """This knowledge base with a coach's exercises added (same rules, a memo of its own, since
        memoised groupings and verdicts hold exercises); itself when there are none."""
        added = {exercise.id: exercise for exercise in extra}
        if not added:
            return self
        return replace(self, exercises={**self.exercises, **added}, memo={})


def knowledge_dir() -> Path:
    return Path(str(files("bumpwise") / "knowledge"))


def default_knowledge(lang: str | None = None) -> KnowledgeBase:
    """The shipped knowledge base in a language (by default the one in force: bumpwise.domain.locale),
    loaded once per process and language (validated, or from the fingerprinted cache)."""
    from bumpwise.domain.locale import current_language

    return _default_knowledge(lang or current_language())


@cache
def _default_knowledge(lang: str) -> KnowledgeBase:
    from bumpwise.domain.knowledge_cache import default_cache_dir, load_cached

    return load_cached(knowledge_dir(), default_cache_dir(), load_knowledge, lang)


def load_knowledge(directory: Path, lang: str = "en", *, lenient: bool = False) -> KnowledgeBase:
    """The knowledge of a folder in a language: the English files with that language's overlays
    merged in (``locales/<lang>/``). ``lenient`` merges what it can and keeps every overlay problem
    in ``overlay_problems`` instead of raising the first."""
    # Imported here: the cached knowledge base (the usual case) needs no YAML parser.
    from bumpwise.domain.loader import KnowledgeFiles, load_exercises

    files = KnowledgeFiles(directory, lang, lenient=lenient)
    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    for path in sorted((directory / "rules").glob("*.yaml")):
        for rule in files.load_list(Rule, f"rules/{path.name}", "rules"):
            rules.append(rule)
            rule_files.setdefault(rule.id, f"rules/{path.name}")
    conditions = _by_id(files.load_list(Condition, "conditions.yaml", "conditions"))
    kb = KnowledgeBase(
        sources=_by_id(files.load_list(Source, "sources.yaml", "sources")),
        conditions=conditions,
        warning_signs=_by_id(files.load_list(WarningSign, "warning_signs.yaml", "warning_signs")),
        symptoms=_by_id(files.load_list(Symptom, "symptoms.yaml", "symptoms")),
        equipment=_by_id(files.load_list(EquipmentTerm, "equipment.yaml", "equipment")),
        running_tests=_by_id(files.load_list(RunningTest, "return_to_running.yaml", "running_tests")),
        rules=tuple(rules),
        exercises=load_exercises(directory / "exercises", files),
        messages=files.validate(Messages, "messages.yaml"),
        planning=files.validate(PlanningConfig, "planning.yaml"),
        condition_aliases={a: c.id for c in conditions.values() for a in c.aliases},
        rule_files=rule_files,
        lang=lang,
        overlay_problems=tuple(files.problems),
    )
    check_knowledge(kb)
    return kb


def _by_id(items: Iterable[TermT]) -> dict[str, TermT]:
    result: dict[str, TermT] = {}
    for item in items:
        if item.id in result:
            raise DataError(type(item).__name__.lower(), "id", f"{item.id!r} appears twice")
        result[item.id] = item
    return result


def check_knowledge(kb: KnowledgeBase) -> None:
    """Cross-file checks that no single model can make."""
    _check_equipment_vocabulary(kb)
    _check_rules(kb)
    _check_exercises(kb)
    _check_variant_own_words(kb)
    _check_warning_signs_stop(kb)


def _check_equipment_vocabulary(kb: KnowledgeBase) -> None:
    expected = {e.value for e in Equipment}
    if set(kb.equipment) != expected:
        missing, extra = expected - set(kb.equipment), set(kb.equipment) - expected
        raise DataError("equipment.yaml", "equipment", f"missing {sorted(missing)}, unknown {sorted(extra)}")


def reported_ids(kb: KnowledgeBase) -> set[str]:
    """Every id a person can report: conditions (with aliases), warning signs and symptoms."""
    return set(kb.conditions) | set(kb.warning_signs) | set(kb.symptoms)


def _check_rules(kb: KnowledgeBase) -> None:
    seen: set[str] = set()
    known = reported_ids(kb)
    for rule in kb.rules:
        where = f"{kb.rule_files.get(rule.id, 'rules')} (rule {rule.id})"
        if rule.id in seen:
            raise DataError(where, "id", "appears twice")
        seen.add(rule.id)
        for source in rule.sources:
            if source not in kb.sources:
                raise DataError(where, "sources", f"{source!r} is not in sources.yaml")
        for reported in rule.match.has_any or ():
            if reported not in known:
                raise DataError(where, "match.has_any", f"{reported!r} is not a known condition or symptom")
        for symptom in rule.match.symptoms_any or ():
            if symptom not in kb.symptoms:
                raise DataError(where, "match.symptoms_any", f"{symptom!r} is not a known symptom")
        named = (
            (rule.match.exercise.id or []) + (rule.match.exercise.except_id or [])
            if rule.match.exercise
            else []
        )
        for exercise_id in named:
            if exercise_id not in kb.exercises:
                raise DataError(where, "match.exercise.id", f"{exercise_id!r} is not an exercise")
        _check_required_variant(kb, rule, where)


def _check_required_variant(kb: KnowledgeBase, rule: Rule, where: str) -> None:
    """A modify rule that swaps out exercises lacking its variant must find it where it is meant to."""
    action = rule.action
    if not isinstance(action, Modify) or action.variant is None or action.otherwise != "exclude":
        return
    patterns = rule.match.exercise.pattern if rule.match.exercise else None
    for exercise in kb.exercises.values():
        if patterns and exercise.pattern in patterns and exercise.variant(action.variant) is None:
            raise DataError(
                f"{exercise.id}.yaml",
                "variants",
                f"a {exercise.pattern} needs a {action.variant!r} variant (rule {rule.id})",
            )


SETUP_ATTRIBUTES = frozenset({"position", "wide_stance", "asymmetric_lower_body"})
"""A variant that changes one of these is set up differently, so it must say how."""


def variants_missing_setup(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(exercise id, variant key) of each variant that changes how the body is placed but keeps
    the plain exercise's set-up cues, which would then contradict it."""
    return [
        (exercise.id, variant.key)
        for exercise in kb.exercises.values()
        for variant in exercise.variants
        if SETUP_ATTRIBUTES & variant.set.model_dump(exclude_none=True).keys() and variant.cues.setup is None
    ]


def variants_missing_words(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(exercise id, variant key, field) of each variant that changes the form but lacks words or
    a dose of its own: a summary when position, stance or sidedness changes; a dose when a
    per-side exercise becomes a two-sided form, which would otherwise be done "each side"."""
    missing = []
    for exercise in kb.exercises.values():
        for variant in exercise.variants:
            changes = variant.set.model_dump(exclude_none=True)
            if SETUP_ATTRIBUTES & changes.keys() and variant.summary is None:
                missing.append((exercise.id, variant.key, "summary"))
            two_sided = changes.get("asymmetric_lower_body") is False
            if two_sided and exercise.dose.per_side and variant.dose is None:
                missing.append((exercise.id, variant.key, "dose"))
    return missing


def _check_variant_own_words(kb: KnowledgeBase) -> None:
    """A variant that changes position, stance or sidedness has its own set-up cues, summary and,
    where it becomes two-sided, dose: the plain exercise's would contradict it."""
    gaps = [(exercise, key, "cues.setup", "set-up cues") for exercise, key in variants_missing_setup(kb)]
    gaps += [(exercise, key, field, field) for exercise, key, field in variants_missing_words(kb)]
    if gaps:
        exercise_id, key, field, what = gaps[0]
        raise DataError(
            f"{exercise_id}.yaml",
            f"variants.{key}.{field}",
            f"the variant changes position, stance or sidedness, so it needs its own {what}"
            f" ({len(gaps)} such gaps)",
        )


def _check_exercises(kb: KnowledgeBase) -> None:
    for exercise in kb.exercises.values():
        for source in exercise.sources:
            if source not in kb.sources or source == DESIGN_SOURCE:
                raise DataError(f"{exercise.id}.yaml", "sources", f"{source!r} is not a citable source")
        for variant in exercise.variants:
            stage = STAGE_VARIANTS.get(variant.key)
            if stage is not None and variant.applies_to != [stage]:
                raise DataError(
                    f"{exercise.id}.yaml",
                    f"variants.{variant.key}.applies_to",
                    f"must be [{stage.value}]",
                )


def _check_warning_signs_stop(kb: KnowledgeBase) -> None:
    """Every warning sign, at every stage it applies to, meets a rule that says seek care now:
    a genuine warning sign is never accepted and then left without effect."""
    for sign in kb.warning_signs.values():
        for stage in sign.applies_to:
            stops = [
                rule
                for rule in kb.referrals
                if sign.id in (rule.match.has_any or ())
                and rule.match.stage_kind in (None, stage)
                and isinstance(rule.action, Refer)
                and rule.action.clearance is Clearance.SEEK_CARE_NOW
            ]
            if not stops:
                raise DataError(
                    "warning_signs.yaml",
                    f"{sign.id}.applies_to",
                    f"no screening rule says seek care now for it at stage {stage.value}",
                )
