"""Why each exercise is in a plan, in words that fit that exercise
(``knowledge/exercise_purposes.yaml``); the planner's reason is per movement pattern."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Strict, Text
from bumpwise.domain.knowledge import knowledge_dir

PURPOSES_FILE = "exercise_purposes.yaml"


class Purposes(Strict):
    purposes: dict[str, Text]

    def check_covers(self, exercise_ids: Iterable[str]) -> None:
        """Every library exercise has a purpose, and every purpose is for a library exercise."""
        known = set(exercise_ids)
        missing, unknown = sorted(known - set(self.purposes)), sorted(set(self.purposes) - known)
        if missing or unknown:
            raise InputError(PURPOSES_FILE, f"no purpose for {missing}; not a library exercise: {unknown}")

    def why(self, exercise_id: str, planned: str) -> str:
        """The exercise's own purpose; the planner's reason for an exercise not in the library."""
        return self.purposes.get(exercise_id, planned)


def load_purposes(folder: Path) -> Purposes:
    text = (folder / PURPOSES_FILE).read_text(encoding="utf-8")
    return Purposes.model_validate(yaml.safe_load(text))


@cache
def purposes() -> Purposes:
    return load_purposes(knowledge_dir())
