"""docs/cli.md is the --help of every command (issue 11), and `python -m bumpwise` is the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bumpwise.cli import app
from bumpwise.cli.reference import cli_reference, command_paths, help_text
from cli_support import run

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "cli.md"


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


def readme_command_lines() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## The command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].split()[1:] for line in block.strip().splitlines()]


def test_every_command_and_option_the_readme_shows_exists():
    from typer.main import get_command

    known = set(command_paths(get_command(app)))  # type: ignore[arg-type]
    lines = readme_command_lines()
    assert len(lines) >= 10
    for words in lines:
        path: tuple[str, ...] = ()
        while words and (*path, words[0]) in known:
            path, words = (*path, words[0]), words[1:]
        assert path, f"not a command: {words}"
        usage = help_text(app, path)
        for option in (word for word in words if word.startswith("--")):
            assert option in usage, f"bumpwise {' '.join(path)} has no {option}"
