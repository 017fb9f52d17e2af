"""The format-neutral record every source is parsed into, before classification."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceExercise:
    """One exercise as the source file gives it, normalised but not yet interpreted.

    ``category``, ``mechanic``, ``force``, ``equipment`` and ``muscles`` keep the source's own
    words (lower-cased); the classifier maps them through the import vocabulary.
    """

    source: str
    source_id: str
    name: str
    steps: tuple[str, ...]
    category: str
    equipment: tuple[str, ...]
    primary_muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    licence: str
    licence_url: str | None
    attribution: str
    mechanic: str | None = None
    force: str | None = None
    level: str | None = None
