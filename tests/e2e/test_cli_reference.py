"""docs/cli.md is the --help of every command (issue 11), and `python -m bumpwise` is the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bumpwise.cli import app
from bumpwise.cli.reference import cli_reference, command_paths
from cli_support import run

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_the_cli_reference_in_the_docs_is_what_the_commands_print_now():
    assert REFERENCE.read_text(encoding="utf-8") == cli_reference(app), (
        "docs/cli.md is stale: run `.venv/bin/bumpwise docs cli --out docs/cli.md`"
    )


def test_the_reference_has_every_command_and_no_hidden_one():
    from typer.main import get_command

    paths = [" ".join(path) for path in command_paths(get_command(app))]  # type: ignore[arg-type]
    for expected in ("screen", "plan", "exercises import", "export ical", "report", "db upgrade", "serve"):
        assert expected in paths
        assert f"## `bumpwise {expected}`" in REFERENCE.read_text(encoding="utf-8")
    assert not any(path.startswith("docs") for path in paths)


def test_the_docs_command_prints_the_reference():
    result = run("docs", "cli")
    assert result.returncode == 0, result.stderr
    assert result.stdout == REFERENCE.read_text(encoding="utf-8")


def test_python_dash_m_bumpwise_runs_the_same_cli():
    result = subprocess.run(
        [sys.executable, "-m", "bumpwise", "rules", "show", "no-such-rule"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("error: ID: 'no-such-rule' is not a rule")
    listing = subprocess.run(
        [sys.executable, "-m", "bumpwise", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert listing.returncode == 0 and "validate-data" in listing.stdout
