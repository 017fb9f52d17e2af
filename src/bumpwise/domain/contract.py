"""The JSON contract of design.md §6, built from domain values. Shared by the CLI and the API."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from bumpwise.domain.engine import Prescription, Verdict
from bumpwise.domain.exercise import Exercise


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def exercise_json(exercise: Exercise, attributes: Mapping[str, object] | None = None) -> dict[str, Any]:
    """EXERCISE: the id, name, pattern, muscles, equipment and the safety attributes (as prescribed)."""
    facts = attributes if attributes is not None else exercise.attributes()
    data: dict[str, Any] = {
        "id": exercise.id,
        "name": exercise.name,
        "summary": exercise.summary,
        "pattern": exercise.pattern.value,
        "primary_muscles": [m.value for m in exercise.primary_muscles],
        "secondary_muscles": [m.value for m in exercise.secondary_muscles],
        "equipment": [e.value for e in exercise.equipment],
    }
    for name, value in facts.items():
        if name not in ("id", "pattern"):
            data[name] = _plain(value)
    data["difficulty"] = exercise.difficulty
    data["origin"] = exercise.origin
    return data


def exercise_detail_json(exercise: Exercise) -> dict[str, Any]:
    data = exercise_json(exercise)
    data["cues"] = exercise.cues.model_dump()
    data["dose"] = {**exercise.dose.model_dump(), "text": exercise.dose.describe()}
    data["variants"] = [v.model_dump(mode="json", exclude_defaults=True) for v in exercise.variants]
    data["regressions"] = list(exercise.regressions)
    data["progressions"] = list(exercise.progressions)
    data["substitutes"] = list(exercise.substitutes)
    data["sources"] = list(exercise.sources)
    return data


def prescribed_json(prescription: Prescription) -> dict[str, Any]:
    data = exercise_json(prescription.exercise, prescription.attributes)
    data["name"] = prescription.name
    data["summary"] = prescription.summary
    data["equipment"] = [e.value for e in prescription.equipment]
    data["applied_variants"] = [v.key for v in prescription.variants]
    return data


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "exercise": verdict.exercise.id,
        "verdict": verdict.status,
        "prescribed": prescribed_json(verdict.prescription) if verdict.prescription else None,
        "modifications": list(verdict.prescription.modifications) if verdict.prescription else [],
        "cues": verdict.prescription.cues.model_dump() if verdict.prescription else None,
        "missing_equipment": [e.value for e in verdict.missing_equipment],
        "reasons": [reason.as_dict() for reason in verdict.reasons],
    }
