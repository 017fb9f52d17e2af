"""A member's health data: profile, symptom check-ins, the stored plan and session logs.

Every row hangs off the user with ``ON DELETE CASCADE``: deleting the account deletes it all.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bumpwise.persistence.base import Base
from bumpwise.persistence.packing import unpack


class MemberProfile(Base):
    """What the member told us; the stage week is derived from the dates every day."""

    __tablename__ = "member_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    stage_kind: Mapped[str] = mapped_column(String(12))
    due_date: Mapped[date | None]
    birth_date: Mapped[date | None]
    delivery: Mapped[str | None] = mapped_column(String(12))
    activity_level: Mapped[str] = mapped_column(String(12))
    equipment: Mapped[list[str]]
    days_per_week: Mapped[int]
    minutes_per_session: Mapped[int]
    conditions: Mapped[list[str]]
    provider_cleared: Mapped[bool]
    age: Mapped[int | None]
    return_to_running_tests: Mapped[dict[str, bool]] = mapped_column(JSON)
    screening_answered: Mapped[bool]
    program_started_on: Mapped[date]
    updated_at: Mapped[datetime]


class SymptomReport(Base):
    """One check-in. A report with a warning sign holds the plan until it is marked resolved."""

    __tablename__ = "symptom_reports"
    __table_args__ = (Index("ix_symptom_reports_user_id_reported_at", "user_id", "reported_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reported_at: Mapped[datetime]
    symptoms: Mapped[list[str]]
    warning_signs: Mapped[list[str]]
    has_warning: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None]


class StoredPlan(Base):
    """This stage week's plan as compressed JSON, with a fingerprint of every input it was built from."""

    __tablename__ = "stored_plans"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    week_start: Mapped[date]
    stage_week: Mapped[int]
    clearance: Mapped[str] = mapped_column(String(20))
    plan_z: Mapped[bytes] = mapped_column(LargeBinary)
    """The plan's JSON, compressed (``persistence.packing``): about a seventh of its size."""
    created_at: Mapped[datetime]
    roster_summary: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    """What the coach's roster reads of the plan, so a roster page parses no plan:
    ``{"fingerprint": ..., "training_days": ["YYYY-MM-DD", ...]}``. It is trusted only while its
    fingerprint is the row's (a row written by a release without it keeps a stale one)."""

    @property
    def plan(self) -> dict[str, object]:
        """The plan's JSON as stored (``Plan.json()``), validated into ``PlanDocument`` when read."""
        document: dict[str, object] = json.loads(unpack(self.plan_z))
        return document


class SessionLog(Base):
    __tablename__ = "session_logs"
    __table_args__ = (Index("ix_session_logs_user_id_session_date", "user_id", "session_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_date: Mapped[date]
    session_kind: Mapped[str] = mapped_column(String(20))
    items_done: Mapped[list[str]]
    records: Mapped[list[dict[str, str | int | float]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    """Per exercise done: ``{"exercise", "sets", "reps", "weight_kg"}`` as the member recorded them."""
    rpe: Mapped[int | None]
    minutes: Mapped[int | None]
    sets_done: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
