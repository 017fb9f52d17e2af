"""The import report: how many exercises got each attribute value, and which need a review."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bumpwise.domain.exercise import SAFETY_ATTRIBUTES
from bumpwise.importing.exercise import ImportedExercise

REPORTED = ("pattern", *(name for name in SAFETY_ATTRIBUTES if name in ImportedExercise.model_fields))


def import_report(exercises: list[ImportedExercise], threshold: float) -> dict[str, Any]:
    rows = [exercise.as_json() for exercise in exercises]
    counts = {name: dict(sorted(Counter(_key(row[name]) for row in rows).items())) for name in REPORTED}
    review = [
        {"id": e.id, "source_id": e.source_id, "name": e.name, "reasons": list(e.review_reasons)}
        for e in exercises
        if e.review_needed
    ]
    return {
        "total": len(exercises),
        "review_threshold": threshold,
        "review_needed_count": len(review),
        "counts": counts,
        "review_needed": review,
    }


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
