"""wger's ``/api/v2/exerciseinfo/`` JSON: a page (``{"count", "next", "previous", "results"}``)
or a plain list of exerciseinfo objects.

Strict about every field we read (presence, type, and the closed vocabularies of category,
equipment and muscle names, which the import vocabulary lists); fields we do not read are
ignored, because the API adds fields between versions (``videos``, ``last_update_global``...).
Each entry keeps its own licence and authors: wger content is licensed per entry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError
from bumpwise.importing import wger_dump
from bumpwise.importing.errors import entry_error
from bumpwise.importing.records import SourceExercise
from bumpwise.importing.vocabulary import WgerMaps

SOURCE = "wger"
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Named(Loose):
    id: int
    name: Name


class WgerMuscle(Loose):
    id: int
    name: Name
    name_en: str = ""


class WgerLicence(Loose):
    id: int
    full_name: str = ""
    short_name: Name
    url: str = ""


class WgerTranslation(Loose):
    name: Name
    description: str = Field(default="", max_length=50_000)
    language: int
    license_author: str | None = None
    author_history: list[str] = Field(default_factory=list, max_length=200)


class WgerExerciseInfo(Loose):
    id: int
    uuid: str | None = None
    category: Named
    muscles: list[WgerMuscle] = Field(max_length=50)
    muscles_secondary: list[WgerMuscle] = Field(max_length=50)
    equipment: list[Named] = Field(max_length=50)
    license: WgerLicence
    license_author: str | None = None
    translations: list[WgerTranslation] = Field(min_length=1, max_length=100)
    author_history: list[str] = Field(default_factory=list, max_length=200)


def parse(data: Any, maps: WgerMaps) -> list[SourceExercise]:
    """Every exerciseinfo entry (or every exercise of a fixtures dump), or an ImportFormatError
    for the first bad one."""
    items, prefix = _entries(data)
    if not items:
        raise ImportFormatError("FILE", N_("holds no exercises"))
    infos = [_validate(item, f"{prefix}[{index}]", maps) for index, item in enumerate(items)]
    seen: set[int] = set()
    for index, info in enumerate(infos):
        if info.id in seen:
            raise ImportFormatError(
                f"{prefix}[{index}].id", N_("%(id)s appears more than once"), values={"id": info.id}
            )
        seen.add(info.id)
    return [_record(info, maps) for info in infos]


def _entries(data: Any) -> tuple[list[Any], str]:
    if wger_dump.is_dump(data):
        return list(wger_dump.exerciseinfo_entries(data)), "exercises"
    if isinstance(data, list):
        return data, ""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"], "results"
    raise ImportFormatError(
        "FILE",
        N_(
            "a wger file is an /api/v2/exerciseinfo/ page (an object with a 'results' list) "
            "or a list of exerciseinfo objects, or the exercise fixtures (dumpdata) of the wger project"
        ),
    )


def _validate(item: Any, where: str, maps: WgerMaps) -> WgerExerciseInfo:
    if not isinstance(item, dict):
        raise ImportFormatError(where, N_("must be an exerciseinfo object"))
    try:
        info = WgerExerciseInfo.model_validate(item)
    except ValidationError as exc:
        label = item.get("id")
        raise entry_error(exc, f"{where} (id {label})" if isinstance(label, int) else where) from exc
    _check_known(f"{where}.category.name", [info.category.name], maps.categories)
    _check_known(f"{where}.equipment", [e.name for e in info.equipment], maps.equipment)
    muscles = [m.name for m in (*info.muscles, *info.muscles_secondary)]
    _check_known(f"{where}.muscles", muscles, maps.muscles)
    return info


def _check_known(field: str, names: list[str], known: Collection[str]) -> None:
    for name in names:
        if name not in known:
            raise ImportFormatError(
                field,
                N_("%(value)s is not one of the allowed values"),
                sorted(known),
                values={"value": repr(name)},
            )


def _record(info: WgerExerciseInfo, maps: WgerMaps) -> SourceExercise:
    translation = _pick_translation(info.translations, maps.english_language_ids)
    return SourceExercise(
        source=SOURCE,
        source_id=str(info.id),
        name=translation.name.strip(),
        steps=html_to_steps(translation.description),
        category=info.category.name.lower(),
        equipment=tuple(e.name for e in info.equipment),
        primary_muscles=tuple(m.name for m in info.muscles),
        secondary_muscles=tuple(m.name for m in info.muscles_secondary),
        licence=info.license.short_name.strip(),
        licence_url=info.license.url or None,
        attribution=_attribution(info, translation),
    )


def _pick_translation(translations: list[WgerTranslation], english: Collection[int]) -> WgerTranslation:
    """The English text when there is one: the classifier's vocabulary is English."""
    return next((t for t in translations if t.language in english), translations[0])


def _attribution(info: WgerExerciseInfo, translation: WgerTranslation) -> str:
    authors: list[str] = []
    for name in (info.license_author, translation.license_author, *info.author_history,
                 *translation.author_history):  # fmt: skip
        cleaned = (name or "").strip()
        if cleaned and cleaned not in authors:
            authors.append(cleaned)
    by = ", ".join(authors) if authors else "wger contributors"
    return f"{by} (wger exercise {info.id}, {info.license.short_name.strip()})"


_BREAK = re.compile(r"<\s*(?:/p|br\s*/?|/li|li|/h\d|/div)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def html_to_steps(description: str) -> tuple[str, ...]:
    """wger descriptions are HTML: paragraphs and list items become steps, tags are dropped."""
    text = _BREAK.sub("\n", description)
    text = html.unescape(_TAG.sub(" ", text))
    steps = (" ".join(part.split()) for part in text.split("\n"))
    return tuple(step for step in steps if step)
