"""Load the pose library and the figure files, resolve variants, and check them against the exercises.

knowledge/figures/poses.yaml holds named poses (a pose may extend another); each
knowledge/figures/<exercise id>.yaml gives the view, the positions and the props of one exercise,
and what each variant changes. Checked at load: every exercise and variant has a figure, and the
figure agrees with the safety attributes it illustrates (position, stance width, props).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise, Variant
from bumpwise.figures.model import FigureData, FigureSpec, Frame, Pose, PoseData, PropPlacement

POSES_FILE = "poses.yaml"
MAX_POSE_DEPTH = 8


@dataclass(frozen=True)
class FigureLibrary:
    poses: dict[str, Pose]
    figures: dict[str, FigureData]

    def spec(self, exercise: Exercise, variant: Variant | None = None) -> FigureSpec:
        """The figure of the exercise or of one of its variants (a variant inherits what it leaves out)."""
        data = self.figures[exercise.id]
        change = data.variants.get(variant.key) if variant is not None else None
        frames = change.frames if change is not None and change.frames is not None else data.frames
        props = change.props if change is not None and change.props is not None else data.props
        return FigureSpec(
            exercise=exercise.id,
            variant=variant.key if variant is not None else None,
            view=change.view if change is not None and change.view is not None else data.view,
            pin=change.pin if change is not None and change.pin is not None else data.pin,
            frames=tuple(self._pose(frame) for frame in frames),
            props=tuple(p if isinstance(p, PropPlacement) else PropPlacement(prop=p) for p in props),
        )

    def drawn_variant(self, exercise_id: str, applied: Sequence[str]) -> str | None:
        """Of the variants applied to an item, the last one drawn differently from the exercise."""
        figure = self.figures.get(exercise_id)
        return next((key for key in reversed(applied) if figure is not None and key in figure.variants), None)

    def _pose(self, frame: str | Frame) -> Pose:
        if isinstance(frame, str):
            return self.poses[frame]
        changes = frame.set.model_dump(exclude_none=True, by_alias=True)
        return self.poses[frame.pose].model_copy(update=changes)


def figures_dir(knowledge: Path) -> Path:
    return knowledge / "figures"


def load_figures(knowledge: Path, exercises: dict[str, Exercise], lang: str = "en") -> FigureLibrary:
    """The figures of a knowledge folder; the poses' words (``says``) in ``lang`` when its overlay
    translates them (``locales/<lang>/figures/poses.yaml``)."""
    from bumpwise.domain.loader import KnowledgeFiles, read_yaml, validate
    from bumpwise.figures.checks import check_library

    folder = figures_dir(knowledge)
    files = KnowledgeFiles(knowledge, lang)
    poses = resolve_poses(
        files.read(f"{folder.name}/{POSES_FILE}"), files.label(f"{folder.name}/{POSES_FILE}")
    )
    figures: dict[str, FigureData] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == POSES_FILE:
            continue
        data = validate(FigureData, read_yaml(path), path.name)
        if data.exercise != path.stem:
            raise DataError(
                path.name, "exercise", f"{data.exercise!r} must match the file name {path.stem!r}"
            )
        figures[data.exercise] = data
    library = FigureLibrary(poses, figures)
    check_library(library, exercises)
    return library


def resolve_poses(raw: Any, file: str) -> dict[str, Pose]:
    from bumpwise.domain.loader import validate

    if not isinstance(raw, dict) or set(raw) != {"poses"} or not isinstance(raw["poses"], dict):
        raise DataError(file, "", "must be a mapping with the single key 'poses' holding named poses")
    partial = {name: validate(PoseData, data, file, f"poses.{name}") for name, data in raw["poses"].items()}
    return {name: _resolve(name, partial, file) for name in partial}


def _resolve(name: str, partial: dict[str, PoseData], file: str) -> Pose:
    merged: dict[str, object] = {}
    current: str | None = name
    for _ in range(MAX_POSE_DEPTH):
        if current is None:
            break
        if current not in partial:
            raise DataError(file, f"poses.{name}.from", f"names {current!r}, which is not a pose")
        data = partial[current]
        merged = data.model_dump(exclude_none=True, exclude={"from_"}) | merged
        current = data.from_
    else:
        raise DataError(
            file, f"poses.{name}.from", f"extends more than {MAX_POSE_DEPTH} poses deep, or in a circle"
        )
    from bumpwise.domain.loader import validate

    return validate(Pose, merged | {"name": name}, file, f"poses.{name}")


def default_figures(lang: str | None = None) -> FigureLibrary:
    """The shipped figures, loaded and checked once per process and language (by default the one
    in force: only the poses' words differ)."""
    from bumpwise.domain.locale import current_language

    return _default_figures(lang or current_language())


@cache
def _default_figures(lang: str) -> FigureLibrary:
    from bumpwise.domain.knowledge import default_knowledge, knowledge_dir

    return load_figures(knowledge_dir(), default_knowledge(lang).exercises, lang)
