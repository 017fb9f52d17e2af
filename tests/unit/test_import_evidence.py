"""The importer's evidence lines and review reasons are written from forms and read back by them,
so a Spanish page words them in Spanish around the source's quoted words (importing/evidence.py)."""

from __future__ import annotations

import re

from test_import_accuracy import free_exercise_db_file

from bumpwise.domain.locale import language
from bumpwise.importing import evidence, import_file


def every_line() -> list[str]:
    lines: list[str] = []
    for exercise in import_file(free_exercise_db_file(), "free-exercise-db"):
        lines += [line for found in exercise.evidence.values() for line in found]
        lines += exercise.review_reasons
    return lines


def test_every_line_the_importer_writes_reads_back_by_its_form() -> None:
    lines = every_line()
    unread = [line for line in lines if evidence.read(line) is None]
    assert unread == [] and len(lines) > 1000
    kinds = {found[0].kind for found in map(evidence.read, lines) if found}
    assert {"hit", "prior", "default", "source_equipment", "low_confidence"} <= kinds
    for line in lines[:2000]:
        found = evidence.read(line)
        assert found is not None
        assert found[0].english(**found[1]) == line  # the form writes back exactly what it read


def test_in_english_a_line_reads_as_stored_with_its_ids_in_plain_words() -> None:
    with language("en"):
        assert evidence.worded("abdominal_pressure: not classified by the import vocabulary") == (
            "abdominal pressure: not classified by the import vocabulary"
        )
        assert evidence.worded('step 1 "stand" → standing +2.0') == 'step 1 "stand" → standing +2.0'
        assert evidence.worded("wide_stance: confidence 0.41 < 0.6") == "wide stance: confidence 0.41 < 0.6"


def test_in_spanish_the_sentence_is_spanish_and_the_source_words_stay() -> None:
    with language("es"):
        assert evidence.worded('step 1 "stand" → standing +2.0') == 'paso 1 "stand" → de pie +2.0'
        assert evidence.worded('name "squat" → squat +4.5') == 'nombre "squat" → sentadilla +4.5'
        assert evidence.worded("wide_stance: confidence 0.41 < 0.6") == "apoyo amplio: confianza 0.41 < 0.6"
        assert evidence.worded("no cue; default false") == "sin pistas en el texto; valor por defecto: no"
        assert evidence.worded("source equipment 'e-z curl bar' → barbell").startswith(
            "material de la fuente 'e-z curl bar' → "
        )
        negated = evidence.worded('step 2 "not jump" negated, not counted')
        assert negated == 'paso 2 "not jump": va negado, no se cuenta'
        spanish = [evidence.worded(line) for line in every_line()[:3000]]
    english_words = re.compile(
        r"\b(step|name|default|confidence|source equipment|text names|negated|ignored)\b"
    )
    assert [line for line in spanish if english_words.match(line)] == []


def test_a_line_no_form_knows_is_shown_as_stored() -> None:
    with language("es"):
        assert evidence.worded("an older importer's note") == "an older importer's note"


def test_the_vocabularys_reasons_and_equipment_names_come_from_its_overlay() -> None:
    with language("es"):
        prior = evidence.worded("source_equipment=none → none +2.5 (body weight only)")
        assert prior == "material de la fuente=none → ninguno +2.5 (solo el peso del cuerpo)"
        named = evidence.worded("text names a chair → chair")
        assert named.startswith("el texto menciona: silla → ")
    english = evidence.vocabulary_words("es")
    assert len(english) > 60 and all(english.values())
