"""Rich text views for the CLI: what a person reads. Every view ends with the disclaimer.

Imports the domain only (and the importer's types): the command modules import this one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bumpwise.domain.catalog import N_, _, format_day, format_long_date, ngettext, pgettext
from bumpwise.domain.engine import Reason, Verdict, rule_ids, source_ids
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plan import WEEKDAYS, Plan, Session, Week
from bumpwise.domain.readiness import Readiness
from bumpwise.domain.screening import Screening
from bumpwise.domain.suggestions import Suggestions
from bumpwise.domain.vocab import Clearance, SessionKind

if TYPE_CHECKING:
    from bumpwise.importing.exercise import ImportedExercise
    from bumpwise.importing.report import ImportReport
    from bumpwise.importing.store import SaveResult
    from bumpwise.services.coach_library import LibraryEntry
    from bumpwise.services.library import ExerciseRow

CLEARANCE_STYLE = {
    Clearance.CLEARED: "bold green",
    Clearance.CONSULT_PROVIDER: "bold yellow",
    Clearance.NOT_CLEARED: "bold red",
    Clearance.SEEK_CARE_NOW: "bold white on red",
}


def said(value: object) -> str:
    """An id as a person reads it: as it is in English (what she types), else the term's words in
    the language in force (term_words.yaml) where there are some."""
    from bumpwise.domain.locale import ENGLISH, current_language

    text = str(value)
    if current_language() == ENGLISH:
        return text
    from bumpwise.domain.plain_words import plain_words

    return plain_words().terms.get(text, text)


def clearance_word(clearance: Clearance) -> str:
    """The clearance's value in English (as the JSON says it), in words in another language."""
    words = {
        Clearance.CLEARED: pgettext("clearance", "cleared"),
        Clearance.CONSULT_PROVIDER: pgettext("clearance", "consult_provider"),
        Clearance.NOT_CLEARED: pgettext("clearance", "not_cleared"),
        Clearance.SEEK_CARE_NOW: pgettext("clearance", "seek_care_now"),
    }
    return words[clearance]


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_disclaimer(out: Console, kb: KnowledgeBase) -> None:
    out.print()
    out.print(Panel(kb.disclaimer, title=_("Please read"), border_style="dim"))


def reason_lines(reasons: Iterable[Reason], kb: KnowledgeBase) -> list[Text]:
    lines = []
    for reason in reasons:
        line = Text("• ")
        line.append(reason.text)
        cited = ", ".join(reason.sources)
        label = _("bumpwise design choice;") + " " if reason.design_choice else ""
        line.append(f"  [{label}{cited} · {reason.rule}]", style="dim")
        if reason.conflict:
            line.append("\n  " + _("Sources differ: %(conflict)s", conflict=reason.conflict), style="italic")
        lines.append(line)
    return lines


def print_reasons(out: Console, reasons: Iterable[Reason], kb: KnowledgeBase) -> None:
    for line in reason_lines(reasons, kb):
        out.print(line)


def print_screening(result: Screening, kb: KnowledgeBase) -> None:
    out = console()
    style = CLEARANCE_STYLE[result.clearance]
    subtitle = _("clearance: %(clearance)s", clearance=clearance_word(result.clearance))
    out.print(Panel(Text(result.headline, style=style), subtitle=subtitle))
    if result.reasons:
        out.print("[bold]" + _("Why") + "[/bold]")
        print_reasons(out, result.reasons, kb)
    else:
        out.print(_("No contraindication or warning sign was reported."))
    out.print()
    out.print("[bold]" + _("What to do next") + f"[/bold]\n{result.next_step}")
    if result.referrals:
        out.print("[bold]" + _("Who to see") + "[/bold]: " + "; ".join(result.referrals))
    print_disclaimer(out, kb)


def print_readiness(result: Readiness, kb: KnowledgeBase) -> None:
    out = console()
    headline = _("Ready to start a graded return to running") if result.ready else _("Not ready to run yet")
    out.print(Panel(Text(headline, style="bold green" if result.ready else "bold yellow")))
    if result.reasons:
        out.print("[bold]" + _("Why") + "[/bold]")
        print_reasons(out, result.reasons, kb)
    out.print("[bold]" + _("Next steps") + "[/bold]")
    for step in result.next_steps:
        out.print(f"• {step}")
    print_disclaimer(out, kb)


