"""The weekly summary as plain text for the terminal (``bumpwise report``), ending with the disclaimer."""

from __future__ import annotations

from datetime import date

from bumpwise.domain.catalog import N_, _, format_long_date, format_number, format_short_date
from bumpwise.domain.locale import ENGLISH, current_language
from bumpwise.domain.progress import WeekSummary
from bumpwise.domain.stage import Stage
from bumpwise.exports.summary import Summary

COLUMNS = (
    (N_("week of"), 10),
    (N_("stage"), 8),
    (N_("moderate min"), 12),
    (N_("strength"), 8),
    (N_("PF days"), 7),
    (N_("balance"), 7),
    (N_("RPE"), 5),
    (N_("done/planned"), 12),
    (N_("reported"), 0),
)


OUTSIDE_AIMS = {
    "minutes below aim": N_("minutes below aim"),
    "strength below aim": N_("strength below aim"),
    "balance outside aim": N_("balance outside aim"),
    "effort above aim": N_("effort above aim"),
}
"""The short labels of bumpwise.domain.progress.out_of_range (kept English there, as the JSON
says them), translated where this text shows them."""


def summary_text(summary: Summary) -> str:
    """In the language in force (dates and numbers localised; English as before)."""
    lines = [
        _("Weekly summary, %(start)s to %(end)s", start=_long(summary.start), end=_long(summary.end)),
        "",
    ]
    lines += [f"* {line}" for line in summary.highlights]
    lines += ["", _row([_(name) for name, _width in COLUMNS])]
    lines += [_row(_cells(week)) for week in summary.weeks]
    marked = [
        f"  {_day(w.start)}: {', '.join(_(OUTSIDE_AIMS.get(a, a)) for a in w.outside_aims)}"
        for w in summary.weeks
        if w.outside_aims
    ]
    if marked:
        lines += ["", _("Outside the aims:"), *marked]
    changes = [f"  {_day(w.start)}: {w.stage_change}" for w in summary.weeks if w.stage_change]
    if changes:
        lines += ["", _("Stage changes:"), *changes]
    lines += ["", _("Symptoms reported:")]
    lines += [
        f"  {_day(e.date)}  {_('WARNING SIGN: ') if e.warning_signs else ''}{'; '.join(e.names)}"
        + (f" ({e.note})" if e.note else "")
        for e in summary.symptom_timeline
    ] or ["  " + _("none")]
    targets = summary.targets
    lines += [
        "",
        _(
            "Aims: %(minutes)s moderate minutes and %(sessions)s strength sessions a week, pelvic floor"
            " daily, back-to-front thigh balance %(low)s–%(high)s, RPE %(rpe_low)s–%(rpe_high)s.",
            minutes=targets.moderate_minutes,
            sessions=targets.strength_sessions,
            low=_decimal(targets.balance_min),
            high=_decimal(targets.balance_max),
            rpe_low=targets.rpe_min,
            rpe_high=targets.rpe_max,
        ),
        "",
        _("Please read: %(disclaimer)s", disclaimer=summary.disclaimer),
    ]
    return "\n".join(lines)


def _long(day: date) -> str:
    """ "02 Mar 2026" in English (as before); the language's own short date otherwise."""
    return f"{day:%d %b %Y}" if current_language() == ENGLISH else format_long_date(day)


def _day(day: date) -> str:
    return f"{day:%d %b}" if current_language() == ENGLISH else format_short_date(day)


def _decimal(value: float) -> str:
    return f"{value:.1f}" if current_language() == ENGLISH else format_number(value, 1)


def _cells(week: WeekSummary) -> list[str]:
    minutes = str(week.moderate_minutes) + (f" +{week.light_minutes}L" if week.light_minutes else "")
    adherence = f"{week.adherence.done}/{week.adherence.planned}" if week.adherence else "-"
    adherence += " " + _("all") if week.plan_met else ""
    reported = ", ".join([*(f"{w}!" for w in week.warning_signs), *week.symptoms]) or "-"
    return [
        _day(week.start),
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
    if value is None:
        return "-"
    return f"{value:g}" if current_language() == ENGLISH else format_number(value, 2)


def _row(cells: list[str]) -> str:
    """Each column as wide as its heading in the language in force, at least its English width."""
    widths = [max(width, len(_(name))) if width else 0 for name, width in COLUMNS]
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _stage_cell(stage: Stage | None) -> str:
    """``w26 T2`` in pregnancy, ``week 3 pp`` after the birth."""
    if stage is None:
        return _("before birth")
    if stage.pregnant:
        return _("w%(week)s T%(trimester)s", week=stage.week, trimester=stage.trimester)
    return _("week %(week)s pp", week=stage.week)
