"""The weekly summary as plain text for the terminal (``bumpwise report``), ending with the disclaimer."""

from __future__ import annotations

from bumpwise.domain.progress import WeekSummary
from bumpwise.domain.stage import Stage
from bumpwise.exports.summary import Summary

COLUMNS = (
    ("week of", 10),
    ("stage", 8),
    ("moderate min", 12),
    ("strength", 8),
    ("PF days", 7),
    ("balance", 7),
    ("RPE", 5),
    ("done/planned", 12),
    ("reported", 0),
)


def summary_text(summary: Summary) -> str:
    lines = [f"Weekly summary, {summary.start:%d %b %Y} to {summary.end:%d %b %Y}", ""]
    lines += [f"* {line}" for line in summary.highlights]
    lines += ["", _row([name for name, _ in COLUMNS])]
    lines += [_row(_cells(week)) for week in summary.weeks]
    marked = [f"  {w.start:%d %b}: {', '.join(w.outside_aims)}" for w in summary.weeks if w.outside_aims]
    if marked:
        lines += ["", "Outside the aims:", *marked]
    changes = [f"  {w.start:%d %b}: {w.stage_change}" for w in summary.weeks if w.stage_change]
    if changes:
        lines += ["", "Stage changes:", *changes]
    lines += ["", "Symptoms reported:"]
    lines += [
        f"  {e.date:%d %b}  {'WARNING SIGN: ' if e.warning_signs else ''}{'; '.join(e.names)}"
        + (f" ({e.note})" if e.note else "")
        for e in summary.symptom_timeline
    ] or ["  none"]
    targets = summary.targets
    lines += [
        "",
        f"Aims: {targets.moderate_minutes} moderate minutes and {targets.strength_sessions} strength"
        " sessions a week, pelvic floor daily, back-to-front thigh balance"
        f" {targets.balance_min:.1f}–{targets.balance_max:.1f}, RPE {targets.rpe_min}–{targets.rpe_max}.",
        "",
        f"Please read: {summary.disclaimer}",
    ]
    return "\n".join(lines)


def _cells(week: WeekSummary) -> list[str]:
    minutes = str(week.moderate_minutes) + (f" +{week.light_minutes}L" if week.light_minutes else "")
    adherence = f"{week.adherence.done}/{week.adherence.planned}" if week.adherence else "-"
    adherence += " all" if week.plan_met else ""
    reported = ", ".join([*(f"{w}!" for w in week.warning_signs), *week.symptoms]) or "-"
    return [
        f"{week.start:%d %b}",
        _stage_cell(week.stage_at_start),
        minutes,
        str(week.strength_sessions),
        str(week.pelvic_floor_days),
        _optional(week.balance_ratio),
        _optional(week.rpe_mean),
        adherence,
        reported,
    ]


def _optional(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _row(cells: list[str]) -> str:
    return "  ".join(cell.ljust(width) for cell, (_, width) in zip(cells, COLUMNS, strict=True)).rstrip()


def _stage_cell(stage: Stage | None) -> str:
    """``w26 T2`` in pregnancy, ``week 3 pp`` after the birth."""
    if stage is None:
        return "before birth"
    if stage.pregnant:
        return f"w{stage.week} T{stage.trimester}"
    return f"week {stage.week} pp"