def print_exercise_table(rows: list[ExerciseRow], kb: KnowledgeBase) -> None:
    out = console()
    table = Table(title=ngettext("%(num)s exercise", "%(num)s exercises", len(rows)), show_lines=False)
    for column in (_("id"), _("pattern"), _("position"), _("impact"), _("load"), _("verdict")):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.id,
            said(row.pattern),
            said(row.position),
            said(row.impact),
            said(row.load),
            _verdict_word(row.verdict),
        )
    out.print(table)
    print_disclaimer(out, kb)


def print_library(entries: list[LibraryEntry], email: str, kb: KnowledgeBase) -> None:
    """A coach's library: each entry's plan id, name, source, licence, author and review state."""
    out = console()
    table = Table(title=f"{len(entries)} exercises in the library of {email}", show_lines=False)
    for column in ("id in plans", "name", "source", "licence", "author", "review"):
        table.add_column(column)
    for entry in entries:
        total = len(entry.attributes)
        done = total - len(entry.unconfirmed)
        if not entry.in_plans:
            state = "not reviewed: not planned"
        elif done == total:
            state = "reviewed: planned"
        else:
            state = f"{done} of {total} confirmed: planned, the rest at their strictest"
        source = entry.source if entry.source == "coach" else f"{entry.source} {entry.source_id}"
        table.add_row(entry.exercise_id, entry.name, source, entry.licence, entry.author, state)
    out.print(table)
    print_disclaimer(out, kb)


def print_exercise(exercise: Exercise, kb: KnowledgeBase) -> None:
    out = console()
    out.print(Panel(Text(exercise.summary), title=f"[bold]{exercise.name}[/bold] ({exercise.id})"))
    facts = exercise.attributes()
    labels = {
        "position": _("position"),
        "impact": _("impact"),
        "load": _("load"),
        "asymmetric_lower_body": _("one-leg/split"),
        "wide_stance": _("wide"),
        "spinal_flexion": _("spinal flexion"),
    }
    out.print(
        " · ".join(
            [
                _("pattern") + f" {said(exercise.pattern.value)}",
                *(f"{label} {_fact(facts[name])}" for name, label in labels.items()),
            ]
        )
    )
    also = ", ".join(said(m.value) for m in exercise.secondary_muscles)
    out.print(
        _("muscles: %(muscles)s", muscles=", ".join(said(m.value) for m in exercise.primary_muscles))
        + (" " + _("(also %(muscles)s)", muscles=also) if exercise.secondary_muscles else "")
    )
    equipment = ", ".join(said(e.value) for e in exercise.equipment) or _("none")
    out.print(_("equipment: %(equipment)s", equipment=equipment))
    out.print(_("dose: %(dose)s", dose=exercise.dose.describe()))
    groups = {
        "setup": _("setup"),
        "movement": _("movement"),
        "breath": _("breath"),
        "core_and_pelvic_floor": _("core and pelvic floor"),
    }
    for group, cues in exercise.cues.model_dump().items():
        out.print(f"[bold]{groups.get(group, group.replace('_', ' '))}[/bold]")
        for cue in cues:
            out.print(f"  • {cue}")
    out.print("[bold]" + _("variants") + "[/bold]")
    for variant in exercise.variants:
        out.print(f"  • {variant.name} ({variant.key}): {variant.text}")
    print_disclaimer(out, kb)


def _verdict_word(verdict: str | None) -> str:
    words = {"allowed": pgettext("verdict", "allowed"), "modified": pgettext("verdict", "modified")}
    return words.get(verdict or "", verdict or "")


def _fact(value: object) -> str:
    """A safety attribute's value: True/False as words in the language in force, an id as said."""
    if isinstance(value, bool):
        return _("True") if value else _("False")
    return said(getattr(value, "value", value))


VERDICT_HEADLINE = {
    "allowed": (N_("Allowed as written"), "bold green"),
    "modified": (N_("Allowed with changes"), "bold yellow"),
    "excluded": (N_("Not for you right now"), "bold red"),
}


def print_verdict(verdict: Verdict, kb: KnowledgeBase, suggestions: Suggestions | None = None) -> None:
    out = console()
    headline, style = VERDICT_HEADLINE[verdict.status]
    out.print(Panel(Text(_(headline), style=style), title=verdict.exercise.name))
    if verdict.prescription and verdict.prescription.modifications:
        out.print("[bold]" + _("Do it as") + f"[/bold]: {verdict.prescription.name}")
        for text in verdict.prescription.modifications:
            out.print(f"  • {text}")
    if verdict.reasons:
        out.print("[bold]" + _("Why") + "[/bold]")
        print_reasons(out, verdict.reasons, kb)
    if suggestions is not None:
        print_suggestions(out, suggestions)
    if verdict.missing_equipment:
        out.print(
            "[bold]"
            + _("Needs equipment you have not listed")
            + "[/bold]: "
            + ", ".join(said(e.value) for e in verdict.missing_equipment)
        )
    print_disclaimer(out, kb)


