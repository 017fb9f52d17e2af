"""wger's own exercise fixtures (Django ``dumpdata``): the files of ``wger/exercises/fixtures``
and ``wger/core/fixtures`` concatenated into one list of ``{"model", "pk", "fields"}`` objects.

The exercises (``exercises.exercise``) refer by id to their category, muscles, equipment and
licence, and each translation (``exercises.translation``) to its exercise; this joins them into
the same shape as an ``/api/v2/exerciseinfo/`` entry, so both wger formats are classified alike.
Every model an exercise refers to must be in the dump, else one error names the missing model.
Models we do not read (comments, aliases, languages...) are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError

EXERCISE = "exercises.exercise"
TRANSLATION = "exercises.translation"
VOCABULARIES = {
    "category": "exercises.exercisecategory",
    "muscle": "exercises.muscle",
    "equipment": "exercises.equipment",
    "license": "core.license",
}
NEEDED = (EXERCISE, TRANSLATION, *VOCABULARIES.values())


def is_dump(data: object) -> bool:
    """A Django dumpdata list: its first object names a model."""
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "model" in data[0]


Fields = Mapping[str, object]
Models = Mapping[str, Mapping[int, Fields]]


def exerciseinfo_entries(data: list[object]) -> list[dict[str, object]]:
    """The dump's exercises as exerciseinfo objects (``wger.parse`` then validates each)."""
    models: dict[str, dict[int, Fields]] = defaultdict(dict)
    for index, item in enumerate(data):
        model = item.get("model") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(model, str):
            raise ImportFormatError(f"[{index}]", N_("must be a dumpdata object with a 'model'"))
        if model not in NEEDED:
            continue
        pk, fields = item.get("pk"), item.get("fields")
        if not isinstance(pk, int) or not isinstance(fields, dict):
            raise ImportFormatError(f"[{index}]", N_("needs an integer 'pk' and a 'fields' object"))
        if pk in models[model]:
            raise ImportFormatError(
                f"[{index}].pk", N_("%(id)s appears more than once"), values={"id": f"{model} {pk}"}
            )
        models[model][pk] = fields
    if missing := [model for model in NEEDED if not models.get(model)]:
        raise ImportFormatError(
            "FILE",
            N_(
                "the wger dump has no %(models)s: give every file of the fixtures "
                "(exercise-base-data, translations, categories, muscles, equipment, licenses)"
            ),
            values={"models": ", ".join(missing)},
        )
    translations: dict[int, list[Fields]] = defaultdict(list)
    for pk, fields in sorted(models[TRANSLATION].items()):
        translations[_int(fields, "exercise", f"{TRANSLATION} {pk}")].append(fields)
    return [
        _info(pk, fields, translations.get(pk, []), models) for pk, fields in sorted(models[EXERCISE].items())
    ]


def _info(pk: int, fields: Fields, translations: list[Fields], models: Models) -> dict[str, object]:
    where = f"{EXERCISE} {pk}"

    def named(kind: str, ref: object) -> dict[str, object]:
        found = models[VOCABULARIES[kind]].get(ref) if isinstance(ref, int) else None
        if found is None:
            raise ImportFormatError(
                f"{where}.{kind}",
                N_("%(value)s is not a %(model)s in the dump"),
                values={"value": repr(ref), "model": VOCABULARIES[kind]},
            )
        return {"id": ref, **found}

    def many(kind: str, key: str) -> list[dict[str, object]]:
        refs = fields.get(key, [])
        if not isinstance(refs, list):
            raise ImportFormatError(f"{where}.{key}", N_("must be a list of ids"))
        return [named(kind, ref) for ref in refs]

    return {
        "id": pk,
        "uuid": fields.get("uuid"),
        "category": named("category", fields.get("category")),
        "muscles": many("muscle", "muscles"),
        "muscles_secondary": many("muscle", "muscles_secondary"),
        "equipment": many("equipment", "equipment"),
        "license": named("license", fields.get("license")),
        "license_author": fields.get("license_author"),
        "translations": [
            {
                "name": t.get("name"),
                "description": t.get("description", ""),
                "language": t.get("language"),
                "license_author": t.get("license_author"),
            }
            for t in translations
        ],
    }


def _int(fields: Fields, key: str, where: str) -> int:
    value = fields.get(key)
    if not isinstance(value, int):
        raise ImportFormatError(f"{where}.{key}", N_("must be an integer id"))
    return value
