"""`validate-data` checks the figures; `bumpwise figures sheet` prints every figure for review."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from builders import kb
from bumpwise.domain.knowledge import knowledge_dir
from cli_support import run


def knowledge_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), copy)
    return copy


def assert_data_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    for part in expected:
        assert part in result.stderr, (part, result.stderr)


def test_validate_data_counts_the_figures() -> None:
    result = run("validate-data")
    assert result.returncode == 0, result.stderr
    drawn = sum(1 + len(e.variants) for e in kb().exercises.values())
    assert f"{drawn} figures" in result.stdout


def test_validate_data_fails_on_an_exercise_without_a_figure(tmp_path: Path) -> None:
    copy = knowledge_copy(tmp_path)
    (copy / "figures" / "glute-bridge.yaml").unlink()
    assert_data_error(run("validate-data", "--dir", str(copy)), "figures/glute-bridge.yaml", "needs a figure")


def test_validate_data_fails_on_a_variant_drawn_in_the_wrong_position(tmp_path: Path) -> None:
    copy = knowledge_copy(tmp_path)
    path = copy / "figures" / "glute-bridge.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["variants"]  # the reclined variant would inherit the figure lying flat
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "figures/glute-bridge.yaml", "variants.shoulders_elevated", "reclined")


def test_validate_data_fails_on_a_prop_the_exercise_does_not_use(tmp_path: Path) -> None:
    copy = knowledge_copy(tmp_path)
    path = copy / "figures" / "bodyweight-squat.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["props"] = ["kettlebell"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "figures/bodyweight-squat.yaml", "kettlebell")


def test_validate_data_names_an_unknown_pose_field_and_the_allowed_ones(tmp_path: Path) -> None:
    copy = knowledge_copy(tmp_path)
    path = copy / "figures" / "poses.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("trunk: 90,", "torso: 90,", 1), encoding="utf-8")
    result = run("validate-data", "--dir", str(copy))
    assert_data_error(result, "poses.yaml", "torso", "is not a known field")


def test_figures_sheet_writes_every_exercise_and_variant_at_three_weeks(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = run("figures", "sheet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    drawn = sum(1 + len(e.variants) for e in kb().exercises.values())
    assert f"{3 * drawn} drawings of {len(kb().exercises)} exercises" in html
    assert html.count("<img ") == 3 * drawn
    for week in ("week 10 pregnant", "week 26 pregnant", "week 38 pregnant"):
        assert html.count(f"<figcaption>{week}</figcaption>") == drawn
