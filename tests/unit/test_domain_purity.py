"""The domain is pure (design.md §2, §7): it reads no clock or global randomness. Checked on the
source text, so nothing here has to be imported. That it imports no framework and no outer layer
is checked with every other layer in test_layers.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bumpwise.domain

DOMAIN = Path(bumpwise.domain.__file__).resolve().parent
MODULES = sorted(DOMAIN.rglob("*.py"))

CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}


def test_the_domain_package_has_modules():
    assert len(MODULES) >= 10


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