def print_suggestions(out: Console, suggestions: Suggestions) -> None:
    """Only what ``domain.suggestions`` decided: usable alternatives, or what to do now."""
    if suggestions.what_to_do_now is not None:
        out.print("[bold]" + _("What to do now") + f"[/bold]: {suggestions.what_to_do_now}")
    elif suggestions.alternatives:
        names = [
            f"{v.prescription.name} ({v.exercise.id})" for v in suggestions.alternatives if v.prescription
        ]
        out.print("[bold]" + _("Try instead") + "[/bold]: " + ", ".join(names))


def print_demo(kb: KnowledgeBase) -> None:
    from bumpwise.domain.profile import parse_profile
    from bumpwise.domain.screening import screen

    sample = {
        "stage": {"kind": "pregnant", "week": 30},
        "conditions": ["pelvic_girdle_pain"],
        "activity_level": "active",
        "equipment": ["dumbbells", "small_ball", "chair"],
        "days_per_week": 4,
        "minutes_per_session": 30,
    }
    out = console()
    out.print(
        Panel(
            _(
                "Sample profile: 30 weeks pregnant, pelvic girdle pain, active, dumbbells, small ball and chair."  # noqa: E501
            ),
            title=_("bumpwise demo"),
        )
    )
    print_screening(screen(parse_profile(sample, kb), kb), kb)


def print_plan(plan: Plan, kb: KnowledgeBase) -> None:
    out = console()
    text = kb.messages.clearances[plan.clearance]
    out.print(
        Panel(
            Text(text.headline, style=CLEARANCE_STYLE[plan.clearance]),
            subtitle=_("clearance: %(clearance)s", clearance=clearance_word(plan.clearance)),
        )
    )
    if plan.reasons:
        print_reasons(out, plan.reasons, kb)
    if not plan.weeks:
        out.print("\n[bold]" + _("What to do next") + f"[/bold]\n{plan.next_step}")
    for week in plan.weeks:
        print_week(out, week)
    print_disclaimer(out, kb)


def print_week(out: Console, week: Week) -> None:
    heading = _("Week %(index)s", index=week.index)
    start = _("from %(date)s", date=_date(week.days[0].date, long=True))
    out.rule(f"[bold]{heading}[/bold] · {week.stage_label} · {start}")
    for change in week.changes:
        out.print("[yellow]" + _("Changed:") + f"[/yellow] {change}")
    for day in week.days:
        label = _date(day.date)
        rest = "  (" + _("rest day") + ")" if day.rest else ""
        out.print(f"\n[bold underline]{label}[/bold underline]" + rest)
        for session in day.sessions:
            print_session(out, session)
    totals = week.totals
    ratio = totals.balance_ratio if totals.balance_ratio is not None else _("n/a")
    summary = [
        _(
            "%(moderate)s moderate minutes (%(aerobic)s cardio over %(days)s days, %(strength)s strength)",
            moderate=totals.moderate_minutes,
            aerobic=totals.aerobic_minutes,
            days=totals.cardio_days,
            strength=totals.strength_minutes,
        ),
        _("%(sessions)s strength sessions", sessions=totals.strength_sessions),
        _("pelvic floor on %(days)s days", days=totals.pelvic_floor_days),
        _("back/front thigh balance %(ratio)s", ratio=ratio),
    ]
    out.print("\n[bold]" + _("This week") + "[/bold]: " + " · ".join(summary))
    for note in week.notes:
        out.print("[dim]" + _("Note:") + f"[/dim] {note}")


def _date(day: date, *, long: bool = False) -> str:
    """ "Monday 2026-12-07" in English (as before); "lunes, 7 de diciembre" in another language."""
    from bumpwise.domain.locale import ENGLISH, current_language

    if current_language() == ENGLISH:
        return day.isoformat() if long else f"{_(WEEKDAYS[day.weekday()])} {day.isoformat()}"
    return format_long_date(day) if long else format_day(day).capitalize()


