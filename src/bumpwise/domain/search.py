"""Library search by the words people use: a query is read with hyphens as spaces, and a query
that is a known synonym (``knowledge/search_synonyms.yaml``) also finds what the library calls
the same thing ("kegel" finds the pelvic floor exercises, "c-section" the caesarean forms)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from bumpwise.domain.exercise import Exercise, Strict
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.loader import read_yaml, validate
from bumpwise.domain.plain_words import plain

SYNONYMS_FILE = "search_synonyms.yaml"
Word = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9 ]*$", max_length=40)]


class Synonym(Strict):
    words: list[Word] = Field(min_length=1)
    means: list[Word] = Field(min_length=1)


class Synonyms(Strict):
    synonyms: list[Synonym]

    @model_validator(mode="after")
    def _each_word_once(self) -> Synonyms:
        seen: set[str] = set()
        for entry in self.synonyms:
            twice = seen & set(entry.words)
            if twice:
                raise ValueError(f"synonyms: {sorted(twice)} appear in two entries")
            seen.update(entry.words)
        return self

    def expand(self, query: str) -> list[str]:
        """The normalised query and, when it is a known word, what it means in the library."""
        text = normalise(query)
        if not text:
            return []
        found = [text]
        for entry in self.synonyms:
            if text in entry.words:
                found.extend(entry.means)
        return found


def normalise(text: str) -> str:
    """Lower case, hyphens and other punctuation read as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def load_synonyms(folder: Path) -> Synonyms:
    return validate(Synonyms, read_yaml(folder / SYNONYMS_FILE), SYNONYMS_FILE)


@cache
def synonyms() -> Synonyms:
    return load_synonyms(knowledge_dir())


def searchable_text(exercise: Exercise) -> str:
    """What a query is matched against: names, summary, movement, main muscles and the names of
    its stage forms ("caesarean" when one has words for after a caesarean)."""
    parts = [exercise.id, exercise.name, exercise.summary, exercise.pattern.value, plain(exercise.pattern)]
    parts += [m.value for m in exercise.primary_muscles]
    parts += [variant.name for variant in exercise.variants]
    if any(variant.after_caesarean for variant in exercise.variants):
        parts.append("caesarean")
    return normalise(" ".join(parts))


def matches(terms: list[str], text: str) -> bool:
    """Whether ``text`` (normalised) holds any of the ``terms``: short ones as whole words."""
    padded = f" {text} "
    return not terms or any(f" {term} " in padded or (len(term) > 3 and term in text) for term in terms)
