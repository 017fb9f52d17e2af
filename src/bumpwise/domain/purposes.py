"""Why each exercise is in a plan, in words that fit that exercise
(``knowledge/exercise_purposes.yaml``); the planner's reason is per movement pattern."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Exercise, Strict, Text
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.loader import KnowledgeFiles

PURPOSES_FILE = "exercise_purposes.yaml"


class Purposes(Strict):
    purposes: dict[str, Text]

    def check_covers(self, exercises: Mapping[str, Exercise]) -> None:
        """Every library exercise has a purpose; every key is a library exercise, or one of its
        stage forms as ``exercise-id.variant-key``."""
        known = {*exercises, *(f"{e.id}.{v.key}" for e in exercises.values() for v in e.variants)}
        missing = sorted(set(exercises) - set(self.purposes))
        unknown = sorted(set(self.purposes) - known)
        if missing or unknown:
            raise InputError(PURPOSES_FILE, f"no purpose for {missing}; not a library exercise: {unknown}")

    def why(self, exercise_id: str, planned: str, variants: Sequence[str] = ()) -> str:
        """The purpose of the stage form done (the last applied with its own), else of the
        exercise; the planner's reason for an exercise not in the library."""
        for key in reversed(variants):
            if f"{exercise_id}.{key}" in self.purposes:
                return self.purposes[f"{exercise_id}.{key}"]
        return self.purposes.get(exercise_id, planned)


def load_purposes(folder: Path, lang: str = "en") -> Purposes:
    """In a language: the English file with the language's overlay merged in."""
    return KnowledgeFiles(folder, lang).validate(Purposes, PURPOSES_FILE)


def purposes(lang: str | None = None) -> Purposes:
    """In a language (by default the one in force: bumpwise.domain.locale)."""
    from bumpwise.domain.locale import current_language

    return _purposes(lang or current_language())


@cache
def _purposes(lang: str) -> Purposes:
    return load_purposes(knowledge_dir(), lang)
