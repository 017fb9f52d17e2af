"""docs/cli.md: the ``--help`` of every command, so the CLI reference cannot drift from the code.

Written by ``bumpwise docs cli --out docs/cli.md`` (a hidden command); tests/e2e/test_cli_reference.py
fails when the file in the repository differs from what the commands print now.
"""

from __future__ import annotations

from collections.abc import Iterator

import typer
from typer.main import get_command
from typer.testing import CliRunner

WIDTH = "100"
HEADER = """# The `bumpwise` command line

Generated from `--help` of every command by `bumpwise docs cli --out docs/cli.md`; do not edit by
hand (a test compares this file with the commands). `python -m bumpwise` is the same program.

Exit codes: 0 ok; 2 bad input (one line on standard error names the field and the allowed
values); 1 an internal or data error, or a missing optional library (the message says how to
install it).
"""


def command_paths(group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every visible command and group, depth first, in the order ``--help`` lists them."""
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        yield (*prefix, name)
        if isinstance(command, typer.core.TyperGroup):
            yield from command_paths(command, (*prefix, name))


def help_text(app: typer.Typer, path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="bumpwise", env={"COLUMNS": WIDTH, "NO_COLOR": "1"}
    )
    if result.exit_code != 0:
        raise RuntimeError(f"bumpwise {' '.join(path)} --help failed: {result.output}")
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n")


def cli_reference(app: typer.Typer) -> str:
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    sections = [HEADER, "## `bumpwise`\n", "```text", help_text(app, ()), "```\n"]
    for path in command_paths(root):
        sections += [f"## `bumpwise {' '.join(path)}`\n", "```text", help_text(app, path), "```\n"]
    return "\n".join(sections)
