"""Find vocabulary phrases in an exercise's name and instructions.

Phrase syntax (import_vocabulary.yaml): words separated by spaces; ``word*`` matches any ending
(``lunge*`` → lunge, lunges); ``(a|b c)`` one of the alternatives; ``[a|b]`` an optional
alternative; ``..`` up to three words of any kind. Text and phrases are lower-cased, apostrophes
dropped and hyphens, underscores and slashes read as spaces, so ``push-up`` and ``push up`` match.

Matches of one attribute never overlap: the longest wins, so ``lie face down on an incline
bench`` (prone) shadows ``incline bench`` (reclined), and an ``ignore`` phrase such as ``small
jump`` shadows ``jump``. A phrase preceded in its clause by a
negation word (``do not jump``) is recorded, not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from bumpwise.importing import evidence
from bumpwise.importing.vocabulary import Cue, Negation

_APOSTROPHES = re.compile(r"['’‘`´]")
_SEPARATORS = re.compile(r"[-_/\\]+")
_SPACES = re.compile(r"\s+")
_CLAUSE_END = re.compile(r"[.;:!?,()\"]")
_TOKEN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\S+")


def normalise(text: str) -> str:
    text = _APOSTROPHES.sub("", text.lower())
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _word(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[a-z0-9]*"
    return re.escape(word)


def _words(words: str) -> str:
    return r"\s+".join(_word(w) for w in normalise(words).split())


def _group(body: str) -> str:
    return "(?:" + "|".join(_words(alt) for alt in body.split("|") if alt.strip()) + ")"


@cache
def compile_phrase(phrase: str) -> str:
    """The regular expression for one vocabulary phrase (see the module docstring)."""
    pieces: list[str] = []
    for token in _TOKEN.findall(phrase.lower()):
        first = not pieces
        if token == "..":
            pieces.append(r"(?:\s+\S+){0,3}")
        elif token.startswith("["):
            body = _group(token[1:-1])
            pieces.append(f"(?:{body}\\s+)?" if first else f"(?:\\s+{body})?")
        else:
            body = _group(token[1:-1]) if token.startswith("(") else _words(token)
            pieces.append(body if first else r"\s+" + body)
    return r"\b" + "".join(pieces) + r"\b"


@dataclass(frozen=True)
class Hit:
    """One phrase found: where (``name`` or step index), the text, and whether it was negated."""

    cue: Cue
    field: str
    step: int
    text: str
    negated: bool

    @property
    def where(self) -> str:
        return evidence.where(self.field, self.step)


@dataclass(frozen=True)
class Phrase:
    attribute: str
    cue: Cue
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class PhraseIndex:
    """Every phrase of the vocabulary, indexed by the words it can start with.

    One pass over the words of a text finds the few phrases worth trying at each word; a single
    alternation of hundreds of phrases is ten times slower in Python's ``re``.
    """

    exact: dict[str, list[Phrase]]
    prefixes: dict[str, list[Phrase]]
    prefix_lengths: tuple[int, ...]
    seen: dict[tuple[str, str], tuple[Phrase, ...]] = field(default_factory=dict)

    def hits(self, field: str, step: int, text: str, negation: Negation) -> dict[str, list[Hit]]:
        """Non-overlapping hits per attribute in one text; the longest match wins an overlap."""
        found: dict[str, list[tuple[int, int, Phrase, str]]] = {}
        for word in _WORD.finditer(text):
            for phrase in self._candidates(field, word.group()):
                match = phrase.pattern.match(text, word.start())
                if match:
                    found.setdefault(phrase.attribute, []).append(
                        (match.start(), match.end(), phrase, match.group())
                    )
        return {
            attribute: [
                Hit(
                    phrase.cue,
                    field,
                    step,
                    matched,
                    not phrase.cue.ignore and _negated(text, begin, negation),
                )
                for begin, _, phrase, matched in _longest_first(matches)
            ]
            for attribute, matches in found.items()
        }

    def _candidates(self, field: str, word: str) -> tuple[Phrase, ...]:
        """The phrases that may start at ``word`` in ``field``; memoised, words repeat a lot."""
        key = (field, word)
        cached = self.seen.get(key)
        if cached is None:
            candidates = list(self.exact.get(word, ()))
            for length in self.prefix_lengths:
                if len(word) >= length:
                    candidates.extend(self.prefixes.get(word[:length], ()))
            cached = self.seen[key] = tuple(p for p in candidates if field in p.cue.fields)
        return cached


_WORD = re.compile(r"[a-z0-9]+")


def build_index(cues_by_attribute: dict[str, list[Cue]]) -> PhraseIndex:
    exact: dict[str, list[Phrase]] = {}
    prefixes: dict[str, list[Phrase]] = {}
    for attribute, cues in cues_by_attribute.items():
        for cue in cues:
            for text in cue.phrases:
                phrase = Phrase(attribute, cue, re.compile(compile_phrase(text)))
                for word in first_words(text):
                    table = prefixes if word.endswith("*") else exact
                    table.setdefault(word.rstrip("*"), []).append(phrase)
    lengths = tuple(sorted({len(prefix) for prefix in prefixes}))
    return PhraseIndex(exact=exact, prefixes=prefixes, prefix_lengths=lengths)


def first_words(phrase: str) -> set[str]:
    """The words a phrase can start with (``word*`` for a prefix), skipping optional groups."""
    words: set[str] = set()
    for token in _TOKEN.findall(phrase.lower()):
        optional = token.startswith("[")
        alternatives = token[1:-1].split("|") if token[0] in "([" else [token]
        for alternative in alternatives:
            parts = normalise(alternative).split()
            if parts:
                words.add(parts[0])
        if not optional:
            return words
    return words


def _longest_first(matches: list[tuple[int, int, Phrase, str]]) -> list[tuple[int, int, Phrase, str]]:
    chosen: list[tuple[int, int, Phrase, str]] = []
    for match in sorted(matches, key=lambda m: (m[0] - m[1], -m[2].cue.weight, m[0])):
        if all(match[1] <= other[0] or match[0] >= other[1] for other in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m[0])


def _negated(text: str, start: int, negation: Negation) -> bool:
    before = text[max(0, start - 80) : start]
    clause = _CLAUSE_END.split(before)[-1]
    return any(word in negation.words for word in clause.split()[-negation.window :])
