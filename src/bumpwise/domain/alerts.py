"""What a coach should notice about a client: warning signs, consults, missed sessions, trends.

Pure: it reads the plan, the dates logged and the symptoms of recent check-ins, as values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel

from bumpwise.domain.catalog import _, ngettext
from bumpwise.domain.contract import PlanWeek
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance, SessionKind

AlertKind = Literal["warning_sign", "consult_needed", "missed_sessions", "symptom_trend", "onboarding"]
TREND_WINDOW, TREND_MIN = 5, 3
TRAINING_KINDS = frozenset({SessionKind.STRENGTH, SessionKind.CARDIO})


class Alert(BaseModel):
    kind: AlertKind
    text: str


def training_dates(week: PlanWeek | None) -> list[date]:
    """The days of the week that hold a strength or cardio session."""
    if week is None:
        return []
    return [d.date for d in week.days if any(s.kind in TRAINING_KINDS for s in d.sessions)]


def adherence(planned: Sequence[date], logged: Collection[date], day: date) -> tuple[int, int]:
    """(training days logged this week so far, training days planned this week), from the week's
    training days (``training_dates``)."""
    return sum(1 for d in planned if d in logged and d <= day), len(planned)


def alerts_for(
    kb: KnowledgeBase,
    clearance: Clearance,
    training_days: Sequence[date],
    *,
    held_by: Collection[str],
    logged: Collection[date],
    recent_symptoms: Sequence[Sequence[str]],
    day: date,
) -> list[Alert]:
    """Of a plan, only its clearance and this week's training days (``training_dates``; the roster
    keeps them beside the plan, so it parses none). ``held_by``: the warning signs holding the
    plan (none when it is not held); ``logged``: the days a session was logged;
    ``recent_symptoms``: the symptoms of each recent check-in, newest first."""
    alerts: list[Alert] = []
    held = bool(held_by)
    if held:
        names = sorted({kb.warning_signs[s].name for s in held_by})
        alerts.append(
            Alert(
                kind="warning_sign",
                text=_("Warning sign reported: %(names)s. Plan on hold.", names=", ".join(names)),
            )
        )
    elif clearance in (Clearance.CONSULT_PROVIDER, Clearance.NOT_CLEARED):
        alerts.append(Alert(kind="consult_needed", text=kb.messages.clearances[clearance].headline))
    missed = sum(1 for d in training_days if d < day and d not in logged)
    if missed and not held:
        text = ngettext(
            "%(num)s planned training day missed this week",
            "%(num)s planned training days missed this week",
            missed,
        )
        alerts.append(Alert(kind="missed_sessions", text=text))
    trend = _trend(kb, recent_symptoms)
    if trend:
        alerts.append(Alert(kind="symptom_trend", text=trend))
    return alerts


def _trend(kb: KnowledgeBase, reports: Sequence[Sequence[str]]) -> str | None:
    recent = list(reports[:TREND_WINDOW])
    with_symptoms = [symptoms for symptoms in recent if symptoms]
    if len(with_symptoms) < TREND_MIN:
        return None
    counts = Counter(s for symptoms in with_symptoms for s in symptoms)
    common = ", ".join(kb.symptoms[s].name.lower() for s, _ in counts.most_common(2) if s in kb.symptoms)
    return _(
        "Symptoms in %(count)s of the last %(total)s check-ins (mostly %(common)s)",
        count=len(with_symptoms),
        total=len(recent),
        common=common,
    )
