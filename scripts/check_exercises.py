"""Validate the exercise files alone (a quick check while writing them); `bumpwise validate-data` checks everything."""

from collections import Counter
from pathlib import Path

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.loader import load_exercise_file

directory = Path(__file__).resolve().parents[1] / "src/bumpwise/knowledge/exercises"
problems = 0
exercises: dict[str, Exercise] = {}
for path in sorted(directory.glob("*.yaml")):
    try:
        exercises[path.stem] = load_exercise_file(path)
    except DataError as exc:
        problems += 1
        print("ERROR", exc)
for ex in exercises.values():
    for field in ("regressions", "progressions", "substitutes"):
        for target in getattr(ex, field):
            if target not in exercises:
                print(f"MISSING LINK {ex.id}.{field} -> {target}")
print(len(exercises), "exercises;", problems, "files with errors")
print(Counter(e.pattern.value for e in exercises.values()))
