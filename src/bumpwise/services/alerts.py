"""What a coach should notice about a client: warning signs, consults, missed sessions, trends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel

from bumpwise.domain.contract import PlanDocument, PlanWeek
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.vocab import Clearance, SessionKind
from bumpwise.persistence.models import SessionLog, SymptomReport
from bumpwise.services.profiles import MemberState

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


def adherence(week: PlanWeek | None, logs: Sequence[SessionLog], day: date) -> tuple[int, int]:
    """(training days logged this week so far, training days planned this week)."""
    planned = training_dates(week)
    logged = {log.session_date for log in logs}
    return sum(1 for d in planned if d in logged and d <= day), len(planned)


def alerts_for(
    kb: KnowledgeBase,
    state: MemberState,
    plan: PlanDocument,
    logs: Sequence[SessionLog],
    reports: Sequence[SymptomReport],
    day: date,
) -> list[Alert]:
    alerts: list[Alert] = []
    if state.held:
        names = sorted({kb.warning_signs[s].name for r in state.warnings for s in r.warning_signs})
        alerts.append(
            Alert(kind="warning_sign", text=f"Warning sign reported: {', '.join(names)}. Plan on hold.")
        )
    elif plan.clearance in (Clearance.CONSULT_PROVIDER, Clearance.NOT_CLEARED):
        alerts.append(Alert(kind="consult_needed", text=kb.messages.clearances[plan.clearance].headline))
    missed = _missed(plan, logs, day)
    if missed and not state.held:
        days = "day" if missed == 1 else "days"
        alerts.append(
            Alert(kind="missed_sessions", text=f"{missed} planned training {days} missed this week")
        )
    trend = _trend(kb, reports)
    if trend:
        alerts.append(Alert(kind="symptom_trend", text=trend))
    return alerts


def _missed(plan: PlanDocument, logs: Sequence[SessionLog], day: date) -> int:
    logged = {log.session_date for log in logs}
    return sum(1 for d in training_dates(plan.current_week) if d < day and d not in logged)


def _trend(kb: KnowledgeBase, reports: Sequence[SymptomReport]) -> str | None:
    recent = list(reports[:TREND_WINDOW])
    with_symptoms = [r for r in recent if r.symptoms]
    if len(with_symptoms) < TREND_MIN:
        return None
    counts = Counter(s for r in with_symptoms for s in r.symptoms)
    common = ", ".join(kb.symptoms[s].name.lower() for s, _ in counts.most_common(2) if s in kb.symptoms)
    return f"Symptoms in {len(with_symptoms)} of the last {len(recent)} check-ins (mostly {common})"
