"""The engine's ids in plain words, from ``knowledge/plain_words.yaml``: a page shows "pulling
down from above", never ``pull_vertical`` or "pull vertical"."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from bumpwise.domain.exercise import Strict
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.loader import KnowledgeFiles, validate
from bumpwise.domain.vocab import Clearance, Pattern, Position, SessionKind


class PlainWords(Strict):
    patterns: dict[Pattern, str]
    positions: dict[Position, str]
    session_kinds: dict[SessionKind, str]
    clearances: dict[Clearance, str]
    phrases: dict[str, str] = Field(default_factory=dict)
    """Whole phrases of the planner's session names and notes, replaced before single ids."""
    terms: dict[str, str] = Field(default_factory=dict)
    """Other ids a page shows (muscles, equipment, impact, load, pressure), in plain words."""

    @model_validator(mode="after")
    def _every_id_has_words(self) -> PlainWords:
        for field, enum in (
            ("patterns", Pattern),
            ("positions", Position),
            ("session_kinds", SessionKind),
            ("clearances", Clearance),
        ):
            missing = sorted(set(enum) - set(getattr(self, field)))
            if missing:
                raise ValueError(f"{field}: no plain words for {', '.join(missing)}")
        return self

    def lookup(self) -> dict[str, str]:
        """Every id (and its spaced form, "pull vertical") to its plain words."""
        found: dict[str, str] = {}
        for table in (self.terms, self.patterns, self.positions, self.session_kinds, self.clearances):
            for key, words in table.items():
                found[str(key)] = words
                found[str(key).replace("_", " ").replace("-", " ")] = words
        return found


PLAIN_WORDS_FILE = "plain_words.yaml"
TERM_WORDS_FILE = "term_words.yaml"


def load_plain_words(folder: Path, lang: str = "en") -> PlainWords:
    """In a language: the English files with the language's overlays merged in (the terms, when
    ``term_words.yaml`` is there)."""
    files = KnowledgeFiles(folder, lang)
    data = files.read(PLAIN_WORDS_FILE)
    if (folder / TERM_WORDS_FILE).exists() and isinstance(data, dict):
        terms = files.read(TERM_WORDS_FILE)
        data = {**data, "terms": terms.get("terms", {}) if isinstance(terms, dict) else terms}
    return validate(PlainWords, data, files.label(PLAIN_WORDS_FILE))


def plain_words(lang: str | None = None) -> PlainWords:
    """In a language (by default the one in force: bumpwise.domain.locale)."""
    from bumpwise.domain.locale import current_language

    return _plain_words(lang or current_language())


@cache
def _plain_words(lang: str) -> PlainWords:
    return load_plain_words(knowledge_dir(), lang)


@cache
def _pattern_phrases() -> re.Pattern[str]:
    spaced = sorted((p.value.replace("_", " ") for p in Pattern if "_" in p.value), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, spaced)) + r")\b")


def plain(value: object) -> str:
    """An id in plain words (unknown ids with their separators as spaces)."""
    text = str(value)
    return plain_words().lookup().get(text, text.replace("_", " ").replace("-", " "))


def plain_sentence(text: str) -> str:
    """A sentence or session name from the planner with its trainer's phrases and every
    movement-pattern name in plain words ("No pull vertical exercise fits" -> "No pull-down
    exercise fits")."""
    known = plain_words()
    for phrase, words in known.phrases.items():
        text = text.replace(phrase, words)
    lookup = known.lookup()
    return _pattern_phrases().sub(lambda m: lookup[m.group(1)], text)
