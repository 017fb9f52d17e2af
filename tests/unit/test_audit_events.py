"""Audit-log lines kept as events: the English sentence is the one written before events were
kept, and the reader's language words the same event (domain/audit_events.py)."""

from __future__ import annotations

from bumpwise.domain import audit_events
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.locale import language


def test_the_english_sentence_is_the_one_stored_before_events() -> None:
    swapped = audit_events.swapped("goblet-squat", "Goblet squat", "box-squat", "Box squat")
    assert swapped.english() == "swapped Goblet squat for Box squat in your plan"
    edited = audit_events.log_edited(7, "2026-12-01", [("rpe", "12", "14"), ("notes", None, None)])
    assert edited.english() == "edited session log 7 (2026-12-01): rpe 12 → 14, notes changed"
    deleted = audit_events.log_deleted(7, "2026-12-01", "pelvic_floor", 3, 20, None)
    assert (
        deleted.english() == "deleted session log 7 (2026-12-01, pelvic floor, 3 exercises, 20 min, effort ?)"
    )
    assert audit_events.downloaded("week.pdf").english() == "downloaded your week.pdf"


def test_the_same_events_in_spanish() -> None:
    with language("es"):
        kb = default_knowledge()
        swapped = audit_events.swapped("goblet-squat", "Goblet squat", "coach-own-1", "Cora's squat")
        assert swapped.worded(kb) == "cambió Sentadilla goblet por Cora's squat en tu plan"
        edited = audit_events.log_edited(7, "2026-12-01", [("rpe", "12", "14"), ("notes", None, None)])
        assert (
            edited.worded(kb)
            == "corrigió el registro de sesión 7 (2026-12-01): esfuerzo (RPE): 12 → 14, cambió las notas"
        )
        deleted = audit_events.log_deleted(7, "2026-12-01", "strength", 1, 20, 13)
        assert deleted.worded(kb).startswith("borró el registro de sesión 7 (2026-12-01, ")
        assert "1 ejercicio, 20 min, esfuerzo 13)" in deleted.worded(kb)


def test_a_stored_event_reads_back_and_an_unknown_kind_falls_back() -> None:
    event = audit_events.downloaded("plan.ics")
    assert audit_events.from_stored(event.stored()) == event
    assert audit_events.from_stored({"kind": "from-a-future-version"}) is None
    assert audit_events.from_stored(None) is None
