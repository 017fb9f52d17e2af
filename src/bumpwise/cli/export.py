"""`bumpwise export pdf|ical|logs` and `bumpwise report` (issue 6).

WeasyPrint, icalendar and pygal are imported inside the commands (through bumpwise.exports), so
`bumpwise screen` does not pay for them. Bad input exits 2 with the field named, like every
other command; a missing optional library exits 1 and says how to install it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

from bumpwise.cli.options import (
    Format,
    FormatOption,
    LogfileArg,
    ProfileArg,
    SeedOption,
    StartOption,
    WeeksOption,
    parse_date,
    parse_start,
    parse_time,
    read_profile,
)
from bumpwise.domain.catalog import N_, _, format_number
from bumpwise.domain.errors import BumpwiseError, InputError

if TYPE_CHECKING:
    from bumpwise.domain.contract import PlanDocument
    from bumpwise.domain.knowledge import KnowledgeBase
    from bumpwise.domain.plan import Plan
    from bumpwise.exports.branding import Branding
    from bumpwise.exports.logs import ActivityLog
    from bumpwise.exports.summary import Summary

INSTALL_HINT = N_("install the reports extra: pip install 'bumpwise[reports]'")

OutOption = Annotated[Path, typer.Option("--out", "-o", help="the file to write")]
CoachOption = Annotated[str | None, typer.Option("--coach", help="coach name printed on the header")]
LogoOption = Annotated[Path | None, typer.Option("--logo", help="a PNG, JPEG or SVG logo file")]
AccentOption = Annotated[str | None, typer.Option("--accent", metavar="#RRGGBB", help="accent colour")]


class ChartName(StrEnum):
    MINUTES = "minutes"
    STRENGTH = "strength"
    BALANCE = "balance"
    RPE = "rpe"


app = typer.Typer(help="Printable PDFs, calendar files and data exports.", no_args_is_help=True)


@app.command("pdf")
def export_pdf(
    profile: ProfileArg,
    out: OutOption,
    weeks: WeeksOption = 1,
    seed: SeedOption = 0,
    start: StartOption = None,
    coach: CoachOption = None,
    logo: LogoOption = None,
    accent: AccentOption = None,
) -> None:
    """A printable PDF of the plan: each week's schedule, then every exercise with its dose,
    cues, changes and why. The disclaimer is on every page."""
    _check_suffix(out, (".pdf",))
    kb, plan = _plan(profile, weeks, seed, start)
    branding = _branding(coach, logo, accent)
    _write(out, _plan_pdf(plan, kb, branding))


@app.command("ical")
def export_ical(
    profile: ProfileArg,
    out: OutOption,
    weeks: WeeksOption = 1,
    seed: SeedOption = 0,
    start: StartOption = None,
    at: Annotated[
        str, typer.Option("--time", metavar="HH:MM", help="when the first session of a day starts")
    ] = "07:00",
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="an IANA zone, e.g. Europe/London (default: floating local time)"),
    ] = None,
    skip_pelvic_floor: Annotated[
        bool,
        typer.Option("--skip-pelvic-floor", help="leave the daily pelvic floor sessions out of the calendar"),
    ] = False,
) -> None:
    """An iCalendar (.ics) file of the planned sessions, one event each, to import into a calendar."""
    _check_suffix(out, (".ics",))
    from bumpwise.exports.ical import CalendarOptions, plan_ics

    kb, plan = _plan(profile, weeks, seed, start)
    options = CalendarOptions(
        start_time=parse_time("--time", at), timezone=timezone, pelvic_floor=not skip_pelvic_floor
    )
    body = plan_ics(
        plan.document(),
        dtstamp=datetime.now(UTC).replace(microsecond=0),
        plan_key=_plan_key(profile, seed),
        headline=kb.messages.clearances[plan.clearance].headline,
        options=options,
    )
    _write(out, body)


@app.command("logs")
def export_logs(
    logfile: LogfileArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="sessions.csv, symptoms.csv or a .json file with both")
    ],
    symptoms: Annotated[
        bool, typer.Option("--symptoms", help="with a .csv file: the symptom reports")
    ] = False,
) -> None:
    """Session logs and symptom reports as CSV or JSON, with the account export's field names."""
    from bumpwise.exports.csv_json import logs_json, sessions_csv, symptoms_csv

    _check_suffix(out, (".csv", ".json"))
    log = _read_log(logfile)
    if out.suffix.lower() == ".json":
        _write(out, (json.dumps(logs_json(log), indent=2, ensure_ascii=False) + "\n").encode())
    else:
        _write(out, (symptoms_csv(log) if symptoms else sessions_csv(log)).encode())


