"""Running the real ``bumpwise`` console script in tests, and reading what it prints."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BUMPWISE = Path(sys.executable).parent / "bumpwise"
"""The console script installed beside the interpreter running the tests."""
BOX = re.compile(r"[│╭╮╰╯─]+")
"""Rich panel borders, stripped before matching text output."""


def run(
    *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``bumpwise ARGS`` as a real process, 200 columns wide and without colour. With ``env``, the
    inherited ``BUMPWISE_*`` settings are dropped and these variables added, so only they apply."""
    inherited = dict(os.environ)
    if env is not None:
        inherited = {k: v for k, v in inherited.items() if not k.startswith("BUMPWISE_")} | dict(env)
    return subprocess.run(
        [str(BUMPWISE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**inherited, "COLUMNS": "200", "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, data: Any, name: str = "profile.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def flat(text: str) -> str:
    """Text output without panel borders and line wrapping, for substring checks."""
    return " ".join(BOX.sub(" ", text).split())


def as_text(result: subprocess.CompletedProcess[str], disclaimer: str) -> str:
    """A successful run's text output, flattened (``flat``), that shows the medical disclaimer."""
    assert result.returncode == 0, result.stderr
    text = flat(result.stdout)
    assert flat(disclaimer) in text
    return text


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def assert_bad_input(result: subprocess.CompletedProcess[str], prefix: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(prefix), lines[0]
