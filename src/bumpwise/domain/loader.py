"""Read knowledge files from disk into validated models. The only module of the domain that reads files."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.overlay import (
    LANGUAGE_FILE,
    LOCALES_DIR,
    TEXT_PATHS_FILE,
    LanguageInfo,
    TextPaths,
    merge_overlay,
)
from bumpwise.domain.validation import first_error

# libyaml is several times faster; fall back to the pure-Python loader where it is missing
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DataError(path.name, "", f"is not valid YAML: {exc}") from exc
    except OSError as exc:
        raise DataError(path.name, "", f"cannot be read: {exc.strerror}") from exc


def validate(model: type[ModelT], data: Any, file: str, prefix: str = "") -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        field, message, allowed = first_error(exc)
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
        path = f"{prefix}.{field}" if prefix and field else prefix or field
        raise DataError(file, path, message) from exc


@dataclass(frozen=True)
class KnowledgeFiles:
    """The knowledge files of a folder in one language: English, with the overlay of
    ``locales/<lang>/`` merged in (bumpwise.domain.overlay). English needs no overlay."""

    directory: Path
    lang: str = "en"
    problems: list[DataError] = dataclass_field(default_factory=list, compare=False)
    """Every overlay problem met while reading (the first is raised unless ``lenient``)."""
    lenient: bool = False

    @property
    def overlay_dir(self) -> Path:
        return self.directory / LOCALES_DIR / self.lang

    def label(self, rel: str) -> str:
        """The file an error names: the overlay's when there is one, else the English one."""
        if self.lang != "en" and (self.overlay_dir / rel).exists():
            return f"{LOCALES_DIR}/{self.lang}/{rel}"
        return Path(rel).name

    @cached_property
    def text_paths(self) -> TextPaths:
        return validate(TextPaths, read_yaml(self.directory / TEXT_PATHS_FILE), TEXT_PATHS_FILE)

    def read(self, rel: str) -> Any:
        english = read_yaml(self.directory / rel)
        overlay_path = self.overlay_dir / rel
        if self.lang == "en" or not overlay_path.exists():
            return english
        label = self.label(rel)
        overlay = read_yaml(overlay_path)
        if overlay is not None and not isinstance(overlay, dict):
            raise DataError(label, "", "must be a mapping, as the English file")
        merged, problems = merge_overlay(english, overlay, label, self.text_paths.patterns(rel))
        self.problems.extend(problems)
        if problems and not self.lenient:
            raise problems[0]
        return merged

    def validate(self, model: type[ModelT], rel: str) -> ModelT:
        return validate(model, self.read(rel), self.label(rel))

    def load_list(self, model: type[ModelT], rel: str, key: str) -> list[ModelT]:
        return list_of(model, self.read(rel), self.label(rel), key)


def language_info(directory: Path, lang: str) -> LanguageInfo:
    rel = f"{LOCALES_DIR}/{lang}/{LANGUAGE_FILE}"
    info = validate(LanguageInfo, read_yaml(directory / rel), rel)
    if info.code != lang:
        raise DataError(rel, "code", f"{info.code!r} must be the folder's name {lang!r}")
    return info


def overlay_languages(directory: Path) -> list[str]:
    """The languages with an overlay folder (holding a language.yaml), sorted."""
    folder = directory / LOCALES_DIR
    return sorted(p.parent.name for p in folder.glob(f"*/{LANGUAGE_FILE}")) if folder.is_dir() else []


def load_list(model: type[ModelT], path: Path, key: str) -> list[ModelT]:
    """A file holding ``{key: [item, ...]}``, each item validated as ``model``."""
    return list_of(model, read_yaml(path), path.name, key)


def list_of(model: type[ModelT], data: Any, file: str, key: str) -> list[ModelT]:
    if not isinstance(data, dict) or set(data) != {key}:
        raise DataError(file, "", f"must be a mapping with the single key {key!r}")
    items = data[key]
    if not isinstance(items, list) or not items:
        raise DataError(file, key, "must be a non-empty list")
    return [validate(model, item, file, f"{key}[{i}]") for i, item in enumerate(items)]