def report(
    logfile: LogfileArg,
    weeks: Annotated[int, typer.Option("--weeks", "-w", help="how many weeks back, 4 to 12")] = 4,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD", help="last day (default: the last logged day)"),
    ] = None,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="a plan JSON (bumpwise plan --format json) for adherence")
    ] = None,
    fmt: FormatOption = Format.TEXT,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="chart.svg, chart.png or summary.pdf")
    ] = None,
    chart: Annotated[ChartName, typer.Option("--chart", help="which chart --out draws")] = ChartName.MINUTES,
    coach: CoachOption = None,
    logo: LogoOption = None,
    accent: AccentOption = None,
) -> None:
    """The weekly summary of an activity log: moderate minutes against 150, strength sessions,
    pelvic floor days, thigh balance, effort (RPE), adherence to a plan, and symptoms."""
    from bumpwise.domain.knowledge import default_knowledge
    from bumpwise.exports.summary import summarize

    if out is not None:
        _check_suffix(out, (".svg", ".png", ".pdf"))
    kb = default_knowledge()
    summary = summarize(
        _read_log(logfile), kb, weeks=weeks, until=parse_date("--until", until), plan=_read_plan(plan)
    )
    if out is not None:
        _write_report(out, summary, kb, chart, _branding(coach, logo, accent))
        return
    if fmt is Format.JSON:
        typer.echo(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False))
    else:
        from bumpwise.exports.summary_text import summary_text

        typer.echo(summary_text(summary))


# --- helpers ---------------------------------------------------------------------------------


def _plan(profile: str, weeks: int, seed: int, start: str | None) -> tuple[KnowledgeBase, Plan]:
    from bumpwise.domain.knowledge import default_knowledge
    from bumpwise.domain.planner import build_plan

    kb = default_knowledge()
    person = read_profile(profile, kb)
    return kb, build_plan(person, kb, start=parse_start(start), weeks=weeks, seed=seed)


def _plan_key(profile: str, seed: int) -> str:
    """Stable across exports of the same profile file and seed, so a re-import updates events."""
    import hashlib

    name = "stdin" if profile == "-" else str(Path(profile).resolve())
    return "plan-" + hashlib.sha256(f"{name}|{seed}".encode()).hexdigest()[:16]


def _reports() -> ModuleType:
    """``bumpwise.exports.pdf``, or a clear error when WeasyPrint is not installed."""
    try:
        from bumpwise.exports import pdf
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise BumpwiseError(
            _("PDF export needs %(library)s: %(hint)s", library=exc.name, hint=_(INSTALL_HINT))
        ) from exc
    return pdf


def _plan_pdf(plan: Plan, kb: KnowledgeBase, branding: Branding) -> bytes:
    pdf: bytes = _reports().plan_pdf(plan.document(), kb, branding=branding)
    return pdf


def _summary_pdf(summary: Summary, kb: KnowledgeBase, branding: Branding) -> bytes:
    pdf: bytes = _reports().summary_pdf(summary, kb, branding=branding)
    return pdf


def _branding(coach: str | None, logo: Path | None, accent: str | None) -> Branding:
    from bumpwise.exports.branding import DEFAULT_ACCENT, Branding, Logo

    image = Logo.from_file(logo) if logo is not None else None
    return Branding(coach_name=coach, logo=image, accent=accent or DEFAULT_ACCENT)


def _read_log(path: Path) -> ActivityLog:
    from bumpwise.domain.knowledge import default_knowledge
    from bumpwise.exports.logs import parse_log_json

    if not path.is_file():
        raise InputError("LOGFILE", N_("no such file: %(file)s"), values={"file": str(path)})
    return parse_log_json(path.read_text(encoding="utf-8"), default_knowledge())


def _read_plan(path: Path | None) -> PlanDocument | None:
    """A plan JSON read back with validation (the typed contract), or None without --plan."""
    from pydantic import ValidationError

    from bumpwise.domain.contract import PlanDocument

    if path is None:
        return None
    if not path.is_file():
        raise InputError("--plan", N_("no such file: %(file)s"), values={"file": str(path)})
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            "--plan",
            N_("not valid JSON: %(problem)s at line %(line)s"),
            values={"problem": exc.msg, "line": exc.lineno},
        ) from exc
    try:
        return PlanDocument.model_validate(data)
    except ValidationError as exc:
        hint = N_("is not a plan: write one with `bumpwise plan PROFILE --format json`")
        raise InputError("--plan", hint) from exc


def _write_report(
    out: Path, summary: Summary, kb: KnowledgeBase, chart: ChartName, branding: Branding
) -> None:
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        _write(out, _summary_pdf(summary, kb, branding))
        return
    from bumpwise.exports.charts import chart_by_name

    svg = chart_by_name(summary, chart.value).svg
    _write(out, svg.encode("utf-8") if suffix == ".svg" else _png(svg))


def _png(svg: str) -> bytes:
    """PNG through CairoSVG (from PyPI; it uses the system's libcairo2)."""
    try:
        import cairosvg  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except (ImportError, OSError) as exc:
        raise BumpwiseError(
            _(
                "PNG needs CairoSVG and the cairo library (Debian: apt-get install libcairo2; "
                "%(hint)s); or write the chart as .svg",
                hint=_(INSTALL_HINT),
            )
        ) from exc
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=1200)
    return png


def _check_suffix(out: Path, allowed: tuple[str, ...]) -> None:
    if out.suffix.lower() not in allowed:
        raise InputError(
            "--out", N_("%(name)s has an unknown file type"), list(allowed), values={"name": repr(out.name)}
        )


def _write(out: Path, data: bytes) -> None:
    if not out.parent.is_dir():
        raise InputError("--out", N_("no such folder: %(folder)s"), values={"folder": str(out.parent)})
    out.write_bytes(data)
    typer.echo(_("wrote %(file)s (%(size)s bytes)", file=out, size=format_number(len(data), 0)), err=True)
