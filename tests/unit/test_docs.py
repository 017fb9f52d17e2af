"""Docs that are generated from the knowledge base must match it."""

from pathlib import Path

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.rules_doc import rules_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_safety_rules_doc_matches_the_rule_registry() -> None:
    expected = rules_markdown(default_knowledge()) + "\n"
    actual = (ROOT / "docs" / "safety-rules.md").read_text(encoding="utf-8")
    assert actual == expected, "run: bumpwise rules list --format markdown > docs/safety-rules.md"


def test_every_rule_is_listed_once_in_the_safety_rules_doc() -> None:
    text = (ROOT / "docs" / "safety-rules.md").read_text(encoding="utf-8")
    for rule in default_knowledge().rules:
        assert text.count(f"| `{rule.id}` |") == 1, rule.id
