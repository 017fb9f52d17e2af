"""The layers of the package (docs/web-app.md, "Layers"), checked on the source text.

The domain is at the bottom; services, exports, importing and figures build on it; the web app
and the CLI sit on top. Each row of ``MAY_IMPORT`` is a layer and the bumpwise layers it may
import (itself always); ``MAY_NOT_USE`` names the frameworks a layer must not touch. Also: pages
never import the API (what both need lives in ``web/`` beside them), and only the composition
root (``bootstrap.py``) makes engines and session factories (``persistence.db``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importsupport import SOURCE, imported_names, within

PACKAGE = SOURCE / "bumpwise"

MAY_IMPORT: dict[str, set[str]] = {
    "domain": set(),
    "figures": {"domain"},
    "importing": {"domain"},
    "exports": {"domain", "figures"},
    "persistence": {"config"},
    "adapters": {"config"},
    "services": {"domain", "figures", "exports", "importing", "persistence", "adapters", "config"},
    "jobs": {"config", "persistence", "adapters", "services", "domain"},
    "bootstrap": {"config", "persistence", "adapters", "services", "domain", "jobs"},
    "web": {
        "bootstrap",
        "config",
        "services",
        "adapters",
        "domain",
        "exports",
        "figures",
        "persistence",
        "rules_doc",
    },
    "cli": {
        "bootstrap",
        "config",
        "services",
        "domain",
        "exports",
        "figures",
        "importing",
        "persistence",
        "adapters",
        "rules_doc",
        "serving",
    },
}
"""Layer → the bumpwise layers it may import besides itself. ``web`` and ``cli`` use
``persistence`` only for the unit of work's type and to run migrations."""

WEB_FRAMEWORKS = {"fastapi", "starlette", "uvicorn", "jinja2", "typer", "click", "rich"}
DATABASE = {"sqlalchemy", "alembic", "psycopg"}
MAY_NOT_USE: dict[str, set[str]] = {
    "domain": WEB_FRAMEWORKS | DATABASE,
    "figures": WEB_FRAMEWORKS | DATABASE,
    "importing": WEB_FRAMEWORKS | DATABASE,
    "exports": (WEB_FRAMEWORKS - {"jinja2"}) | DATABASE,
    "services": WEB_FRAMEWORKS | DATABASE,
    "adapters": WEB_FRAMEWORKS | DATABASE,
    "jobs": WEB_FRAMEWORKS | DATABASE,
}
"""Layer → third-party packages it must not import (the print templates of ``exports`` are Jinja)."""

WIRING = "bumpwise.persistence.db"
COMPOSITION_ROOT = "bumpwise.bootstrap"


def modules_of(layer: str) -> list[Path]:
    folder = PACKAGE / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{layer}.py"]


ALL = [(layer, path) for layer in MAY_IMPORT for path in modules_of(layer)]


def bumpwise_layers(names: set[str]) -> set[str]:
    """The bumpwise layers among imported names (``bumpwise.__version__`` is no layer)."""
    return {name.split(".")[1] for name in names if name.startswith("bumpwise.") and "__" not in name}


def label(case: tuple[str, Path]) -> str:
    return str(case[1].relative_to(PACKAGE))


UNLAYERED = {"__init__.py", "__main__.py", "config.py", "serving.py", "rules_doc.py"}
"""Top-level modules outside the table: the package marker, ``python -m``, the settings, the
server's logging setup and the rules' documentation writer."""


def test_every_module_of_the_package_has_a_layer() -> None:
    checked = {path for _, path in ALL}
    loose = [
        p
        for p in PACKAGE.rglob("*.py")
        if p not in checked and p.relative_to(PACKAGE).as_posix() not in UNLAYERED
    ]
    assert loose == [] and len(ALL) > 150


@pytest.mark.parametrize("case", ALL, ids=label)
def test_a_module_imports_only_the_layers_below_it(case: tuple[str, Path]) -> None:
    layer, path = case
    names = imported_names(path)
    if layer == "persistence" and "migrations" in path.parts:
        return  # migrations are scripts Alembic runs, with their own imports
    beyond = bumpwise_layers(names) - MAY_IMPORT[layer] - {layer}
    assert beyond == set(), f"{label(case)} imports {sorted(beyond)}"


@pytest.mark.parametrize("case", [c for c in ALL if c[0] in MAY_NOT_USE], ids=label)
def test_a_lower_layer_uses_no_web_framework_and_no_database(case: tuple[str, Path]) -> None:
    layer, path = case
    used = {name.split(".")[0] for name in imported_names(path)} & MAY_NOT_USE[layer]
    assert used == set(), f"{label(case)} imports {sorted(used)}"


@pytest.mark.parametrize("path", modules_of("web"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pages_never_import_the_api(path: Path) -> None:
    if "pages" not in path.relative_to(PACKAGE).parts:
        return
    assert not any(within(name, "bumpwise.web.api") for name in imported_names(path))


@pytest.mark.parametrize("case", ALL, ids=label)
def test_only_the_composition_root_makes_engines_and_sessions(case: tuple[str, Path]) -> None:
    layer, path = case
    if layer in {"persistence", "bootstrap"}:
        return
    assert not any(within(name, WIRING) for name in imported_names(path)), label(case)


def test_the_checker_resolves_relative_and_package_imports(tmp_path: Path) -> None:
    assert bumpwise_layers({"bumpwise.services.plans", "bumpwise", "sqlalchemy.orm"}) == {"services"}
    assert "bumpwise.persistence.db" in imported_names(PACKAGE / "bootstrap.py")
    assert within("bumpwise.web.api.coach", "bumpwise.web.api")
    assert not within("bumpwise.web.apis", "bumpwise.web.api")
