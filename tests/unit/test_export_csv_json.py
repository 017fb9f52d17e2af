"""Logs and symptoms as CSV and JSON with the account export's field names, and back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from test_export_summary import LOG

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.exports.csv_json import (
    SESSION_COLUMNS,
    SYMPTOM_COLUMNS,
    log_from_account_export,
    log_from_records,
    logs_json,
    sessions_csv,
    symptoms_csv,
)
from bumpwise.exports.logs import parse_log
from bumpwise.exports.summary import summarize

KB = default_knowledge()


def rows(text: str) -> list[dict[str, str]]:
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_sessions_csv_one_row_per_session_oldest_first() -> None:
    log = parse_log(LOG, KB)
    table = rows(sessions_csv(log))
    assert tuple(table[0]) == SESSION_COLUMNS
    assert len(table) == len(LOG["sessions"])
    assert [r["session_date"] for r in table] == sorted(r["session_date"] for r in table)
    first = next(r for r in table if r["session_date"] == "2026-03-02" and r["session_kind"] == "strength")
    assert first["items_done"] == "dumbbell-romanian-deadlift; goblet-squat; glute-bridge"
    assert first["sets"] == "dumbbell-romanian-deadlift=3; goblet-squat=3"
    assert (first["minutes"], first["rpe"]) == ("30", "13")


def test_symptoms_csv_and_formula_cells_are_defused() -> None:
    data: dict[str, Any] = {
        **LOG,
        "symptoms": [*LOG["symptoms"], {"date": "2026-03-28", "note": "=HYPERLINK(1)"}],
    }
    table = rows(symptoms_csv(parse_log(data, KB)))
    assert tuple(table[0]) == SYMPTOM_COLUMNS
    warning = next(r for r in table if r["warning_signs"])
    assert (warning["reported_at"], warning["has_warning"]) == ("2026-03-26", "true")
    assert table[-1]["note"] == "'=HYPERLINK(1)"


def test_json_uses_the_account_export_names() -> None:
    data = logs_json(parse_log(LOG, KB))
    assert set(data) == {"format", "session_logs", "symptom_reports"}
    assert set(data["session_logs"][0]) == set(SESSION_COLUMNS)
    assert set(data["symptom_reports"][0]) == set(SYMPTOM_COLUMNS)
    assert json.loads(json.dumps(data)) == data


def test_json_round_trips_to_the_same_summary() -> None:
    log = parse_log(LOG, KB)
    data = logs_json(log)
    back = log_from_records(
        profile={"due_date": "2026-06-08"}, **{k: data[k] for k in ("session_logs", "symptom_reports")}
    )
    assert summarize(back, KB).as_dict() == summarize(log, KB).as_dict()


def test_an_account_export_gives_the_activity_log() -> None:
    """Rows as services/account_data.py writes them: every column, dates as ISO text."""
    export = {
        "format": 1,
        "profile": {
            "stage_kind": "postpartum",
            "due_date": None,
            "birth_date": "2026-01-10",
            "delivery": "caesarean",
        },
        "session_logs": [
            {
                "id": 4,
                "user_id": 1,
                "session_date": "2026-02-02",
                "session_kind": "strength",
                "items_done": ["glute-bridge", "not-in-library"],
                "rpe": 12,
                "minutes": 25,
                "notes": "",
                "created_at": "2026-02-02T18:00:00",
            }
        ],
        "symptom_reports": [
            {
                "id": 9,
                "user_id": 1,
                "reported_at": "2026-02-03T08:15:00",
                "symptoms": ["back_pain"],
                "warning_signs": [],
                "has_warning": False,
                "note": "",
                "resolved_at": None,
            }
        ],
    }
    log = log_from_account_export(export)
    assert log.sessions[0].date == date(2026, 2, 2)
    assert log.symptoms[0].reported_at == datetime(2026, 2, 3, 8, 15)
    summary = summarize(log, KB)
    assert summary.weeks[-1].stage == "week 3 after a caesarean birth"
    assert summary.weeks[-1].strength_sessions == 1
    assert summary.unknown_exercises == ("not-in-library",)
    assert logs_json(log)["symptom_reports"][0]["reported_at"] == "2026-02-03T08:15:00"
