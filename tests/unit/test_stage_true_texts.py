"""Stage-true texts: what a plan tells a person fits her stage. After the birth no cue, change,
summary or reason speaks of the bump or of pregnancy; in pregnancy none speaks of the time after
a birth. Properties over derandomized profiles, every exercise a plan can hold."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from hypothesis import given, settings

from builders import kb, plan_json
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from strategies import DERANDOMIZED, items_of, seeds, valid_profiles

PREGNANCY_WORDS = re.compile(r"\b(bump|pregnan\w*|trimester)\b", re.IGNORECASE)
AFTER_BIRTH_WORDS = re.compile(r"\b(after (the )?birth|postpartum|caesarean|postnatal)\b", re.IGNORECASE)


def item_texts(item: Mapping[str, Any]) -> list[str]:
    """What a person reads of an item: its cues, changes, summary, why and reasons."""
    cues = [cue for group in item["cues"].values() for cue in group]
    reasons = [reason["text"] for reason in item["reasons"]]
    return [*cues, *item["modifications"], item["exercise"]["summary"], item["why"], *reasons]


@settings(DERANDOMIZED, max_examples=800)
@given(data=valid_profiles(), seed=seeds)
def test_each_text_of_a_plan_fits_the_persons_stage(data: dict[str, Any], seed: int) -> None:
    profile = parse_profile(data, kb())
    plan = plan_json(build_plan(profile, kb(), start=date(2025, 1, 6), weeks=1, seed=seed))
    after_birth = data["stage"]["kind"] == "postpartum"
    wrong, own = (PREGNANCY_WORDS, AFTER_BIRTH_WORDS) if after_birth else (AFTER_BIRTH_WORDS, PREGNANCY_WORDS)
    for _, _, item in items_of(plan["weeks"][0]):
        for text in item_texts(item):
            # a text that names both stages ("in pregnancy and after birth") is for both
            assert not wrong.search(text) or own.search(text), f"{item['exercise']['id']}: {text}"
