"""A coach's imported exercise as a domain ``Exercise`` the planner can use (issue 17).

The importer's row gives the name, pattern, muscles, equipment, inferred attributes and the
source's steps, licence and author; the coach's review gives confirmed values, attribute by
attribute. An attribute the coach confirmed takes the confirmed value. One not (yet) confirmed
takes its most restrictive value (``planned_form.most_restrictive``) and is listed in
``Exercise.unconfirmed``, so every rule that matches on it applies to the exercise whatever its
real value: it is excluded wherever any value of that attribute would be. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bumpwise.domain.exercise import SAFETY_ATTRIBUTES, Attribution, Cues, Exercise
from bumpwise.domain.vocab import Pattern
from bumpwise.importing.exercise import ImportedExercise
from bumpwise.importing.vocabulary import ImportVocabulary, Value, allowed_values, default_vocabulary

REVIEWED: tuple[str, ...] = ("pattern", *SAFETY_ATTRIBUTES)
"""The attributes a coach reviews: everything a rule can match on besides the id."""
CORRECTED: tuple[str, ...] = ("equipment", "primary_muscles", "secondary_muscles")
"""What a coach may correct besides: no rule matches on them, so an uncorrected one keeps the
importer's value (equipment decides whether a member has what it needs; muscles, the balance)."""
MAX_STEPS = 12


def reviewed_values(attribute: str) -> list[Value]:
    """The values a coach may confirm for ``attribute``."""
    return allowed_values(attribute)


def library_id(owner_id: int, imported_id: str) -> str:
    """Unique across coaches (two coaches may import the same wger exercise and judge it apart)."""
    return f"c{owner_id}-{imported_id}"[:80].rstrip("-")


def planned_exercise(
    row: Mapping[str, Any],
    confirmed: Mapping[str, Value | list[str]],
    owner_id: int,
    vocabulary: ImportVocabulary | None = None,
) -> Exercise:
    """The domain exercise for an imported row and the coach's confirmed values."""
    vocab = vocabulary or default_vocabulary()
    form = vocab.planned_form
    imported = ImportedExercise.model_validate(row)
    values: dict[str, Any] = {name: getattr(imported, name) for name in REVIEWED}
    unconfirmed = [name for name in REVIEWED if name not in confirmed]
    for name in unconfirmed:
        if name in form.most_restrictive:
            values[name] = form.most_restrictive[name]
    values.update({name: value for name, value in confirmed.items() if name in REVIEWED})
    pattern = Pattern(values["pattern"])
    corrected = {
        name: list(value)
        for name, value in confirmed.items()
        if name in CORRECTED and isinstance(value, list)
    }
    primary = (
        corrected.get("primary_muscles") or list(imported.primary_muscles) or list(form.muscles[pattern])
    )
    secondary = corrected.get("secondary_muscles", list(imported.secondary_muscles))
    steps = [_cue(step) for step in imported.steps[:MAX_STEPS] if len(step.strip()) >= 3]
    return Exercise.model_validate(
        {
            **values,
            "id": library_id(owner_id, imported.id),
            "name": _name(imported.name),
            "summary": _cue(form.summary.format(name=imported.name, source=imported.source)),
            "primary_muscles": primary,
            "secondary_muscles": [m for m in secondary if m not in primary],
            "equipment": corrected.get("equipment", list(imported.equipment)),
            "cues": Cues(
                setup=list(form.setup),
                movement=steps or list(form.movement_when_no_steps),
                breath=list(form.breath),
                core_and_pelvic_floor=list(form.core_and_pelvic_floor),
            ),
            "dose": form.dose[pattern],
            "difficulty": imported.difficulty,
            "origin": "imported",
            "attribution": Attribution(
                source=imported.source,
                source_id=imported.source_id,
                licence=imported.licence,
                licence_url=imported.licence_url,
                author=imported.attribution,
            ),
            "unconfirmed": tuple(unconfirmed),
        }
    )


OWN_SOURCE = "coach"


def written_exercise(name: str, steps: list[str], author: str, source_id: str) -> ImportedExercise:
    """An exercise a coach writes by hand: classified from the coach's own words like an import
    (so the review shows the same guesses and evidence), owned and licensed by its author."""
    from bumpwise.importing.classify import classify
    from bumpwise.importing.exercise import build_exercise, exercise_id
    from bumpwise.importing.records import SourceExercise

    vocab = default_vocabulary()
    record = SourceExercise(
        source=OWN_SOURCE,
        source_id=source_id,
        name=" ".join(name.split()),
        steps=tuple(" ".join(step.split()) for step in steps if step.strip()),
        category="",
        equipment=(),
        primary_muscles=(),
        secondary_muscles=(),
        licence="the coach's own",
        licence_url=None,
        attribution=author,
    )
    return build_exercise(
        record, classify(record, vocab), vocab.review_threshold, exercise_id(OWN_SOURCE, source_id)
    )


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if len(cleaned) < 3:
        cleaned = f"{cleaned} exercise"
    return cleaned if len(cleaned) <= 80 else cleaned[:79].rstrip() + "…"


def _cue(text: str) -> str:
    cleaned = " ".join(text.split())
    return cleaned if len(cleaned) <= 600 else cleaned[:599].rsplit(" ", 1)[0] + "…"
