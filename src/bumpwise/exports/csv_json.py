"""Session logs and symptom reports as CSV and JSON, with the field names of the account export.

The account export (services/account_data.py) writes ``session_logs`` and ``symptom_reports``
rows with ``session_date``, ``session_kind``, ``items_done``, ``rpe``, ``minutes``, ``notes`` and
``reported_at``, ``symptoms``, ``warning_signs``, ``has_warning``, ``note``, ``resolved_at``. These
exports use the same names and formats, so a member's CSV, a coach's CSV and the account export
agree, and ``log_from_records`` turns such rows (or a whole account export) back into an
``ActivityLog`` for the weekly summary.

CSV follows RFC 4180 (CRLF, quoted where needed). Free-text cells that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypedDict

from bumpwise.exports.logs import LOG_FORMAT, ActivityLog, LoggedSession, SymptomReport

SESSION_COLUMNS = ("session_date", "session_kind", "minutes", "rpe", "items_done", "sets", "notes")
SYMPTOM_COLUMNS = ("reported_at", "symptoms", "warning_signs", "has_warning", "note", "resolved_at")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SessionRow(TypedDict):
    """A session as a row of the CSV and of the account export (``SESSION_COLUMNS``)."""

    session_date: str
    session_kind: str
    minutes: int | None
    rpe: int | None
    items_done: list[str]
    sets: dict[str, int]
    notes: str


class SymptomRow(TypedDict):
    """A check-in as a row of the CSV and of the account export (``SYMPTOM_COLUMNS``)."""

    reported_at: str
    symptoms: list[str]
    warning_signs: list[str]
    has_warning: bool
    note: str
    resolved_at: str | None


class LogsJson(TypedDict):
    format: int
    session_logs: list[SessionRow]
    symptom_reports: list[SymptomRow]


def session_row(session: LoggedSession) -> SessionRow:
    return {
        "session_date": session.date.isoformat(),
        "session_kind": session.kind.value,
        "minutes": session.minutes,
        "rpe": session.rpe,
        "items_done": [i.exercise for i in session.items],
        "sets": {i.exercise: i.sets for i in session.items if i.sets is not None},
        "notes": session.notes,
    }


def symptom_row(report: SymptomReport) -> SymptomRow:
    return {
        "reported_at": (report.reported_at or report.date).isoformat(),
        "symptoms": list(report.symptoms),
        "warning_signs": list(report.warning_signs),
        "has_warning": bool(report.warning_signs),
        "note": report.note,
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
    }


def logs_json(log: ActivityLog) -> LogsJson:
    """Both lists, oldest first, as JSON-ready data (the account export's names)."""
    return {
        "format": LOG_FORMAT,
        "session_logs": [session_row(s) for s in sorted(log.sessions, key=lambda s: s.date)],
        "symptom_reports": [symptom_row(r) for r in sorted(log.symptoms, key=_report_time)],
    }


def sessions_csv(log: ActivityLog) -> str:
    rows = [session_row(s) for s in sorted(log.sessions, key=lambda s: s.date)]
    return _csv(SESSION_COLUMNS, rows)


def symptoms_csv(log: ActivityLog) -> str:
    rows = [symptom_row(r) for r in sorted(log.symptoms, key=_report_time)]
    return _csv(SYMPTOM_COLUMNS, rows)


def _report_time(report: SymptomReport) -> datetime:
    return report.reported_at or datetime.combine(report.date, datetime.min.time())


def _csv(columns: tuple[str, ...], rows: Iterable[Mapping[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return out.getvalue()


def _cell(value: object) -> str:
    """Lists as ``a; b``, sets as ``id=3; id=2``, booleans as true/false, none as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- back from the account export's rows ----------------------------------------------------


def log_from_account_export(export: Mapping[str, Any]) -> ActivityLog:
    """The activity log inside a full account export (its profile, session logs and reports)."""
    return log_from_records(
        profile=export.get("profile"),
        session_logs=export.get("session_logs") or (),
        symptom_reports=export.get("symptom_reports") or (),
    )


def log_from_records(
    *,
    profile: Mapping[str, Any] | None,
    session_logs: Iterable[Mapping[str, Any]],
    symptom_reports: Iterable[Mapping[str, Any]],
) -> ActivityLog:
    """An ``ActivityLog`` from rows shaped like the account export's (values may be ISO text or
    date/datetime objects). ``profile`` gives ``due_date``, ``birth_date`` and ``delivery``.
    Unknown exercise ids are kept; the summary lists them instead of counting them."""
    anchor = _anchor(profile or {})
    sessions = [
        {
            "date": _day(row["session_date"]),
            "kind": row["session_kind"],
            "minutes": row.get("minutes"),
            "rpe": row.get("rpe"),
            "items": _items(row.get("items_done") or [], row.get("sets") or {}),
            "notes": row.get("notes") or "",
        }
        for row in session_logs
    ]
    reports = [
        {
            "date": _day(row["reported_at"]),
            "symptoms": list(row.get("symptoms") or []),
            "warning_signs": list(row.get("warning_signs") or []),
            "note": row.get("note") or "",
            "reported_at": _moment(row["reported_at"]),
            "resolved_at": _moment(row["resolved_at"]) if row.get("resolved_at") else None,
        }
        for row in symptom_reports
    ]
    return ActivityLog.model_validate({**anchor, "sessions": sessions, "symptoms": reports})


def _anchor(profile: Mapping[str, Any]) -> dict[str, object]:
    anchor = {key: profile.get(key) for key in ("due_date", "birth_date", "delivery")}
    if anchor["birth_date"] is None:
        anchor["delivery"] = None
    return anchor


def _items(ids: Iterable[str], sets: Mapping[str, int]) -> list[dict[str, str | int | None]]:
    return [{"exercise": i, "sets": sets.get(i)} for i in ids]


def _day(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)


def _moment(value: date | datetime | str) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return None
    return datetime.fromisoformat(value) if "T" in value else None
