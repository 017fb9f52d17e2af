"""The CLI package imports one way (issue 11): the entry module → command modules → ``options`` and
``render`` → services and domain. Nothing in it imports the web app; ``serve`` names it for uvicorn.
Checked on the source text, like the domain's purity."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bumpwise.cli

CLI = Path(bumpwise.cli.__file__).resolve().parent
COMMAND_MODULES = ("admin", "plan", "exercises", "rules", "export", "server", "figures", "mail", "i18n")
SHARED_MODULES = ("options", "render")
REFERENCE = "reference"
"""Writes docs/cli.md from the assembled app, which the entry module hands it."""
HELP = "helptext"
"""Translates the assembled app's help texts for the entry module (issue 19)."""


def bumpwise_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path.name}: relative import"
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("bumpwise.")}


def cli_modules_named(names: set[str]) -> set[str]:
    """``bumpwise.cli.options.Format`` → ``options``; ``from bumpwise.cli import main`` → ``__init__``."""
    found = set()
    for name in names:
        parts = name.split(".")
        if parts[:2] != ["bumpwise", "cli"]:
            continue
        module = parts[2] if len(parts) > 2 else "__init__"
        found.add(module if (CLI / f"{module}.py").exists() else "__init__")
    return found


def test_the_package_has_the_modules_the_layering_names():
    present = {path.stem for path in CLI.glob("*.py")}
    assert present == {"__init__", *COMMAND_MODULES, *SHARED_MODULES, REFERENCE, HELP}


def test_helptext_reaches_the_assembled_app_only_to_extract_its_help():
    """pybabel's extraction hook (babel.cfg) reads every command's help from the assembled app;
    at run time the entry module hands the app in."""
    assert cli_modules_named(bumpwise_imports(CLI / f"{HELP}.py")) <= {"__init__"}


@pytest.mark.parametrize("module", [*SHARED_MODULES, REFERENCE])
def test_options_render_and_reference_import_nothing_else_from_the_cli(module):
    assert cli_modules_named(bumpwise_imports(CLI / f"{module}.py")) == set()


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_a_command_module_imports_only_options_and_render_from_the_cli(module):
    assert cli_modules_named(bumpwise_imports(CLI / f"{module}.py")) <= set(SHARED_MODULES)


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_nothing_in_the_cli_imports_the_web_app(path):
    assert not any(name.startswith("bumpwise.web") for name in bumpwise_imports(path))


def test_the_checker_reads_a_package_import_as_the_entry_module():
    assert cli_modules_named({"bumpwise.cli.main", "bumpwise.cli.options.Format"}) == {"__init__", "options"}
