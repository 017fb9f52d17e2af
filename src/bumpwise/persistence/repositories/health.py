"""A member's health data: profile, symptom reports, stored plan and session logs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bumpwise.persistence.driver_insert import DriverInsert
from bumpwise.persistence.driver_sql import DriverSelect
from bumpwise.persistence.models import (
    CoachGrant,
    CoachSwap,
    MemberProfile,
    SessionLog,
    StoredPlan,
    SymptomReport,
)
from bumpwise.persistence.packing import pack, unpack

Ranked = TypeVar("Ranked", SessionLog, SymptomReport)


def _newest_first_rank(model: type[SessionLog] | type[SymptomReport], when: Any) -> Any:
    """1 for each member's newest row, 2 for the next, ... (served by the (user_id, date) index)."""
    window = func.row_number().over(partition_by=model.user_id, order_by=(when.desc(), model.id.desc()))
    return window.label("rank")


# The queries of a member's every page view, built once: composing a select costs more than
# running it on SQLite.
_LATEST_REPORT = (
    select(SymptomReport.id)
    .where(SymptomReport.user_id == bindparam("user_id"))
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
    .limit(1)
    .scalar_subquery()
)
_LATEST_AND_OPEN_WARNINGS = (
    SymptomReport.user_id == bindparam("user_id"),
    (SymptomReport.id == _LATEST_REPORT)
    | (SymptomReport.has_warning.is_(True) & SymptomReport.resolved_at.is_(None)),
)
SYMPTOM_STATE = (
    select(SymptomReport)
    .where(*_LATEST_AND_OPEN_WARNINGS)
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
)
_NEWEST_FIRST = (SessionLog.session_date.desc(), SessionLog.created_at.desc(), SessionLog.id.desc())
"""By the day trained, then the moment logged: ids are not in that order when several processes
write, each with ids reserved ahead (persistence.deferred_inserts)."""
LOGS = (
    select(SessionLog)
    .where(SessionLog.user_id == bindparam("user_id"))
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
LOGS_SINCE = (
    select(SessionLog)
    .where(SessionLog.user_id == bindparam("user_id"), SessionLog.session_date >= bindparam("since"))
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_LOG_TABLE: Table = SessionLog.__table__  # type: ignore[assignment]  # a mapped class's own table
_LOG_KEYS = tuple(c.key for c in _LOG_TABLE.c)
_LOG_COLUMNS = tuple(key for key in _LOG_KEYS if key != "id")
INSERT_LOG = DriverInsert(_LOG_TABLE)
_PROFILE_COLUMNS = MemberProfile.__table__.c
_REPORT_COLUMNS = SymptomReport.__table__.c
PROFILE_VALUES = select(*_PROFILE_COLUMNS).where(_PROFILE_COLUMNS.user_id == bindparam("user_id"))
SYMPTOM_STATE_VALUES = (
    select(*_REPORT_COLUMNS)
    .where(*_LATEST_AND_OPEN_WARNINGS)
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
)
_PROFILE_KEYS = tuple(c.key for c in _PROFILE_COLUMNS)
_REPORT_KEYS = tuple(c.key for c in _REPORT_COLUMNS)
_PLAN_COLUMNS = len(_PROFILE_KEYS) + 4
_REPORT_ID = _PLAN_COLUMNS + _REPORT_KEYS.index("id")
PLAN_INPUTS = DriverSelect(
    select(
        *_PROFILE_COLUMNS,
        StoredPlan.fingerprint,
        StoredPlan.plan_z,
        select(CoachGrant.id).where(CoachGrant.member_id == MemberProfile.user_id).exists(),
        select(CoachSwap.id).where(CoachSwap.member_id == MemberProfile.user_id).exists(),
        *_REPORT_COLUMNS,
    )
    .select_from(MemberProfile)
    .outerjoin(StoredPlan, StoredPlan.user_id == MemberProfile.user_id)
    .outerjoin(SymptomReport, and_(*_LATEST_AND_OPEN_WARNINGS))
    .where(MemberProfile.user_id == bindparam("user_id"))
    .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
)
"""A member's profile, stored plan, coach and swap flags and symptom state, in one statement run
on the driver's cursor (its entities built from plain values)."""
LOG_ROWS_SINCE = DriverSelect(LOGS_SINCE.with_only_columns(*_LOG_TABLE.c))
SymptomState = tuple[SymptomReport | None, list[SymptomReport]]
"""The latest check-in, and every check-in with a warning sign not yet resolved (oldest first)."""


def symptom_state_of(newest_first: Sequence[SymptomReport]) -> SymptomState:
    """``SymptomState`` from the rows of ``_LATEST_AND_OPEN_WARNINGS``, newest first."""
    latest = newest_first[0] if newest_first else None
    open_warnings = [r for r in newest_first if r.has_warning and r.resolved_at is None]
    return latest, sorted(open_warnings, key=lambda r: r.id)


@dataclass(frozen=True)
class PlanInputs:
    """A member's profile with her stored plan, read together, and whether she has any coach or
    swap at all: when not, her coaches' library and her swaps need no read of their own."""

    profile: MemberProfile
    stored_fingerprint: str | None
    packed_plan: bytes | None
    has_coach: bool
    has_swaps: bool
    symptom_state: SymptomState

    def stored_plan_body(self) -> tuple[str, bytes] | None:
        """The stored plan's fingerprint and its JSON text, as read with the profile."""
        if self.stored_fingerprint is None or self.packed_plan is None:
            return None
        return self.stored_fingerprint, unpack(self.packed_plan)


@dataclass(frozen=True)
class PlanRecord:
    """A member's plan of one stage week as stored: its JSON (laid out by ``packing.plan_json``)
    and the fingerprint of its inputs."""

    user_id: int
    fingerprint: str
    week_start: date
    stage_week: int
    clearance: str
    plan_json: bytes
    created_at: datetime
    training_days: list[date]
    """This week's strength and cardio days: kept beside the plan for the coach's roster."""


@dataclass(frozen=True)
class StoredSummary:
    """What the roster reads of a stored plan without its body: ``training_days`` is None when
    the row holds none taken from its current fingerprint."""

    fingerprint: str
    clearance: str
    training_days: tuple[date, ...] | None


@dataclass(frozen=True, slots=True)
class LogCopy:
    """A session log's stored values, read-only and in no session: what a page shows of it
    (1.1 µs to build where an entity takes 12, for each of a week's logs: issue 18).
    Its fields are the table's columns, in their order."""

    id: int
    user_id: int
    session_date: date
    session_kind: str
    items_done: list[str]
    records: list[dict[str, str | int | float]]
    rpe: int | None
    minutes: int | None
    sets_done: int | None
    notes: str
    created_at: datetime
    updated_at: datetime | None


if tuple(f.name for f in fields(LogCopy)) != _LOG_KEYS:
    raise TypeError(f"LogCopy's fields are not session_logs' columns {_LOG_KEYS}")

Copied = TypeVar("Copied", MemberProfile, SymptomReport)


def _copy(model: type[Copied], keys: Sequence[str], values: Sequence[Any]) -> Copied:
    """A row's values as a new instance of ``model``, not in any session."""
    return model(**dict(zip(keys, values, strict=True)))


def stored_plan_values(record: PlanRecord) -> dict[str, Any]:
    """A ``stored_plans`` row's columns for the record: its plan packed, the roster's summary."""
    values: dict[str, Any] = {f.name: getattr(record, f.name) for f in fields(record)}  # not copied
    values["plan_z"] = pack(values.pop("plan_json"))
    values["roster_summary"] = roster_summary(record.fingerprint, values.pop("training_days"))
    return values


def roster_summary(fingerprint: str, training_days: Sequence[date]) -> dict[str, object]:
    return {"fingerprint": fingerprint, "training_days": [d.isoformat() for d in training_days]}


def _summary_days(fingerprint: str, summary: dict[str, Any] | None) -> tuple[date, ...] | None:
    if not summary or summary.get("fingerprint") != fingerprint:
        return None
    return tuple(date.fromisoformat(d) for d in summary["training_days"])


class HealthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: MemberProfile | SymptomReport | StoredPlan | SessionLog) -> None:
        self.session.add(row)
        self.session.flush()

    def profile(self, user_id: int) -> MemberProfile | None:
        return self.session.get(MemberProfile, user_id)

    def add_log(self, row: SessionLog) -> None:
        """Store a new session log and set its id (the row itself stays out of the session); a
        value left unset takes its column's default. One insert on the driver's cursor, in the
        session's transaction (or held back until a batch's commit: persistence.deferred_inserts):
        the database's trigger bumps the member's view version (``view_versions.BUMPED_BY_DATABASE``),
        so her kept pages are rendered afresh."""
        values = {key: value for key in _LOG_COLUMNS if (value := getattr(row, key)) is not None}
        row.id = INSERT_LOG.in_session(self.session, values)

    def profile_values(self, user_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The profile's stored values and those of the reports ``symptom_state`` reads (newest
        first), as plain values in two queries, without building entities."""
        found = self.session.execute(PROFILE_VALUES, {"user_id": user_id}).first()
        if found is None:
            return None, []
        reports = self.session.execute(SYMPTOM_STATE_VALUES, {"user_id": user_id})
        return dict(found._mapping), [dict(report._mapping) for report in reports]

    def profiles(self, user_ids: Sequence[int]) -> dict[int, MemberProfile]:
        rows = self.session.scalars(select(MemberProfile).where(MemberProfile.user_id.in_(user_ids)))
        return {row.user_id: row for row in rows}

    def onboarded_after(self, user_id: int, limit: int) -> Sequence[MemberProfile]:
        """The next ``limit`` profiles of members who finished onboarding, by member id."""
        query = (
            select(MemberProfile)
            .where(MemberProfile.user_id > user_id, MemberProfile.screening_answered.is_(True))
            .order_by(MemberProfile.user_id)
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def reports(self, user_id: int, limit: int = 50, offset: int = 0) -> Sequence[SymptomReport]:
        query = (
            select(SymptomReport)
            .where(SymptomReport.user_id == user_id)
            .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
            .limit(limit)
            .offset(offset)
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

    def symptom_state(self, user_id: int) -> SymptomState:
        """In one query: the latest report, and every report with a warning sign not yet resolved."""
        return symptom_state_of(self.session.scalars(SYMPTOM_STATE, {"user_id": user_id}).all())

    def stored_plan(self, user_id: int) -> StoredPlan | None:
        return self.session.get(StoredPlan, user_id)

    def plan_inputs(self, user_id: int) -> PlanInputs | None:
        """What a member's page reads first, in one statement where it took five (issue 18: each
        statement cost about 0.2 ms of CPU on PostgreSQL); None when she has no profile. One row
        per check-in of her symptom state (usually one: the latest), none of them when she has
        never checked in. The profile and check-ins are read-only copies, outside the session."""
        rows = PLAN_INPUTS.all(self.session, {"user_id": user_id})
        if not rows:
            return None
        first = rows[0]
        profile = _copy(MemberProfile, _PROFILE_KEYS, first[: len(_PROFILE_KEYS)])
        fingerprint, packed, has_coach, has_swaps = first[len(_PROFILE_KEYS) : _PLAN_COLUMNS]
        checked_in = [row[_PLAN_COLUMNS:] for row in rows if row[_REPORT_ID] is not None]
        state = symptom_state_of([_copy(SymptomReport, _REPORT_KEYS, values) for values in checked_in])
        return PlanInputs(profile, fingerprint, packed, bool(has_coach), bool(has_swaps), state)

    def log_copies(self, user_id: int, *, since: date, limit: int) -> list[LogCopy]:
        """``logs`` from ``since`` on, as read-only copies (for a page's view)."""
        page = {"user_id": user_id, "since": since, "limit": limit, "offset": 0}
        return [LogCopy(*row) for row in LOG_ROWS_SINCE.all(self.session, page)]

    def logs(
        self, user_id: int, *, since: date | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[SessionLog]:
        """The newest logs first, from ``since`` on when given."""
        page = {"user_id": user_id, "limit": limit, "offset": offset}
        query, params = (LOGS, page) if since is None else (LOGS_SINCE, {**page, "since": since})
        return self.session.scalars(query, params).all()

    def symptom_states(self, user_ids: Sequence[int]) -> dict[int, SymptomState]:
        """``symptom_state`` for many members in one query."""
        rank = _newest_first_rank(SymptomReport, SymptomReport.reported_at)
        ranked = select(SymptomReport.id, rank).where(SymptomReport.user_id.in_(user_ids)).subquery()
        latest_ids = select(ranked.c.id).where(ranked.c.rank == 1)
        unresolved = SymptomReport.has_warning.is_(True) & SymptomReport.resolved_at.is_(None)
        query = (
            select(SymptomReport)
            .where(SymptomReport.user_id.in_(user_ids), SymptomReport.id.in_(latest_ids) | unresolved)
            .order_by(SymptomReport.reported_at.desc(), SymptomReport.id.desc())
        )
        found: dict[int, list[SymptomReport]] = {user_id: [] for user_id in user_ids}
        for row in self.session.scalars(query):
            found[row.user_id].append(row)
        return {user_id: symptom_state_of(rows) for user_id, rows in found.items()}

    def newest_reports(self, user_ids: Sequence[int], per_member: int) -> dict[int, list[SymptomReport]]:
        """Each member's ``per_member`` newest check-ins, in one query (newest first)."""
        return self._newest(SymptomReport, SymptomReport.reported_at, user_ids, per_member)

    def _newest(
        self, model: type[Ranked], when: Any, user_ids: Sequence[int], per_member: int
    ) -> dict[int, list[Ranked]]:
        rank = _newest_first_rank(model, when)
        ranked = select(model.id, rank).where(model.user_id.in_(user_ids)).subquery()
        query = (
            select(model)
            .join(ranked, ranked.c.id == model.id)
            .where(ranked.c.rank <= per_member)
            .order_by(model.user_id, when.desc(), model.id.desc())
        )
        found: dict[int, list[Ranked]] = {user_id: [] for user_id in user_ids}
        for row in self.session.scalars(query):
            found[row.user_id].append(row)
        return found

    def stored_fingerprints(self, user_ids: Sequence[int]) -> dict[int, str]:
        query = select(StoredPlan.user_id, StoredPlan.fingerprint).where(StoredPlan.user_id.in_(user_ids))
        return {user_id: fingerprint for user_id, fingerprint in self.session.execute(query)}

    def stored_summaries(self, user_ids: Sequence[int]) -> dict[int, StoredSummary]:
        """Fingerprint, clearance and training days of each member's stored plan, not its body."""
        query = select(
            StoredPlan.user_id, StoredPlan.fingerprint, StoredPlan.clearance, StoredPlan.roster_summary
        ).where(StoredPlan.user_id.in_(user_ids))
        return {
            user_id: StoredSummary(fingerprint, clearance, _summary_days(fingerprint, summary))
            for user_id, fingerprint, clearance, summary in self.session.execute(query)
        }

    def fill_summary(self, user_id: int, fingerprint: str, training_days: Sequence[date]) -> None:
        """Add the roster's summary to a plan stored without one (only while it is that plan)."""
        self.session.execute(
            update(StoredPlan)
            .where(StoredPlan.user_id == user_id, StoredPlan.fingerprint == fingerprint)
            .values(roster_summary=roster_summary(fingerprint, training_days))
        )

    def logged_dates(self, user_ids: Sequence[int], since: date) -> dict[int, set[date]]:
        """The days each member logged a session on, from ``since`` on (one query)."""
        query = (
            select(SessionLog.user_id, SessionLog.session_date)
            .where(SessionLog.user_id.in_(user_ids), SessionLog.session_date >= since)
            .distinct()
        )
        found: dict[int, set[date]] = {user_id: set() for user_id in user_ids}
        for user_id, day in self.session.execute(query):
            found[user_id].add(day)
        return found

    def last_logged(self, user_ids: Sequence[int]) -> dict[int, date]:
        """Each member's latest session date (members who logged none are left out)."""
        query = (
            select(SessionLog.user_id, func.max(SessionLog.session_date))
            .where(SessionLog.user_id.in_(user_ids))
            .group_by(SessionLog.user_id)
        )
        return {user_id: day for user_id, day in self.session.execute(query)}

    def stored_plan_bodies(self, user_ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        """The stored plans' fingerprints and JSON texts of many members, in one query."""
        if not user_ids:
            return {}
        query = select(StoredPlan.user_id, StoredPlan.fingerprint, StoredPlan.plan_z).where(
            StoredPlan.user_id.in_(user_ids)
        )
        return {
            user_id: (fingerprint, unpack(plan)) for user_id, fingerprint, plan in self.session.execute(query)
        }

    def log(self, log_id: int) -> SessionLog | None:
        return self.session.get(SessionLog, log_id)

    def delete_log(self, row: SessionLog) -> None:
        self.session.delete(row)
        self.session.flush()

    def save_plan(self, record: PlanRecord) -> None:
        """Store (or replace) the member's plan of this stage week, as JSON, with its fingerprint.
        One statement that inserts or updates, so a request that stored it a moment ago makes
        no error (and no savepoint is needed); the caller commits."""
        values = stored_plan_values(record)
        user_id = record.user_id
        insert = _upsert_for(self.session)(StoredPlan).values(**values)
        changed = {k: insert.excluded[k] for k in values if k != "user_id"}
        self.session.execute(insert.on_conflict_do_update(index_elements=["user_id"], set_=changed))
        stored = self.session.identity_map.get(self.session.identity_key(StoredPlan, user_id))
        if stored is not None:  # a stale copy read earlier in this unit of work
            self.session.expire(stored)

    def delete_all_of(self, user_id: int) -> None:
        for model in (SessionLog, SymptomReport, StoredPlan, MemberProfile):
            self.session.execute(delete(model).where(model.user_id == user_id))


def _upsert_for(session: Session) -> Callable[..., Any]:
    """The dialect's INSERT that knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
