"""The local library of imported exercises: merge by (source, id), keep licences, write atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bumpwise.domain.errors import BumpwiseError, ImportFormatError
from bumpwise.importing import import_file, import_text
from bumpwise.importing.store import LIBRARY_FILE, data_dir, load_library, save_imported

WGER_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wger_sample.json"


def one(source_id: str, name: str) -> str:
    return json.dumps(
        [
            {
                "id": source_id, "name": name, "force": "push", "level": "beginner", "mechanic": "compound",
                "equipment": "body only", "primaryMuscles": ["quadriceps"], "secondaryMuscles": [],
                "instructions": ["Stand tall.", "Squat and stand up."], "category": "strength", "images": [],
            }
        ]
    )  # fmt: skip


def test_the_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BUMPWISE_DATA_DIR", str(tmp_path / "here"))
    assert data_dir() == tmp_path / "here"
    monkeypatch.delenv("BUMPWISE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "bumpwise"


def test_saving_twice_merges_by_source_and_id(tmp_path: Path) -> None:
    first = save_imported(import_text(one("A", "Old name"), "free-exercise-db"), tmp_path)
    assert (first.added, first.updated, first.total) == (1, 0, 1)
    second = save_imported(import_text(one("A", "New name"), "free-exercise-db"), tmp_path)
    assert (second.added, second.updated, second.total) == (0, 1, 1)
    third = save_imported(import_file(WGER_SAMPLE, "wger"), tmp_path)
    assert (third.added, third.total) == (6, 7)
    stored = {(e.source, e.source_id): e for e in load_library(tmp_path / LIBRARY_FILE)}
    assert stored[("free-exercise-db", "A")].name == "New name"
    assert all(e.origin == "imported" for e in stored.values())


def test_the_library_keeps_licence_and_attribution(tmp_path: Path) -> None:
    save_imported(import_file(WGER_SAMPLE, "wger"), tmp_path)
    raw = json.loads((tmp_path / LIBRARY_FILE).read_text(encoding="utf-8"))
    row = next(e for e in raw["exercises"] if e["source_id"] == "9002")
    assert row["licence"] == "CC0" and "Test Author B" in row["attribution"] and row["origin"] == "imported"


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    save_imported(import_text(one("A", "Squat"), "free-exercise-db"), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [LIBRARY_FILE]


def test_a_failed_import_saves_nothing(tmp_path: Path) -> None:
    save_imported(import_text(one("A", "Squat"), "free-exercise-db"), tmp_path)
    before = (tmp_path / LIBRARY_FILE).read_bytes()
    bad = [*json.loads(one("B", "Fine")), {"id": "C"}]
    with pytest.raises(ImportFormatError):
        save_imported(import_text(json.dumps(bad), "free-exercise-db"), tmp_path)
    assert (tmp_path / LIBRARY_FILE).read_bytes() == before


def test_a_damaged_library_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / LIBRARY_FILE
    path.write_text('{"format": "bumpwise-imported-exercises", "version": 1, "exercises": [{"id": 1}]}')
    with pytest.raises(BumpwiseError, match="damaged"):
        save_imported(import_text(one("A", "Squat"), "free-exercise-db"), tmp_path)
    assert '"id": 1' in path.read_text()
