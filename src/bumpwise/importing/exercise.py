"""An imported exercise: EXERCISE of design.md §6 plus where it came from and how sure we are."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Literal

from pydantic import Field

from bumpwise.domain.exercise import SAFETY_ATTRIBUTES, SafetyAttributes, Slug
from bumpwise.domain.vocab import Equipment, Muscle, Pattern
from bumpwise.importing import evidence as ev
from bumpwise.importing.classify import Classification
from bumpwise.importing.records import SourceExercise

ID_PREFIX = {"free-exercise-db": "fedb", "wger": "wger", "coach": "own"}
Confidence = Annotated[float, Field(ge=0, le=1)]


class ImportedExercise(SafetyAttributes):
    """What ``exercises import`` prints and the local library stores (validated again on load)."""

    id: Slug
    name: str = Field(min_length=1, max_length=200)
    pattern: Pattern
    primary_muscles: list[Muscle]
    secondary_muscles: list[Muscle]
    equipment: list[Equipment]
    difficulty: int = Field(ge=1, le=5)
    origin: Literal["imported"] = "imported"
    source: Literal["free-exercise-db", "wger", "coach"]
    source_id: str = Field(min_length=1, max_length=200)
    licence: str = Field(min_length=1, max_length=200)
    licence_url: str | None
    attribution: str = Field(min_length=1, max_length=2000)
    confidence: dict[str, Confidence]
    evidence: dict[str, list[str]]
    review_needed: bool
    review_reasons: list[str]
    steps: list[str] = Field(default_factory=list, max_length=100)
    """The source's own instructions, shown with its licence and author."""

    def as_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")


def build_exercise(
    record: SourceExercise, result: Classification, threshold: float, exercise_id: str
) -> ImportedExercise:
    decisions = result.decisions
    confidence = {name: d.confidence for name, d in decisions.items()}
    confidence["equipment"] = result.equipment_confidence
    evidence = {name: list(d.evidence) for name, d in decisions.items()}
    evidence["equipment"] = list(result.equipment_evidence)
    # an attribute the rules know but the vocabulary does not classify counts as unsure
    unsure = [name for name in SAFETY_ATTRIBUTES if name not in decisions or confidence[name] < threshold]
    return ImportedExercise.model_validate(
        {
            "id": exercise_id,
            "name": record.name,
            "primary_muscles": list(result.primary_muscles),
            "secondary_muscles": list(result.secondary_muscles),
            "equipment": list(result.equipment),
            **{name: decision.value for name, decision in decisions.items()},
            "difficulty": result.difficulty,
            "source": record.source,
            "source_id": record.source_id,
            "licence": record.licence,
            "licence_url": record.licence_url,
            "attribution": record.attribution,
            "confidence": confidence,
            "evidence": evidence,
            "review_needed": bool(unsure),
            "review_reasons": [_reason(name, confidence.get(name), threshold) for name in unsure],
            "steps": list(record.steps),
        }
    )


def _reason(name: str, confidence: float | None, threshold: float) -> str:
    if confidence is None:
        return ev.NOT_CLASSIFIED.english(attribute=name)
    return ev.LOW_CONFIDENCE.english(attribute=name, confidence=f"{confidence:.2f}", threshold=threshold)


def exercise_id(source: str, source_id: str) -> str:
    """A stable slug: ``fedb-3-4-sit-up``; a hash suffix keeps long or odd ids unique and short."""
    slug = re.sub(r"[^a-z0-9]+", "-", source_id.lower()).strip("-") or "x"
    base = f"{ID_PREFIX[source]}-{slug}"
    if len(base) <= 72:
        return base
    digest = hashlib.sha1(source_id.encode()).hexdigest()[:7]
    return f"{base[:72].rstrip('-')}-{digest}"


def unique_ids(records: list[SourceExercise]) -> list[str]:
    """One id per record; two source ids that slug alike get a hash of their own id appended."""
    ids = [exercise_id(r.source, r.source_id) for r in records]
    seen: dict[str, int] = {}
    for slug in ids:
        seen[slug] = seen.get(slug, 0) + 1
    result = []
    for record, slug in zip(records, ids, strict=True):
        if seen[slug] > 1:
            slug = f"{slug[:72]}-{hashlib.sha1(record.source_id.encode()).hexdigest()[:7]}"
        result.append(slug)
    return result
