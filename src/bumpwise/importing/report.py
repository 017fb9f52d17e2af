"""The import report: how many exercises got each attribute value, and which need a review."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict

from bumpwise.domain.exercise import SAFETY_ATTRIBUTES
from bumpwise.importing.exercise import ImportedExercise

REPORTED = ("pattern", *(name for name in SAFETY_ATTRIBUTES if name in ImportedExercise.model_fields))


class ReviewNeeded(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    source_id: str
    name: str
    reasons: list[str]


class ImportReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int
    review_threshold: float
    review_needed_count: int
    counts: dict[str, dict[str, int]]
    review_needed: list[ReviewNeeded]


def import_report(exercises: list[ImportedExercise], threshold: float) -> ImportReport:
    rows = [exercise.as_json() for exercise in exercises]
    counts = {name: dict(sorted(Counter(_key(row[name]) for row in rows).items())) for name in REPORTED}
    review = [
        ReviewNeeded(id=e.id, source_id=e.source_id, name=e.name, reasons=list(e.review_reasons))
        for e in exercises
        if e.review_needed
    ]
    return ImportReport(
        total=len(exercises),
        review_threshold=threshold,
        review_needed_count=len(review),
        counts=counts,
        review_needed=review,
    )


def _key(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
