"""What a module imports, read from its source text (nothing is imported): the layering tests of
the package, the CLI and the domain use it."""

from __future__ import annotations

import ast
from pathlib import Path

import bumpwise

SOURCE = Path(bumpwise.__file__).resolve().parent.parent
"""The folder that holds the ``bumpwise`` package."""


def module_name(path: Path) -> str:
    parts = path.resolve().relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, and for ``from X import y`` also ``X.y`` (y may be a module);
    relative imports resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")