def load_exercise_file(path: Path, files: KnowledgeFiles | None = None) -> Exercise:
    if files is None:
        exercise = validate(Exercise, read_yaml(path), path.name)
    else:
        exercise = files.validate(Exercise, f"{path.parent.name}/{path.name}")
    if exercise.id != path.stem:
        raise DataError(path.name, "id", f"{exercise.id!r} must match the file name {path.stem!r}")
    return exercise


def load_exercises(directory: Path, files: KnowledgeFiles | None = None) -> dict[str, Exercise]:
    exercises: dict[str, Exercise] = {}
    for path in sorted(directory.glob("*.yaml")):
        exercise = load_exercise_file(path, files)
        exercises[exercise.id] = exercise
    if not exercises:
        raise DataError(str(directory), "", "holds no exercise files")
    check_exercise_links(exercises)
    return exercises


def check_exercise_links(exercises: dict[str, Exercise]) -> None:
    """Every regression, progression and substitute names an exercise that exists."""
    for exercise in exercises.values():
        for field in ("regressions", "progressions", "substitutes"):
            for i, target in enumerate(getattr(exercise, field)):
                if target not in exercises:
                    raise DataError(
                        f"{exercise.id}.yaml",
                        f"{field}[{i}]",
                        f"names {target!r}, which is not an exercise in the library",
                    )


def language_problems(directory: Path, lang: str) -> list[DataError]:
    """Every problem of one language's overlays, each naming the overlay file and the path in it:
    a key or id the English file lacks, a list of another length, changed placeholders, text where
    none is to be translated, an article's headings or links changed; for a language whose
    language.yaml says ``complete: true``, every English text leaf left untranslated."""
    from bumpwise.domain.overlay import check_article_overlay, split_article, untranslated

    try:
        info = language_info(directory, lang)
    except DataError as exc:
        return [exc]
    files = KnowledgeFiles(directory, lang, lenient=True)
    problems: list[DataError] = []
    overlays = files.overlay_dir
    for path in sorted(overlays.rglob("*")):
        rel = path.relative_to(overlays).as_posix()
        label = f"{LOCALES_DIR}/{lang}/{rel}"
        if not path.is_file() or rel == LANGUAGE_FILE:
            continue
        english = directory / rel
        if path.suffix not in (".yaml", ".md"):
            problems.append(DataError(label, "", "is neither a YAML overlay nor a Markdown article"))
        elif not english.exists():
            problems.append(DataError(label, "", f"translates {rel}, which is not an English knowledge file"))
        elif path.suffix == ".yaml":
            try:
                files.read(rel)
            except DataError as exc:
                problems.append(exc)
        else:
            problems.extend(_article_problems(english, path, label, check_article_overlay, split_article))
    problems.extend(files.problems)
    if info.complete:
        for english in sorted(directory.rglob("*.yaml")):
            rel = english.relative_to(directory).as_posix()
            patterns = files.text_paths.patterns(rel)
            if not patterns or rel.startswith(f"{LOCALES_DIR}/"):
                continue
            overlay_path = overlays / rel
            overlay = read_yaml(overlay_path) if overlay_path.exists() else None
            for leaf in untranslated(read_yaml(english), overlay, patterns):
                problems.append(DataError(f"{LOCALES_DIR}/{lang}/{rel}", leaf, "is not translated"))
        for english in sorted((directory / "articles").glob("*.md")):
            if not (overlays / "articles" / english.name).exists():
                problems.append(DataError(f"{LOCALES_DIR}/{lang}/articles/{english.name}", "", "is missing"))
    return problems


def _article_problems(english: Path, path: Path, label: str, check: Any, split: Any) -> list[DataError]:
    parts, english_parts = split(path.read_text(encoding="utf-8")), split(english.read_text(encoding="utf-8"))
    if parts is None or english_parts is None:
        return [DataError(label, "", "must start with a front matter between two '---' lines")]
    try:
        meta = yaml.load(parts[0], Loader=_Loader)
    except yaml.YAMLError as exc:
        return [DataError(label, "front matter", f"is not valid YAML: {exc}")]
    if not isinstance(meta, dict):
        return [DataError(label, "front matter", "must be a mapping with title and summary")]
    problems: list[DataError] = check(english_parts[1].strip(), meta, parts[1].strip(), label)
    return problems
