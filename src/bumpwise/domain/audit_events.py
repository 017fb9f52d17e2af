"""What an audit-log line says, kept as an event (a kind and its values) and worded when read.

A line is stored with its kind and values (``audit_entries.event``) and with its English sentence
(``audit_entries.action``: the fallback, and what rows written before the event column keep).
When the member reads her log, the sentence is worded through the catalog in her language; an
exercise is named from the knowledge base in that language (a coach's own exercise, which the
base lacks, keeps the name stored with the event).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bumpwise.domain.catalog import N_, gettext, ngettext
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plain_words import plain_words

ROSTER_SUMMARY = "roster_summary"
CLIENT_DETAIL = "client_detail"
SWAPPED = "swapped"
SWAP_REMOVED = "swap_removed"
WEEKLY_SUMMARY = "weekly_summary"
DOWNLOADED = "downloaded"
LOG_EDITED = "log_edited"
LOG_DELETED = "log_deleted"

# The sentence of each kind with plain %(name)s values (the English is the msgid).
SENTENCES: dict[str, str] = {
    ROSTER_SUMMARY: N_("saw your summary in the coach roster"),
    CLIENT_DETAIL: N_("viewed your profile, plan, session logs and symptoms"),
    SWAPPED: N_("swapped %(from_name)s for %(to_name)s in your plan"),
    SWAP_REMOVED: N_("removed a swap from your plan"),
    WEEKLY_SUMMARY: N_("viewed your weekly summary"),
    DOWNLOADED: N_("downloaded your %(file)s"),
    LOG_EDITED: N_("edited session log %(log)s (%(date)s): %(changes)s"),
    LOG_DELETED: N_(
        "deleted session log %(log)s (%(date)s, %(kind)s, %(exercises)s, %(minutes)s min, effort %(rpe)s)"
    ),
}

# The words of a log's fields in an edit line.
FIELD_WORDS: dict[str, str] = {
    "session_date": N_("session date"),
    "session_kind": N_("session kind"),
    "exercises": N_("exercises"),
    "minutes": N_("minutes"),
    "rpe": N_("rpe"),
}
NOTES_CHANGED = N_("notes changed")
CHANGE = N_("%(field)s %(before)s → %(after)s")
UNKNOWN = "?"


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log: its kind and the values its sentence needs (JSON-able)."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    def stored(self) -> dict[str, Any]:
        return {"kind": self.kind, "values": self.values}

    def english(self) -> str:
        """The sentence as written before events were kept: the msgid filled in, no catalog."""
        return _word(self, None, translate=False)

    def worded(self, kb: KnowledgeBase | None) -> str:
        """The sentence in the language in force; exercise names from ``kb`` (in that language)."""
        return _word(self, kb, translate=True)


def from_stored(data: Mapping[str, Any] | None) -> AuditEvent | None:
    """The event kept with a row, or None (a row from before events were kept, or an unknown kind)."""
    if not data or data.get("kind") not in SENTENCES:
        return None
    values = data.get("values")
    return AuditEvent(str(data["kind"]), dict(values) if isinstance(values, Mapping) else {})


def swapped(from_id: str, from_name: str, to_id: str, to_name: str) -> AuditEvent:
    return AuditEvent(SWAPPED, {"from": from_id, "from_name": from_name, "to": to_id, "to_name": to_name})


def downloaded(file: str) -> AuditEvent:
    return AuditEvent(DOWNLOADED, {"file": file})


def log_edited(log_id: int, day: str, changes: list[tuple[str, str | None, str | None]]) -> AuditEvent:
    """``changes``: (field, before, after) each; the notes' text is never kept (None, None)."""
    return AuditEvent(
        LOG_EDITED, {"log": log_id, "date": day, "changes": [list(change) for change in changes]}
    )


def log_deleted(
    log_id: int, day: str, kind: str, exercises: int, minutes: int | None, rpe: int | None
) -> AuditEvent:
    return AuditEvent(
        LOG_DELETED,
        {"log": log_id, "date": day, "kind": kind, "exercises": exercises, "minutes": minutes, "rpe": rpe},
    )


def _word(event: AuditEvent, kb: KnowledgeBase | None, *, translate: bool) -> str:
    def say(message: str, **values: Any) -> str:
        return gettext(message, **values) if translate else (message % values if values else message)

    v = event.values
    sentence = SENTENCES[event.kind]
    if event.kind == SWAPPED:
        return say(
            sentence,
            from_name=_exercise(kb, v.get("from"), v.get("from_name")),
            to_name=_exercise(kb, v.get("to"), v.get("to_name")),
        )
    if event.kind == DOWNLOADED:
        return say(sentence, file=v.get("file", UNKNOWN))
    if event.kind == LOG_EDITED:
        changes = ", ".join(_change(list(c), say) for c in v.get("changes", []))
        return say(sentence, log=v.get("log", UNKNOWN), date=v.get("date", UNKNOWN), changes=changes)
    if event.kind == LOG_DELETED:
        n = int(v.get("exercises") or 0)
        if translate:
            exercises = ngettext("%(num)s exercise", "%(num)s exercises", n, num=n)
        else:
            exercises = f"{n} exercises"
        return say(
            sentence,
            log=v.get("log", UNKNOWN),
            date=v.get("date", UNKNOWN),
            kind=_kind(str(v.get("kind", "")), translate),
            exercises=exercises,
            minutes=v.get("minutes") or UNKNOWN,
            rpe=v.get("rpe") or UNKNOWN,
        )
    return say(sentence)


def _exercise(kb: KnowledgeBase | None, exercise_id: object, stored: object) -> str:
    if kb is not None and isinstance(exercise_id, str) and exercise_id in kb.exercises:
        return str(kb.exercises[exercise_id].name)
    return str(stored or exercise_id or UNKNOWN)


def _kind(kind: str, translate: bool) -> str:
    if translate:
        words = plain_words().lookup().get(kind)
        if words:
            return words
    return kind.replace("_", " ")


def _change(change: list[Any], say: Any) -> str:
    name = str(change[0]) if change else ""
    if name == "notes":
        return str(say(NOTES_CHANGED))
    before, after = (("—" if value is None else str(value)) for value in [*change, None, None][1:3])
    words = FIELD_WORDS.get(name)
    field_words = str(say(words)) if words else name.replace("_", " ")
    return str(say(CHANGE, field=field_words, before=before, after=after))
