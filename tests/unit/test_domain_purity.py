"""The domain is pure (design.md §2, §7): it imports no framework and no outer layer, and reads no
clock or global randomness. Checked on the source text, so nothing here has to be imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bumpwise.domain

DOMAIN = Path(bumpwise.domain.__file__).resolve().parent
MODULES = sorted(DOMAIN.rglob("*.py"))

FORBIDDEN_PACKAGES = {"fastapi", "starlette", "sqlalchemy", "alembic", "typer", "click", "rich", "jinja2"}
FORBIDDEN_LAYERS = (
    "bumpwise.web",
    "bumpwise.persistence",
    "bumpwise.services",
    "bumpwise.cli",
    "bumpwise.bootstrap",
    "bumpwise.exports",
)
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(DOMAIN.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                names.append(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.append(node.module)
    return names


def is_forbidden(name: str) -> bool:
    top = name.split(".")[0]
    if top in FORBIDDEN_PACKAGES:
        return True
    return any(name == layer or name.startswith(layer + ".") for layer in FORBIDDEN_LAYERS)


def test_the_domain_package_has_modules():
    assert len(MODULES) >= 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_domain_module_imports_no_framework_and_no_outer_layer(path):
    bad = [name for name in imported_modules(path) if is_forbidden(name)]
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_domain_module_reads_no_clock_and_no_global_randomness(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offences = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        if (owner_name, node.func.attr) in CLOCK_CALLS:
            offences.append(f"{owner_name}.{node.func.attr}() at line {node.lineno}")
        if owner_name == "random" and node.func.attr != "Random":
            offences.append(f"random.{node.func.attr}() at line {node.lineno}")
    assert offences == []


def test_the_checker_itself_spots_a_forbidden_import():
    assert is_forbidden("typer")
    assert is_forbidden("sqlalchemy.orm")
    assert is_forbidden("bumpwise.services.library")
    assert is_forbidden("bumpwise.cli")
    assert not is_forbidden("bumpwise.domain.engine")
    assert not is_forbidden("pydantic")
    assert not is_forbidden("bumpwise.client")
