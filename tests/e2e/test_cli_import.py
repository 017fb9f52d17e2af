"""`bumpwise exercises import`, run as the real console script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import cli_support

DATA = Path(__file__).resolve().parents[1] / "data"
WGER_SAMPLE = DATA / "wger_sample.json"
EXERCISE_KEYS = {
    "id", "name", "pattern", "primary_muscles", "secondary_muscles", "equipment", "position",
    "asymmetric_lower_body", "wide_stance", "impact", "spinal_flexion",
}  # fmt: skip
IMPORT_KEYS = {
    "source_id",
    "source",
    "origin",
    "licence",
    "attribution",
    "confidence",
    "evidence",
    "review_needed",
}


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``bumpwise exercises import ARGS`` with its local library in ``data_dir``."""
    return cli_support.run("exercises", "import", *args, env={"BUMPWISE_DATA_DIR": str(data_dir)})


def small_file(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "fedb.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": i, "name": i.replace("_", " "), "force": "push", "level": "beginner",
                    "mechanic": "compound", "equipment": "dumbbell", "primaryMuscles": ["quadriceps"],
                    "secondaryMuscles": ["glutes"], "category": "strength", "images": [],
                    "instructions": ["Hold a dumbbell in each hand.", "Step forward into a lunge and back."],
                }
                for i in ids
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def test_json_is_a_list_of_exercises_with_source_confidence_and_review(tmp_path: Path) -> None:
    result = run("--from", "wger", str(WGER_SAMPLE), "--format", "json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 6
    for row in rows:
        assert set(row) >= EXERCISE_KEYS | IMPORT_KEYS
        assert row["origin"] == "imported" and row["source"] == "wger"
        assert set(row["confidence"]) >= {"position", "impact", "spinal_flexion"}
        assert all(row["evidence"][name] for name in ("position", "impact"))
    assert not (tmp_path / "imported_exercises.json").exists(), "nothing is saved without --save"


def test_text_output_is_a_table_with_the_disclaimer(tmp_path: Path) -> None:
    result = run("--from", "wger", str(WGER_SAMPLE), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Floor Hip Lift" in result.stdout and "supine" in result.stdout
    assert "not medical advice" in " ".join(result.stdout.split())


def test_report_counts_values_and_lists_what_needs_review(tmp_path: Path) -> None:
    result = run("--from", "wger", str(WGER_SAMPLE), "--format", "json", "--report", data_dir=tmp_path)
    report = json.loads(result.stdout)
    assert report["total"] == 6
    assert report["counts"]["position"]["supine"] == 2
    assert sum(report["counts"]["impact"].values()) == 6
    assert report["review_needed_count"] == len(report["review_needed"])
    text = run("--from", "wger", str(WGER_SAMPLE), "--report", data_dir=tmp_path)
    assert "Attribute values over 6 exercises" in text.stdout and "need review" in text.stdout


def test_save_merges_and_keeps_licences(tmp_path: Path) -> None:
    first = run("--from", "free-exercise-db", str(small_file(tmp_path, "Lunge_A", "Lunge_B")), "--save",
                "--format", "json", data_dir=tmp_path / "data")  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 updated" in first.stderr
    second = run("--from", "free-exercise-db", str(small_file(tmp_path, "Lunge_B", "Lunge_C")), "--save",
                 data_dir=tmp_path / "data")  # fmt: skip
    assert "1 added, 1 updated, 3 imported exercises" in " ".join(second.stdout.split())
    run("--from", "wger", str(WGER_SAMPLE), "--save", data_dir=tmp_path / "data")
    library = json.loads((tmp_path / "data" / "imported_exercises.json").read_text(encoding="utf-8"))
    rows = {(e["source"], e["source_id"]): e for e in library["exercises"]}
    assert len(rows) == 9
    assert rows[("wger", "9003")]["licence"] == "CC-BY 4"
    assert rows[("free-exercise-db", "Lunge_A")]["licence"].startswith("Unlicense")
    assert rows[("free-exercise-db", "Lunge_A")]["asymmetric_lower_body"] is True


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"not json at all", "FILE"),
        (b'{"exercises": []}', "FILE"),
        (b'[{"id": "X"}]', "[0] (id 'X').name"),
        (b"\x00\x01\x02 junk", "FILE"),
    ],
)
def test_a_bad_file_is_one_clear_error_and_saves_nothing(tmp_path: Path, content: bytes, field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("--from", "free-exercise-db", str(path), "--save", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}")
    assert not (tmp_path / "data").exists()


def test_an_unknown_value_names_the_field_and_the_allowed_values(tmp_path: Path) -> None:
    rows = json.loads(small_file(tmp_path, "A").read_text(encoding="utf-8"))
    rows[0]["category"] = "yoga"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    result = run("--from", "free-exercise-db", str(path), data_dir=tmp_path)
    assert result.returncode == 2
    assert (
        "category: 'yoga' is not one of the allowed values (allowed: powerlifting, strength" in result.stderr
    )


def test_an_unknown_library(tmp_path: Path) -> None:
    result = run("--from", "exrx", str(WGER_SAMPLE), data_dir=tmp_path)
    assert (
        result.returncode == 2
        and "--from: 'exrx' is not a known library (allowed: free-exercise-db, wger)" in result.stderr
    )


def test_a_100_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b"[" + b"7," * 10)
        handle.truncate(100 * 1024 * 1024)
    result = run("--from", "free-exercise-db", str(path), "--save", data_dir=tmp_path / "data")
    assert result.returncode == 2 and "limit is 20 MB" in result.stderr
    assert not (tmp_path / "data").exists()


def test_a_damaged_library_fails_without_losing_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "imported_exercises.json").write_text("{broken", encoding="utf-8")
    result = run("--from", "wger", str(WGER_SAMPLE), "--save", data_dir=data)
    assert result.returncode == 1 and "damaged" in result.stderr
    assert (data / "imported_exercises.json").read_text(encoding="utf-8") == "{broken"
