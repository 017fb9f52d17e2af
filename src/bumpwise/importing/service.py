"""Import a file: read, parse strictly, classify. Nothing is returned unless the whole file is good."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError
from bumpwise.importing import free_exercise_db, wger
from bumpwise.importing.classify import classify
from bumpwise.importing.exercise import ImportedExercise, build_exercise, unique_ids
from bumpwise.importing.reading import (
    MAX_BYTES,
    joined_lists,
    parse_json_bytes,
    read_json_file,
    read_json_folder,
)
from bumpwise.importing.records import SourceExercise
from bumpwise.importing.vocabulary import ImportVocabulary, default_vocabulary

SOURCES: tuple[str, ...] = (free_exercise_db.SOURCE, wger.SOURCE)


def import_file(
    path: Path, source: str, vocabulary: ImportVocabulary | None = None, max_bytes: int = MAX_BYTES
) -> list[ImportedExercise]:
    _check_source(source)
    if path.is_dir():
        return import_data(read_json_folder(path, max_bytes), source, vocabulary)
    return import_data(read_json_file(path, max_bytes), source, vocabulary)


def import_files(
    documents: list[tuple[str, bytes]], source: str, vocabulary: ImportVocabulary | None = None
) -> list[ImportedExercise]:
    """Several uploaded files of one export (the wger fixtures come as six): each a JSON list,
    read as one list in the order given. One file is read as it is."""
    _check_source(source)
    if len(documents) == 1:
        return import_data(parse_json_bytes(documents[0][1]), source, vocabulary)
    return import_data(
        joined_lists([(name, parse_json_bytes(raw)) for name, raw in documents]), source, vocabulary
    )


def import_text(text: str, source: str, vocabulary: ImportVocabulary | None = None) -> list[ImportedExercise]:
    _check_source(source)
    return import_data(parse_json_bytes(text.encode("utf-8")), source, vocabulary)


def import_data(data: Any, source: str, vocabulary: ImportVocabulary | None = None) -> list[ImportedExercise]:
    vocab = vocabulary or default_vocabulary()
    records = parse_records(data, source, vocab)
    ids = unique_ids(records)
    return [
        build_exercise(record, classify(record, vocab), vocab.review_threshold, exercise_id)
        for record, exercise_id in zip(records, ids, strict=True)
    ]


def parse_records(data: Any, source: str, vocabulary: ImportVocabulary) -> list[SourceExercise]:
    if source == wger.SOURCE:
        return wger.parse(data, vocabulary.maps.wger)
    return free_exercise_db.parse(data)


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ImportFormatError(
            "--from", N_("%(value)s is not a known library"), SOURCES, values={"value": repr(source)}
        )
