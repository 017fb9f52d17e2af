"""Stage-true and plain words as data (issue 13): births on warning signs, caesarean words only
after a caesarean, plain words for every engine id, search synonyms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bumpwise.domain.errors import DataError, InputError
from bumpwise.domain.knowledge import default_knowledge, knowledge_dir
from bumpwise.domain.plain_words import PlainWords, load_plain_words, plain, plain_sentence
from bumpwise.domain.purposes import load_purposes
from bumpwise.domain.search import Synonyms, load_synonyms, matches, normalise, searchable_text
from bumpwise.domain.terms import WarningSign
from bumpwise.domain.vocab import Clearance, Delivery, Pattern, Position, SessionKind, StageKind

CAESAREAN = re.compile(r"caesarean|c-section", re.IGNORECASE)


def test_the_caesarean_wound_sign_applies_only_after_a_caesarean() -> None:
    sign = default_knowledge().warning_signs["wound_pain_or_discharge"]
    assert sign.applies(StageKind.POSTPARTUM, Delivery.CAESAREAN)
    assert not sign.applies(StageKind.POSTPARTUM, Delivery.VAGINAL)
    assert not sign.applies(StageKind.PREGNANT)


def test_births_narrow_only_a_sign_that_applies_after_the_birth() -> None:
    with pytest.raises(ValidationError, match="applies_to must include postpartum"):
        WarningSign(
            id="x_sign", name="A sign", description="A sign.", applies_to=["pregnant"], births=["caesarean"]
        )


def test_no_instruction_for_everyone_speaks_of_a_caesarean() -> None:
    """Caesarean instructions live in ``after_caesarean``, shown only after a caesarean."""
    for exercise in default_knowledge().exercises.values():
        cues = [c for kind in exercise.cues.model_dump().values() for c in kind]
        for variant in exercise.variants:
            changed = variant.cues.model_dump(exclude_none=True).values()
            cues += [variant.text] + [c for kind in changed for c in kind]
        assert not [c for c in cues if CAESAREAN.search(c)], exercise.id


def test_every_engine_id_has_plain_words() -> None:
    words = load_plain_words(knowledge_dir())
    assert set(words.patterns) == set(Pattern) and set(words.positions) == set(Position)
    assert set(words.session_kinds) == set(SessionKind) and set(words.clearances) == set(Clearance)
    assert plain("pull_vertical") == "pull-down" and plain("anti_extension") == "core bracing"
    assert plain_sentence("No pull vertical exercise fits.") == "No pull-down exercise fits."


def test_plain_words_missing_an_id_is_refused(tmp_path: Path) -> None:
    text = (knowledge_dir() / "plain_words.yaml").read_text(encoding="utf-8").replace("  carry: carry\n", "")
    (tmp_path / "plain_words.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="no plain words for carry"):
        load_plain_words(tmp_path)
    assert isinstance(load_plain_words(knowledge_dir()), PlainWords)


def test_a_synonym_in_two_entries_is_refused() -> None:
    twice = {"synonyms": [{"words": ["abs"], "means": ["core"]}, {"words": ["abs"], "means": ["belly"]}]}
    with pytest.raises(ValidationError, match="appear in two entries"):
        Synonyms.model_validate(twice)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kegel", "pelvic-floor-slow-holds"),
        ("Push up", "knee-push-up"),
        ("push-ups", "wall-push-up"),
        ("abs", "dead-bug"),
        ("diastasis", "transverse-abdominis-activation"),
        ("c-section", "walking"),
    ],
)
def test_search_finds_common_names_and_synonyms(query: str, expected: str) -> None:
    kb = default_knowledge()
    terms = load_synonyms(knowledge_dir()).expand(query)
    found = {e.id for e in kb.exercises.values() if matches(terms, searchable_text(e))}
    assert expected in found
    assert len(found) < len(kb.exercises) / 3, "a synonym narrows the library"


def test_diastasis_never_finds_a_crunch() -> None:
    kb = default_knowledge()
    terms = load_synonyms(knowledge_dir()).expand("diastasis")
    found = {e.id for e in kb.exercises.values() if matches(terms, searchable_text(e))}
    assert not {"crunch", "bicycle-crunch", "sit-up", "double-leg-raise"} & found


def test_normalise_reads_hyphens_as_spaces() -> None:
    assert normalise("  C-Section!! ") == "c section"


def test_every_exercise_has_its_own_why() -> None:
    kb = default_knowledge()
    found = load_purposes(knowledge_dir())
    found.check_covers(kb.exercises)
    own = [why for key, why in found.purposes.items() if "." not in key]
    assert len(set(own)) == len(own) == len(kb.exercises), "no two exercises share a why"
    assert found.why("not-in-library", "The planner's reason.") == "The planner's reason."
    two_legs = found.why("single-leg-glute-bridge", "", ["shoulders_elevated_two_leg"])
    assert "both legs" in two_legs and "both legs" not in found.why("single-leg-glute-bridge", "")


def test_purposes_missing_an_exercise_are_refused() -> None:
    found = load_purposes(knowledge_dir())
    with pytest.raises(InputError, match="no purpose for \\['new-exercise'\\]"):
        exercises = default_knowledge().exercises
        found.check_covers({**exercises, "new-exercise": exercises["walking"]})
