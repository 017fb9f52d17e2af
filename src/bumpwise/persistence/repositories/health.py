"""A member's health data: profile, symptom reports, stored plan and session logs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import MemberProfile, SessionLog, StoredPlan, SymptomReport

# The queries of a member's every page view, built once: composing a select costs more than
# running it on SQLite.
_LATEST_REPORT = (
    select(SymptomReport.id)
    .where(SymptomReport.user_id == bindparam("user_id"))
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
    .limit(1)
    .scalar_subquery()
)
SYMPTOM_STATE = (
    select(SymptomReport)
    .where(
        SymptomReport.user_id == bindparam("user_id"),
        (SymptomReport.id == _LATEST_REPORT)
        | (SymptomReport.has_warning.is_(True) & SymptomReport.resolved_at.is_(None)),
    )
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
)
_NEWEST_FIRST = (SessionLog.session_date.desc(), SessionLog.id.desc())
LOGS = (
    select(SessionLog)
    .where(SessionLog.user_id == bindparam("user_id"))
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit"))
)
LOGS_SINCE = (
    select(SessionLog)
    .where(SessionLog.user_id == bindparam("user_id"), SessionLog.session_date >= bindparam("since"))
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit"))
)
_STORED_OF_USER = StoredPlan.user_id == bindparam("user_id")
STORED_FINGERPRINT = select(StoredPlan.fingerprint).where(_STORED_OF_USER)
STORED_BODY = select(StoredPlan.fingerprint, StoredPlan.plan).where(_STORED_OF_USER)


class HealthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: MemberProfile | SymptomReport | StoredPlan | SessionLog) -> None:
        self.session.add(row)
        self.session.flush()

    def profile(self, user_id: int) -> MemberProfile | None:
        return self.session.get(MemberProfile, user_id)

    def profiles(self, user_ids: Sequence[int]) -> dict[int, MemberProfile]:
        rows = self.session.scalars(select(MemberProfile).where(MemberProfile.user_id.in_(user_ids)))
        return {row.user_id: row for row in rows}

    def reports(self, user_id: int, limit: int = 50) -> Sequence[SymptomReport]:
        query = (
            select(SymptomReport)
            .where(SymptomReport.user_id == user_id)
            .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def report(self, report_id: int) -> SymptomReport | None:
        return self.session.get(SymptomReport, report_id)

    def unresolved_warnings(self, user_id: int) -> Sequence[SymptomReport]:
        query = (
            select(SymptomReport)
            .where(
                SymptomReport.user_id == user_id,
                SymptomReport.has_warning.is_(True),
                SymptomReport.resolved_at.is_(None),
            )
            .order_by(SymptomReport.id)
        )
        return self.session.scalars(query).all()

    def symptom_state(self, user_id: int) -> tuple[SymptomReport | None, list[SymptomReport]]:
        """In one query: the latest report, and every report with a warning sign not yet resolved."""
        rows = list(self.session.scalars(SYMPTOM_STATE, {"user_id": user_id}))
        latest = rows[0] if rows else None
        open_warnings = [r for r in rows if r.has_warning and r.resolved_at is None]
        return latest, sorted(open_warnings, key=lambda r: r.id)

    def stored_plan(self, user_id: int) -> StoredPlan | None:
        return self.session.get(StoredPlan, user_id)

    def stored_fingerprint(self, user_id: int) -> str | None:
        """The stored plan's fingerprint alone, without fetching or parsing the plan."""
        return self.session.execute(STORED_FINGERPRINT, {"user_id": user_id}).scalar()

    def stored_plan_body(self, user_id: int) -> tuple[str, dict[str, Any]] | None:
        """The stored plan's fingerprint and its parsed JSON, read together."""
        row = self.session.execute(STORED_BODY, {"user_id": user_id}).first()
        return None if row is None else (row[0], row[1])

    def logs(self, user_id: int, *, since: date | None = None, limit: int = 100) -> Sequence[SessionLog]:
        """The newest logs first, from ``since`` on when given."""
        query, params = (
            (LOGS, {"user_id": user_id, "limit": limit})
            if since is None
            else (LOGS_SINCE, {"user_id": user_id, "since": since, "limit": limit})
        )
        return self.session.scalars(query, params).all()

    def delete_all_of(self, user_id: int) -> None:
        for model in (SessionLog, SymptomReport, StoredPlan, MemberProfile):
            self.session.execute(delete(model).where(model.user_id == user_id))
