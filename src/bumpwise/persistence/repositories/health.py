"""A member's health data: profile, symptom reports, stored plan and session logs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bumpwise.persistence.models import MemberProfile, SessionLog, StoredPlan, SymptomReport


@dataclass(frozen=True)
class PlanRecord:
    """A member's plan of one stage week as stored: its JSON and the fingerprint of its inputs."""

    user_id: int
    fingerprint: str
    week_start: date
    stage_week: int
    clearance: str
    plan: dict[str, object]
    created_at: datetime


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
        latest_id = (
            select(SymptomReport.id)
            .where(SymptomReport.user_id == user_id)
            .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        unresolved = SymptomReport.has_warning.is_(True) & SymptomReport.resolved_at.is_(None)
        query = (
            select(SymptomReport)
            .where(SymptomReport.user_id == user_id, (SymptomReport.id == latest_id) | unresolved)
            .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
        )
        rows = list(self.session.scalars(query))
        latest = rows[0] if rows else None
        open_warnings = [r for r in rows if r.has_warning and r.resolved_at is None]
        return latest, sorted(open_warnings, key=lambda r: r.id)

    def stored_plan(self, user_id: int) -> StoredPlan | None:
        return self.session.get(StoredPlan, user_id)

    def save_plan(self, record: PlanRecord) -> None:
        """Store (or replace) the member's plan of this stage week, as JSON, with its fingerprint.
        One statement that inserts or updates, so a request that stored it a moment ago makes
        no error (and no savepoint is needed); the caller commits."""
        values = asdict(record)
        user_id = record.user_id
        insert = _upsert_for(self.session)(StoredPlan).values(**values)
        changed = {k: insert.excluded[k] for k in values if k != "user_id"}
        self.session.execute(insert.on_conflict_do_update(index_elements=["user_id"], set_=changed))
        stored = self.session.identity_map.get(self.session.identity_key(StoredPlan, user_id))
        if stored is not None:  # a stale copy read earlier in this unit of work
            self.session.expire(stored)

    def logs(self, user_id: int, *, since: date | None = None, limit: int = 100) -> Sequence[SessionLog]:
        query = select(SessionLog).where(SessionLog.user_id == user_id)
        if since is not None:
            query = query.where(SessionLog.session_date >= since)
        query = query.order_by(SessionLog.session_date.desc(), SessionLog.id.desc()).limit(limit)
        return self.session.scalars(query).all()

    def delete_all_of(self, user_id: int) -> None:
        for model in (SessionLog, SymptomReport, StoredPlan, MemberProfile):
            self.session.execute(delete(model).where(model.user_id == user_id))


def _upsert_for(session: Session) -> Callable[..., Any]:
    """The dialect's INSERT that knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
