"""`bumpwise exercises list|show|check|import`: the exercise library, and other libraries brought
into it (issue 4). Heavy imports happen inside the commands, so the rest of the CLI does not pay
for them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bumpwise.cli.options import Format, FormatOption, ProfileArg, emit_json, read_profile
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge

if TYPE_CHECKING:
    from bumpwise.importing.exercise import ImportedExercise

app = typer.Typer(help="Browse and check the exercise library.", no_args_is_help=True)

ExerciseArg = Annotated[str, typer.Argument(metavar="ID")]
FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="the exported library file (JSON)")]
SourceOption = Annotated[
    str,
    typer.Option(
        "--from",
        metavar="LIBRARY",
        help="free-exercise-db, or wger (an /api/v2/exerciseinfo/ dump, or the folder of its fixtures)",
    ),
]
CoachOption = Annotated[
    str | None,
    typer.Option(
        "--coach",
        metavar="EMAIL",
        help="store them in this coach's library in the server's database (BUMPWISE_* settings), "
        "to review on the coach's library page",
    ),
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="store them in your local library (merged by source and id)")
]
ReportOption = Annotated[
    bool, typer.Option("--report", help="print counts per attribute value and the list needing review")
]


@app.command("import")
def exercises_import(
    file: FileArg,
    source: SourceOption,
    fmt: FormatOption = Format.TEXT,
    save: SaveOption = False,
    report: ReportOption = False,
    coach: CoachOption = None,
) -> None:
    """Import exercises from another library and classify their safety attributes.

    Every exercise gets our pattern, muscles and equipment, the safety attributes with a confidence
    and the words that decided them; low confidence marks it for a coach's review before any plan
    may use it. A bad file imports nothing. FILE may be a folder: its .json files are read as one
    export (the wger project's exercise fixtures come as six files).
    """
    if coach is not None:
        _import_for_coach(file, source, coach)
        return
    from bumpwise.importing import import_file
    from bumpwise.importing.vocabulary import default_vocabulary

    exercises = import_file(file, source)
    threshold = default_vocabulary().review_threshold
    saved = None
    if save:
        from bumpwise.importing.store import save_imported

        saved = save_imported(exercises)
    if fmt is Format.JSON:
        typer.echo(_report_json(exercises, threshold) if report else _exercises_json(exercises))
        if saved:
            from bumpwise.cli.render import saved_line

            typer.echo(saved_line(saved), err=True)
        return
    from bumpwise.cli.render import print_import
    from bumpwise.importing.report import import_report

    summary = import_report(exercises, threshold) if report else None
    print_import(exercises, summary, saved, default_knowledge())


def _import_for_coach(file: Path, source: str, email: str) -> None:
    from datetime import UTC, datetime

    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services import coach_library

    settings = settings_from_environment()
    upgrade(settings.database_url)
    parts = build(settings)
    try:
        summary = coach_library.import_path_for(parts.uow(), email, file, source, datetime.now(UTC))
    finally:
        parts.engine.dispose()
    typer.echo(
        f"{summary.read} exercises read, {summary.stored} stored in the library of {email} "
        f"({summary.review_needed} flagged for a closer look); each waits for the coach's review"
    )


@app.command("list")
def exercises_list(
    fmt: FormatOption = Format.TEXT,
    safe_for: Annotated[
        str | None,
        typer.Option("--safe-for", metavar="PROFILE", help="only what this profile may do now"),
    ] = None,
    coach: Annotated[
        str | None,
        typer.Option(
            "--coach",
            metavar="EMAIL",
            help="list this coach's library in the server's database (BUMPWISE_* settings) instead, "
            "with each entry's review state",
        ),
    ] = None,
    reviewed: Annotated[
        bool | None,
        typer.Option(
            "--reviewed/--unreviewed", help="with --coach: only the reviewed entries, or only the others"
        ),
    ] = None,
) -> None:
    """List the exercises, or only those safe for a profile (as they would be prescribed).

    With --coach, the exercises that coach imported or wrote: the id each has in plans, its
    source, licence and author, and which safety attributes the coach has confirmed (an entry is
    planned once one is; the others count as their strictest value until then).
    """
    if coach is not None:
        if safe_for is not None:
            raise InputError("--safe-for", "lists the built-in library; leave it out with --coach")
        _list_for_coach(coach, reviewed, fmt)
        return
    if reviewed is not None:
        raise InputError("--reviewed", "needs --coach EMAIL")
    from bumpwise.services.library import list_exercises

    kb = default_knowledge()
    profile = read_profile(safe_for, kb) if safe_for else None
    rows = list_exercises(kb, profile)
    if fmt is Format.JSON:
        emit_json([row.model_dump(mode="json", exclude_unset=True) for row in rows])
    else:
        from bumpwise.cli.render import print_exercise_table

        print_exercise_table(rows, kb)


def _list_for_coach(email: str, reviewed: bool | None, fmt: Format) -> None:
    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services import coach_library

    settings = settings_from_environment()
    upgrade(settings.database_url)
    parts = build(settings)
    try:
        entries = coach_library.library_for(parts.uow(), email, reviewed=reviewed)
    finally:
        parts.engine.dispose()
    if fmt is Format.JSON:
        emit_json([entry.model_dump(mode="json") for entry in entries])
        return
    from bumpwise.cli.render import print_library

    print_library(entries, email, default_knowledge())


@app.command("show")
def exercises_show(exercise_id: ExerciseArg, fmt: FormatOption = Format.TEXT) -> None:
    """Show one exercise: attributes, cues, dose and variants."""
    from bumpwise.domain.contract import exercise_detail_json
    from bumpwise.services.library import find_exercise

    kb = default_knowledge()
    exercise = find_exercise(kb, exercise_id)
    if fmt is Format.JSON:
        emit_json(exercise_detail_json(exercise))
    else:
        from bumpwise.cli.render import print_exercise

        print_exercise(exercise, kb)


@app.command("check")
def exercises_check(exercise_id: ExerciseArg, profile: ProfileArg, fmt: FormatOption = Format.TEXT) -> None:
    """Check one exercise for a profile: allowed, modified (and how) or excluded, with the rule trail."""
    from bumpwise.domain.contract import verdict_json
    from bumpwise.services.library import check_with_suggestions

    kb = default_knowledge()
    verdict, suggestions = check_with_suggestions(kb, exercise_id, read_profile(profile, kb))
    if fmt is Format.JSON:
        emit_json({**verdict_json(verdict), **suggestions.as_dict(), "disclaimer": kb.disclaimer})
    else:
        from bumpwise.cli.render import print_verdict

        print_verdict(verdict, kb, suggestions)


def _exercises_json(exercises: list[ImportedExercise]) -> str:
    """pydantic's serializer: the standard library's is slow with indentation on 800+ exercises."""
    from pydantic import TypeAdapter

    from bumpwise.importing.exercise import ImportedExercise

    return TypeAdapter(list[ImportedExercise]).dump_json(exercises, indent=2).decode("utf-8")


def _report_json(exercises: list[ImportedExercise], threshold: float) -> str:
    from bumpwise.importing.report import import_report

    return import_report(exercises, threshold).model_dump_json(indent=2)
