"""`bumpwise exercises import`: registered on the exercises command group (see issue 4).

Heavy imports happen inside the command, so the rest of the CLI does not pay for them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from bumpwise.importing.exercise import ImportedExercise
    from bumpwise.importing.store import SaveResult


class ImportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="the exported library file (JSON)")]
SourceOption = Annotated[
    str,
    typer.Option(
        "--from", metavar="LIBRARY", help="free-exercise-db or wger (an /api/v2/exerciseinfo/ dump)"
    ),
]
FormatOption = Annotated[
    ImportFormat, typer.Option("--format", "-f", help="text for people, json for scripts")
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="store them in your local library (merged by source and id)")
]
ReportOption = Annotated[
    bool, typer.Option("--report", help="print counts per attribute value and the list needing review")
]


def register(exercises_app: typer.Typer) -> None:
    """Add the import command to ``exercises_app``."""
    exercises_app.command("import")(exercises_import)


def exercises_import(
    file: FileArg,
    source: SourceOption,
    fmt: FormatOption = ImportFormat.TEXT,
    save: SaveOption = False,
    report: ReportOption = False,
) -> None:
    """Import exercises from another library and classify their safety attributes.

    Every exercise gets our pattern, muscles and equipment, the safety attributes with a confidence
    and the words that decided them; low confidence marks it for a coach's review before any plan
    may use it. A bad file imports nothing.
    """
    from bumpwise.importing import import_file
    from bumpwise.importing.vocabulary import default_vocabulary

    exercises = import_file(file, source)
    threshold = default_vocabulary().review_threshold
    saved = None
    if save:
        from bumpwise.importing.store import save_imported

        saved = save_imported(exercises)
    if fmt is ImportFormat.JSON:
        typer.echo(_report_json(exercises, threshold) if report else _exercises_json(exercises))
        if saved:
            typer.echo(_saved_line(saved), err=True)
        return
    from bumpwise.importing.report import import_report

    print_import(exercises, import_report(exercises, threshold) if report else None, saved)


def _exercises_json(exercises: list[ImportedExercise]) -> str:
    """pydantic's serializer: the standard library's is slow with indentation on 800+ exercises."""
    from pydantic import TypeAdapter

    from bumpwise.importing.exercise import ImportedExercise

    return TypeAdapter(list[ImportedExercise]).dump_json(exercises, indent=2).decode("utf-8")


def _report_json(exercises: list[ImportedExercise], threshold: float) -> str:
    import json

    from bumpwise.importing.report import import_report

    return json.dumps(import_report(exercises, threshold), indent=2, ensure_ascii=False)


def _saved_line(saved: SaveResult) -> str:
    return (
        f"saved to {saved.path}: {saved.added} added, {saved.updated} updated, "
        f"{saved.total} imported exercises in the library"
    )


def print_import(
    exercises: list[ImportedExercise], report: dict[str, Any] | None, saved: SaveResult | None
) -> None:
    """The classified exercises (or the report) as Rich tables, then the disclaimer."""
    from rich.console import Console
    from rich.panel import Panel

    from bumpwise.domain.knowledge import default_knowledge

    out = Console(highlight=False, soft_wrap=False)
    if report is None:
        out.print(_exercise_table(exercises))
    else:
        _print_report(out, report)
    review = sum(e.review_needed for e in exercises)
    out.print(
        f"{len(exercises)} exercises classified; {review} need a coach's review before the planner "
        "may use them (a safety attribute below the confidence threshold)."
    )
    if saved is not None:
        out.print(_saved_line(saved))
    out.print()
    out.print(Panel(default_knowledge().disclaimer, title="Please read", border_style="dim"))


def _exercise_table(exercises: list[ImportedExercise]) -> Any:
    from rich.table import Table

    table = Table(title=f"{len(exercises)} imported exercises", show_lines=False)
    for column in ("source id", "name", "pattern", "position", "one-sided", "wide", "impact",
                   "trunk curl", "review"):  # fmt: skip
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
            "REVIEW" if e.review_needed else "",
        )
    return table


def _print_report(out: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    counts = Table(title=f"Attribute values over {report['total']} exercises")
    counts.add_column("attribute")
    counts.add_column("counts")
    for name, values in report["counts"].items():
        counts.add_row(name, ", ".join(f"{value} {count}" for value, count in values.items()))
    out.print(counts)
    review = Table(
        title=f"{report['review_needed_count']} need review (confidence < {report['review_threshold']})"
    )
    for column in ("source id", "name", "why"):
        review.add_column(column)
    for row in report["review_needed"]:
        review.add_row(row["source_id"], row["name"], "; ".join(row["reasons"]))
    out.print(review)


def _yes(value: bool) -> str:
    return "yes" if value else ""
