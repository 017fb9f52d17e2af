"""The "every rule has a test" guard of issue 2.

Walks every rule in the shipped knowledge base and fails for a rule that has no source, mixes up
``design_choice`` and the DESIGN source, or whose id no test file under tests/ quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from builders import kb
from bumpwise.domain.rule import DESIGN_SOURCE

TESTS = Path(__file__).resolve().parents[1]
THIS_FILE = Path(__file__).resolve()


def quoted_ids_in_tests() -> set[str]:
    """Every string literal that looks like a rule id, in every test file but this one."""
    found: set[str] = set()
    for path in TESTS.rglob("*.py"):
        if path.resolve() == THIS_FILE:
            continue
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"""["']([a-z0-9]+(?:-[a-z0-9]+)+)["']""", text))
    return found


def test_the_knowledge_base_has_rules():
    assert len(kb().rules) > 50


def test_every_rule_cites_at_least_one_known_source():
    knowledge = kb()
    missing = [r.id for r in knowledge.rules if not r.sources]
    unknown = [(r.id, s) for r in knowledge.rules for s in r.sources if s not in knowledge.sources]
    assert missing == []
    assert unknown == []


def test_every_design_choice_cites_the_design_source_and_only_design_choices_do():
    knowledge = kb()
    without_design = [r.id for r in knowledge.rules if r.design_choice and DESIGN_SOURCE not in r.sources]
    unlabelled = [r.id for r in knowledge.rules if DESIGN_SOURCE in r.sources and not r.design_choice]
    assert without_design == [], "design_choice: true without the DESIGN source"
    assert unlabelled == [], "cites DESIGN without design_choice: true"


def test_every_rule_that_is_not_a_design_choice_cites_a_real_guideline():
    for rule in kb().rules:
        if not rule.design_choice:
            assert set(rule.sources) - {DESIGN_SOURCE}, rule.id


def test_every_rule_has_a_plain_summary_and_a_rationale():
    for rule in kb().rules:
        assert rule.summary.strip() and rule.rationale.strip(), rule.id


def test_every_conflict_text_says_which_source_wins():
    for rule in kb().rules:
        if rule.conflict is not None:
            assert "stricter" in rule.conflict.lower(), rule.id


def test_rule_ids_are_unique():
    ids = [r.id for r in kb().rules]
    assert len(ids) == len(set(ids))


def test_every_rule_id_is_quoted_in_some_test_file():
    quoted = quoted_ids_in_tests()
    untested = sorted(r.id for r in kb().rules if r.id not in quoted)
    assert untested == [], f"rules without a test: {untested}"
