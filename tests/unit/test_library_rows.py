"""A "safe for me" listing row is validated once per shared verdict (``RuleSet.evaluate`` shares
verdicts through the knowledge base), not on every request: a second listing hands back the same
rows, equal to rows built afresh."""

from __future__ import annotations

import pytest

from builders import kb, postpartum, pregnant, profile
from bumpwise.domain.evaluation import rules_in_force
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.screening import screen
from bumpwise.services.library import list_exercises, prescribed_row

PROFILES = {
    "week-12": profile(stage=pregnant(12), equipment=["dumbbells", "chair"]),
    "week-34-pelvic-pain": profile(stage=pregnant(34), conditions=["pelvic_girdle_pain"]),
    "caesarean-10-weeks": profile(stage=postpartum(10, "caesarean")),
}


@pytest.mark.parametrize("name", list(PROFILES))
def test_listing_again_reuses_the_rows_of_the_same_verdicts(name: str) -> None:
    person = parse_profile(PROFILES[name], kb())
    first, again = list_exercises(kb(), person), list_exercises(kb(), person)
    assert first and [id(row) for row in first] == [id(row) for row in again]
    rules = rules_in_force(person, kb(), screen(person, kb()))
    fresh = [prescribed_row(rules.evaluate(kb().exercises[row.id])) for row in first]
    assert first == fresh
    assert all(row.verdict in ("allowed", "modified") for row in first)
