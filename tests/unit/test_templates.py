"""The page templates show what their view model and the page's context hold: the Jinja
environment has no knowledge-base global and no ``do`` statement, and no template reaches for
either (docs/web-app.md, "Layers")."""

from __future__ import annotations

import re

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.web.rendering import make_templates, template_dir

TEMPLATES = sorted(template_dir().rglob("*.html"))


def test_the_environment_has_no_knowledge_base_and_no_do_statement() -> None:
    env = make_templates(default_knowledge()).env
    assert "kb" not in env.globals
    assert not any("ExprStmtExtension" in type(extension).__name__ for extension in env.extensions.values())


def test_no_template_uses_the_knowledge_base_or_a_do_statement() -> None:
    assert TEMPLATES
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bkb\.", text), path.name
        assert not re.search(r"{%-?\s*do\s", text), path.name