def print_session(out: Console, session: Session) -> None:
    out.print(
        f"  [bold]{session.title}[/bold] · "
        + _("about %(minutes)s min", minutes=session.minutes)
        + f" · {effort(session)}"
    )
    for item in session.items:
        name = item.prescription.name
        swapped = ""
        if item.substituted_for:
            swapped = " [dim](" + _("instead of %(name)s", name=item.substituted_for) + ")[/dim]"
        out.print(f"    • [bold]{name}[/bold] — {item.dose.describe()}{swapped}")
        if session.kind is SessionKind.STRENGTH and item.block == "main":
            cues = item.prescription.cues
            out.print("      [dim]" + _("Set up:") + f"[/dim] {cues.setup[0]}")
            out.print("      [dim]" + _("Breathe:") + f"[/dim] {cues.breath[0]}")
            out.print("      [dim]" + _("Core and pelvic floor:") + f"[/dim] {cues.core_and_pelvic_floor[0]}")
        for modification in item.prescription.modifications:
            out.print("      [yellow]" + _("Change:") + f"[/yellow] {modification}")
        if item.block == "main" and session.kind is not SessionKind.PELVIC_FLOOR:
            out.print("      [dim]" + _("Why:") + f"[/dim] {item.why}")
        out.print(f"      [dim]{item_trail(item.reasons)}[/dim]")


def effort(session: Session) -> str:
    """ "moderate (RPE 12–14, you can talk but not sing)" in the language in force."""
    intensity = session.intensity
    rpe = f"RPE {intensity.rpe_min}–{intensity.rpe_max}, " if intensity.rpe_min is not None else ""
    return f"{_(intensity.label)} ({rpe}{_(intensity.talk_test)})"


def item_trail(reasons: tuple[Reason, ...]) -> str:
    """The rules and sources behind one item, on one line."""
    return _(
        "Rules: %(rules)s · sources: %(sources)s",
        rules=", ".join(rule_ids(reasons)),
        sources=", ".join(source_ids(reasons)),
    )


# --- exercises import -------------------------------------------------------------------------


def print_import(
    exercises: list[ImportedExercise],
    report: ImportReport | None,
    saved: SaveResult | None,
    kb: KnowledgeBase,
) -> None:
    """The classified exercises (or the report) as Rich tables, then the disclaimer."""
    out = console()
    if report is None:
        out.print(_imported_table(exercises))
    else:
        _print_report(out, report)
    review = sum(e.review_needed for e in exercises)
    out.print(
        _(
            "%(count)s exercises classified; %(review)s need a coach's review before the planner "
            "may use them (a safety attribute below the confidence threshold).",
            count=len(exercises),
            review=review,
        )
    )
    if saved is not None:
        out.print(saved_line(saved))
    print_disclaimer(out, kb)


def _imported_table(exercises: list[ImportedExercise]) -> Table:
    table = Table(title=_("%(count)s imported exercises", count=len(exercises)), show_lines=False)
    for column in (_("source id"), _("name"), _("pattern"), _("position"), _("one-sided"), _("wide"),
                   _("impact"), _("trunk curl"), _("review")):  # fmt: skip
        table.add_column(column)
    for e in exercises:
        table.add_row(
            e.source_id,
            e.name,
            e.pattern.value,
            e.position.value,
            _yes(e.asymmetric_lower_body),
            _yes(e.wide_stance),
            e.impact.value,
            _yes(e.spinal_flexion),
            _("REVIEW") if e.review_needed else "",
        )
    return table


def _print_report(out: Console, report: ImportReport) -> None:
    counts = Table(title=_("Attribute values over %(count)s exercises", count=report.total))
    counts.add_column(_("attribute"))
    counts.add_column(_("counts"))
    for name, values in report.counts.items():
        counts.add_row(name, ", ".join(f"{value} {count}" for value, count in values.items()))
    out.print(counts)
    review = Table(
        title=_(
            "%(count)s need review (confidence < %(threshold)s)",
            count=report.review_needed_count,
            threshold=report.review_threshold,
        )
    )
    for column in (_("source id"), _("name"), _("why")):
        review.add_column(column)
    for row in report.review_needed:
        review.add_row(row.source_id, row.name, "; ".join(row.reasons))
    out.print(review)


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def saved_line(saved: SaveResult) -> str:
    return _(
        "saved to %(path)s: %(added)s added, %(updated)s updated, %(total)s imported exercises in the "
        "library",
        path=saved.path,
        added=saved.added,
        updated=saved.updated,
        total=saved.total,
    )
