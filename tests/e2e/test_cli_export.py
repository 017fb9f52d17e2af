"""`bumpwise export pdf|ical|logs` and `bumpwise report`, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from builders import PGP_26_WEEKS
from cli_support import run

PROFILE = PGP_26_WEEKS
LOG: dict[str, Any] = {
    "due_date": "2026-06-08",
    "sessions": [
        {
            "date": "2026-03-02",
            "kind": "strength",
            "minutes": 30,
            "rpe": 13,
            "items": ["goblet-squat", "glute-bridge"],
        },
        {"date": "2026-03-10", "kind": "cardio", "minutes": 150, "rpe": 12},
        {"date": "2026-03-17", "kind": "pelvic_floor", "minutes": 5},
        {"date": "2026-03-24", "kind": "cardio", "minutes": 40, "rpe": 15, "notes": "hot day"},
    ],
    "symptoms": [{"date": "2026-03-18", "symptoms": ["back_pain"]}],
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "profile.json").write_text(json.dumps(PROFILE), encoding="utf-8")
    (tmp_path / "log.json").write_text(json.dumps(LOG), encoding="utf-8")
    return tmp_path


def test_export_pdf(files: Path) -> None:
    out = files / "plan.pdf"
    result = run("export", "pdf", str(files / "profile.json"), "--weeks", "2", "--start", "2026-03-02",
                 "--coach", "Dana Example", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Your 2-week plan" in flat and "Prepared by Dana Example" in flat
    assert flat.count("Please read:") == text.count("\f")  # the disclaimer on every page


def test_export_ical(files: Path) -> None:
    out = files / "plan.ics"
    result = run("export", "ical", str(files / "profile.json"), "--weeks", "1", "--start", "2026-03-02",
                 "--time", "18:00", "--skip-pelvic-floor", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    body = out.read_bytes()
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"DTSTART:20260302T180000" in body
    assert b"pelvic_floor@bumpwise" not in body and body.count(b"BEGIN:VEVENT") >= 3
    again = files / "again.ics"
    run("export", "ical", str(files / "profile.json"), "--start", "2026-03-02", "--out", str(again))
    uids = [line for line in body.split(b"\r\n") if line.startswith(b"UID:")]
    assert all(uid in again.read_bytes() for uid in uids)  # the same plan keeps its UIDs


def test_report_text_and_json(files: Path) -> None:
    text = run("report", str(files / "log.json"))
    assert text.returncode == 0, text.stderr
    assert "1 of 4 weeks reached 150 moderate minutes." in text.stdout
    assert "Please read:" in text.stdout
    data = json.loads(run("report", str(files / "log.json"), "--weeks", "6", "--format", "json").stdout)
    assert len(data["weeks"]) == 6 and data["disclaimer"]
    # a 30-minute strength session counts toward the moderate minutes (Canada 2019, UK CMO)
    assert [w["moderate_minutes"] for w in data["weeks"][-4:]] == [30, 150, 0, 40]
    assert [w["aerobic_minutes"] for w in data["weeks"][-4:]] == [0, 150, 0, 40]


def test_report_chart_svg_png_and_summary_pdf(files: Path) -> None:
    svg, png, pdf = files / "chart.svg", files / "chart.png", files / "summary.pdf"
    assert run("report", str(files / "log.json"), "--out", str(svg), "--chart", "rpe").returncode == 0
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg") and "script" not in svg.read_text(encoding="utf-8")
    result = run("report", str(files / "log.json"), "--out", str(png))
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("report", str(files / "log.json"), "--out", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_export_logs(files: Path) -> None:
    out = files / "sessions.csv"
    assert run("export", "logs", str(files / "log.json"), "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith(
        "session_date,session_kind,minutes,rpe,items_done,sets,notes"
    )
    both = files / "logs.json"
    assert run("export", "logs", str(files / "log.json"), "--out", str(both)).returncode == 0
    assert len(json.loads(both.read_text(encoding="utf-8"))["session_logs"]) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "{dir}/log.json", "--out", "{dir}/x.txt"], "--out: 'x.txt' has an unknown file type"),
        (["report", "{dir}/log.json", "--weeks", "3"], "weeks: 3 is out of range: 4 to 12"),
        (["report", "{dir}/missing.json"], "LOGFILE: no such file"),
        (["report", "{dir}/bad.json"], "sessions[0].kind"),
        (["export", "pdf", "{dir}/profile.json", "--out", "{dir}/p.pdf", "--accent", "red"], "accent"),
        (["export", "ical", "{dir}/profile.json", "--out", "{dir}/p.ics", "--time", "7pm"], "--time"),
    ],
)
def test_bad_input_exits_2_naming_the_field(files: Path, args: list[str], message: str) -> None:
    (files / "bad.json").write_text(json.dumps({**LOG, "sessions": [{"date": "2026-03-02", "kind": "yoga"}]}))
    result = run(*(a.format(dir=files) for a in args))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_the_cli_module_does_not_import_the_report_libraries() -> None:
    code = (
        "import sys, bumpwise.cli; "
        "print(sorted(m for m in ('weasyprint', 'pygal', 'icalendar', 'jinja2') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
