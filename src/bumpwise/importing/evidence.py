"""The importer's evidence lines and review reasons: one form per kind of line, written in English
with the import and worded in the reader's language when shown.

An import is stored (and written to its JSON file, and answered by the API) with each line as an
English sentence: that is the import format, and every import made before this module keeps it.
So a line is not stored as structure; it is written here from a form and read back here by the
same form: each form is an English template whose ``%(name)s`` values are the only parts that
vary, and it is also the catalog's message id. ``worded`` matches a line against the forms and
says it again through the catalog, keeping the quoted source words, the values and the weights
exactly; a line no form matches (from an importer older than the forms) is shown as stored.
``tests/unit/test_import_evidence.py`` checks that every line the importer writes reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from bumpwise.domain.catalog import N_, gettext
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.loader import KnowledgeFiles, read_yaml
from bumpwise.domain.locale import ENGLISH, current_language
from bumpwise.domain.overlay import translate_leaves
from bumpwise.domain.plain_words import plain


@dataclass(frozen=True)
class Form:
    """One kind of line: its English template (also its message id)."""

    kind: str
    template: str

    def english(self, **values: Any) -> str:
        """The line as stored: the template filled in, no catalog."""
        return self.template % {name: str(value) for name, value in values.items()}

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"%\((\w+)\)s", self.template)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        return re.compile(f"^{regex}$", re.DOTALL)


HIT = Form("hit", N_('%(where)s "%(text)s" → %(value)s +%(points)s'))
IGNORED = Form("ignored", N_('%(where)s "%(text)s" ignored (%(why)s)'))
NEGATED = Form("negated", N_('%(where)s "%(text)s" negated, not counted'))
OFF_POSITION = Form("off_position", N_('%(where)s "%(text)s" not counted in position %(position)s'))
PRIOR = Form("prior", N_("%(conditions)s → %(value)s +%(points)s (%(why)s)"))
DEFAULT = Form("default", N_("no cue; default %(value)s"))
SOURCE_EQUIPMENT_UNMAPPED = Form(
    "source_equipment_unmapped", N_("source equipment %(name)s has no bumpwise id")
)
SOURCE_EQUIPMENT = Form("source_equipment", N_("source equipment %(name)s → %(ids)s"))
TEXT_EQUIPMENT_UNMAPPED = Form(
    "text_equipment_unmapped", N_("text names a %(label)s, which has no bumpwise id")
)
TEXT_EQUIPMENT = Form("text_equipment", N_("text names a %(label)s → %(equipment)s"))
NOT_CLASSIFIED = Form("not_classified", N_("%(attribute)s: not classified by the import vocabulary"))
LOW_CONFIDENCE = Form("low_confidence", N_("%(attribute)s: confidence %(confidence)s < %(threshold)s"))

# Most specific first: a line is read by the first form it matches.
FORMS: tuple[Form, ...] = (
    IGNORED,
    NEGATED,
    OFF_POSITION,
    HIT,
    DEFAULT,
    SOURCE_EQUIPMENT_UNMAPPED,
    SOURCE_EQUIPMENT,
    TEXT_EQUIPMENT_UNMAPPED,
    TEXT_EQUIPMENT,
    NOT_CLASSIFIED,
    LOW_CONFIDENCE,
    PRIOR,
)

NAME = N_("name")
NOT_THIS_MEANING = N_("not this meaning")
"""The reason of an ignored phrase whose cue gives none."""
VOCABULARY_FILE = "import_vocabulary.yaml"
SOURCE_FIELDS = {
    "category": N_("the source's category"),
    "source_equipment": N_("the source's equipment"),
    "primary_muscles": N_("the source's main muscles"),
    "force": N_("the source's force"),
    "mechanic": N_("the source's mechanic"),
}
"""The source's own fields a prior may test (the import vocabulary's ``when``)."""
SPECIAL = {"true": N_("yes"), "false": N_("no"), "none": N_("none")}
STEP = N_("step %(number)s")
_STEP = re.compile(r"^step (\d+)$")
_WHERE = re.compile(r"^(name|step \d+)$")


def where(field: str, step: int) -> str:
    """Where a phrase was found, as stored: ``name`` or ``step 2`` (steps counted from 1)."""
    return "name" if field == "name" else f"step {step + 1}"


def read(line: str) -> tuple[Form, dict[str, str]] | None:
    """The form and values of a stored line, or None when no form matches it."""
    for form in FORMS:
        found = form.pattern.match(line)
        if found and ("where" not in found.groupdict() or _WHERE.match(found["where"])):
            return form, found.groupdict()
    return None


def worded(line: str) -> str:
    """A stored line in the language in force. The quoted source words, the numbers and the
    weights stay as they are; an id (an attribute, a value, a position, equipment) is shown in its
    plain words; what the import vocabulary wrote (a reason, the name of equipment a text names)
    is read from its overlay (``knowledge/locales/<lang>/import_vocabulary.yaml``). In English too
    the ids are shown in plain words: a page never shows an engine word ("abdominal_pressure")."""
    lang = current_language()
    found = read(line)
    if found is None:
        return line
    form, values = found
    shown: dict[str, str] = dict(values)
    if "where" in shown:
        step = _STEP.match(shown["where"])
        shown["where"] = gettext(STEP, number=step[1]) if step else gettext(NAME)
    for name in ("value", "position", "equipment", "attribute"):
        if name in shown:
            shown[name] = _ids(shown[name], ",")
    if "ids" in shown:
        shown["ids"] = _ids(shown["ids"], ", ")
    if "conditions" in shown:
        shown["conditions"] = ", ".join(_condition(part) for part in shown["conditions"].split(", "))
    words = vocabulary_words(lang)
    for name in ("why", "label"):
        if name in shown:
            text = shown[name]
            shown[name] = gettext(NOT_THIS_MEANING) if text == NOT_THIS_MEANING else words.get(text, text)
    return gettext(form.template, **shown)


def worded_all(lines: list[str]) -> list[str]:
    return [worded(line) for line in lines]


@cache
def vocabulary_words(lang: str) -> dict[str, str]:
    """The import vocabulary's English reasons and equipment names to the language's (its overlay;
    a text the overlay leaves out stays English)."""
    if lang == ENGLISH:
        return {}
    files = KnowledgeFiles(knowledge_dir(), lang)
    patterns = files.text_paths.patterns(VOCABULARY_FILE)
    english = _leaves(read_yaml(knowledge_dir() / VOCABULARY_FILE), patterns)
    translated = _leaves(files.read(VOCABULARY_FILE), patterns)
    return dict(zip(english, translated, strict=True))


def _ids(text: str, separator: str) -> str:
    return ", ".join(_id(part.strip()) for part in text.split(separator))


def _id(value: str) -> str:
    if value in SPECIAL:
        return gettext(SPECIAL[value])
    return plain(value)


def _condition(part: str) -> str:
    """``category=cardio``: a source's field and its word as the source wrote it; an attribute
    the importer already decided and its value in plain words."""
    key, sep, value = part.partition("=")
    if not sep:
        return part
    if key in SOURCE_FIELDS:
        return f"{gettext(SOURCE_FIELDS[key])}={value}"
    return f"{plain(key)}={_ids(value, ',')}"


def _leaves(document: object, patterns: list[tuple[str, ...]]) -> list[str]:
    found: list[str] = []

    def keep(text: str) -> str:
        found.append(text)
        return text

    translate_leaves(document, patterns, keep)
    return found
