"""The ``bumpwise`` command line: thin commands over the domain.

Exit codes: 0 ok, 2 bad input (the message names the field and the allowed values), 1 an
internal or data error. Heavy imports (the web stack, the database) happen inside commands.
"""

from __future__ import annotations

import gc
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bumpwise.cli_export import register as register_export
from bumpwise.cli_import import register as register_import
from bumpwise.domain.errors import BumpwiseError, DataError, InputError
from bumpwise.domain.knowledge import (
    KnowledgeBase,
    default_knowledge,
    knowledge_dir,
    load_knowledge,
)
from bumpwise.domain.profile import Profile, parse_profile_json

app = typer.Typer(
    name="bumpwise",
    help="Safe, balanced exercise for pregnancy and after birth, with a reason for every decision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
exercises_app = typer.Typer(help="Browse and check the exercise library.", no_args_is_help=True)
readiness_app = typer.Typer(help="Readiness checks.", no_args_is_help=True)
rules_app = typer.Typer(help="The safety and planning rules, with their sources.", no_args_is_help=True)
app.add_typer(exercises_app, name="exercises")
register_import(exercises_app)
register_export(app)
app.add_typer(readiness_app, name="readiness")
app.add_typer(rules_app, name="rules")


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for scripts")]
ProfileArg = Annotated[
    str, typer.Argument(metavar="PROFILE", help="a profile JSON file, or - for standard input")
]


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def read_profile(source: str, kb: KnowledgeBase) -> Profile:
    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("PROFILE", f"no such file: {source}")
        text = path.read_text(encoding="utf-8")
    return parse_profile_json(text, kb)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command()
def screen(profile: ProfileArg, fmt: FormatOption = Format.TEXT) -> None:
    """Screen a profile: the clearance, every reason with its source, and what to do next."""
    from bumpwise.domain.screening import screen as run_screen

    kb = default_knowledge()
    result = run_screen(read_profile(profile, kb), kb)
    if fmt is Format.JSON:
        emit_json(result.as_dict(kb.disclaimer))
    else:
        from bumpwise.cli_text import print_screening

        print_screening(result, kb)


@app.command()
def plan(
    profile: ProfileArg,
    weeks: Annotated[int, typer.Option("--weeks", "-w", help="how many consecutive weeks, 1 to 52")] = 1,
    seed: Annotated[
        int, typer.Option("--seed", "-s", help="varies the exercise choice; same seed, same plan")
    ] = 0,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="first day of the plan (default: today)"),
    ] = None,
    fmt: FormatOption = Format.TEXT,
) -> None:
    """Build a screened, balanced, stage-aware plan: days, sessions, exercises, doses, cues and why."""
    from bumpwise.domain.planner import build_plan

    kb = default_knowledge()
    result = build_plan(read_profile(profile, kb), kb, start=parse_start(start), weeks=weeks, seed=seed)
    if fmt is Format.JSON:
        emit_json(result.as_dict())
    else:
        from bumpwise.cli_text import print_plan

        print_plan(result, kb)


def parse_start(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--start", f"{text!r} is not a date in the form YYYY-MM-DD") from None


@exercises_app.command("list")
def exercises_list(
    fmt: FormatOption = Format.TEXT,
    safe_for: Annotated[
        str | None,
        typer.Option("--safe-for", metavar="PROFILE", help="only what this profile may do now"),
    ] = None,
) -> None:
    """List the exercises, or only those safe for a profile (as they would be prescribed)."""
    from bumpwise.services.library import list_exercises

    kb = default_knowledge()
    profile = read_profile(safe_for, kb) if safe_for else None
    rows = list_exercises(kb, profile)
    if fmt is Format.JSON:
        emit_json(rows)
    else:
        from bumpwise.cli_text import print_exercise_table

        print_exercise_table(rows, kb)


@exercises_app.command("show")
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")], fmt: FormatOption = Format.TEXT
) -> None:
    """Show one exercise: attributes, cues, dose and variants."""
    from bumpwise.domain.contract import exercise_detail_json
    from bumpwise.services.library import find_exercise

    kb = default_knowledge()
    exercise = find_exercise(kb, exercise_id)
    if fmt is Format.JSON:
        emit_json(exercise_detail_json(exercise))
    else:
        from bumpwise.cli_text import print_exercise

        print_exercise(exercise, kb)


@exercises_app.command("check")
def exercises_check(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    profile: ProfileArg,
    fmt: FormatOption = Format.TEXT,
) -> None:
    """Check one exercise for a profile: allowed, modified (and how) or excluded, with the rule trail."""
    from bumpwise.domain.contract import verdict_json
    from bumpwise.services.library import check_with_suggestions

    kb = default_knowledge()
    verdict, suggestions = check_with_suggestions(kb, exercise_id, read_profile(profile, kb))
    if fmt is Format.JSON:
        emit_json({**verdict_json(verdict), **suggestions.as_dict(), "disclaimer": kb.disclaimer})
    else:
        from bumpwise.cli_text import print_verdict

        print_verdict(verdict, kb, suggestions)


@readiness_app.command("running")
def readiness_running(profile: ProfileArg, fmt: FormatOption = Format.TEXT) -> None:
    """Postnatal return-to-running readiness (2019 guideline): ready, reasons and next steps."""
    from bumpwise.domain.readiness import running_readiness

    kb = default_knowledge()
    result = running_readiness(read_profile(profile, kb), kb)
    if fmt is Format.JSON:
        emit_json(result.as_dict(kb.disclaimer))
    else:
        from bumpwise.cli_text import print_readiness

        print_readiness(result, kb)


class RulesFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


@rules_app.command("list")
def rules_list(
    fmt: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text, json or markdown")
    ] = RulesFormat.TEXT,
) -> None:
    """Every rule: id, effect, plain reason, sources, and where sources disagree."""
    kb = default_knowledge()
    if fmt is RulesFormat.JSON:
        emit_json([rule.model_dump(mode="json", exclude_none=True) for rule in kb.rules])
        return
    from bumpwise.rules_doc import rules_markdown

    typer.echo(rules_markdown(kb))


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """One rule in full (JSON)."""
    kb = default_knowledge()
    rule = next((r for r in kb.rules if r.id == rule_id), None)
    if rule is None:
        raise InputError("ID", f"{rule_id!r} is not a rule", sorted(r.id for r in kb.rules))
    emit_json(rule.model_dump(mode="json", exclude_none=True))


@app.command("validate-data")
def validate_data(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="a knowledge folder to check instead of the shipped one"),
    ] = None,
) -> None:
    """Validate every knowledge file; names the file and field of the first problem."""
    folder = directory or knowledge_dir()
    kb = load_knowledge(folder)
    from bumpwise.importing.vocabulary import load_vocabulary

    vocabulary_file = folder / "import_vocabulary.yaml"
    if vocabulary_file.exists() or directory is None:
        load_vocabulary(vocabulary_file)
    typer.echo(
        f"ok: {len(kb.exercises)} exercises, {len(kb.rules)} rules, {len(kb.conditions)} conditions, "
        f"{len(kb.warning_signs)} warning signs, {len(kb.symptoms)} symptoms, {len(kb.sources)} sources"
    )


@app.command()
def demo() -> None:
    """Screen a sample profile (30 weeks, pelvic girdle pain) and show its plan for this week."""
    from bumpwise.cli_text import print_demo

    print_demo(default_knowledge())


def main() -> None:
    """Entry point. Click handles usage errors itself (exit 2); bumpwise errors map to exit codes
    here, without a traceback."""
    try:
        app()
    except InputError as exc:
        fail(exc.render(), 2)
    except DataError as exc:
        fail(f"knowledge data: {exc}", 1)
    except BumpwiseError as exc:
        fail(str(exc), 1)
    except Exception as exc:  # anything unexpected: one line, exit 1
        fail(f"internal error: {type(exc).__name__}: {exc}", 1)
    finally:
        # The process ends here. Without this, Python's last garbage collection walks every
        # object still alive (after a PDF, WeasyPrint's: about 0.13 s of `bumpwise export pdf`);
        # the operating system frees the memory anyway.
        gc.freeze()


# --- web app and database (issue 5): heavy imports stay inside the commands ---

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _web_settings() -> Any:
    """The BUMPWISE_* settings, or exit 2 naming what is wrong (e.g. a missing secret key)."""
    from pydantic import ValidationError

    from bumpwise.config import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        detail = exc.errors()[0]
        field = "_".join(map(str, detail["loc"])).upper()
        message = str(detail["msg"]).removeprefix("Value error, ")
        raise InputError(f"BUMPWISE_{field}" if field else "settings", message) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database named by BUMPWISE_DATABASE_URL to the latest schema."""
    from bumpwise.persistence.migrate import upgrade

    settings = _web_settings()
    upgrade(settings.database_url)
    typer.echo(f"database is up to date: {_shown_url(settings.database_url)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
) -> None:
    """Run the web app and API (migrates the database first)."""
    import logging

    import uvicorn

    from bumpwise.persistence.migrate import upgrade

    settings = _web_settings()
    upgrade(settings.database_url)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    typer.echo(f"bumpwise on http://{host}:{port}  (database: {_shown_url(settings.database_url)})")
    uvicorn.run("bumpwise.web.app:app_from_environment", factory=True, host=host, port=port, log_level="info")


@app.command("seed-demo")
def seed_demo() -> None:
    """Add a demo coach and three demo members (development only) and print their logins."""
    from datetime import UTC, datetime

    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services.demo import seed_demo as seed
    from bumpwise.web.app import build_context

    settings = _web_settings()
    if not settings.relaxed:
        raise InputError("BUMPWISE_ENV", "demo accounts have a public password: seed only in development")
    upgrade(settings.database_url)
    ctx = build_context(settings)
    logins = seed(ctx.uow(), ctx.kb, ctx.rules, datetime.now(UTC))
    typer.echo("Demo logins (password for all: " + logins[0].password + "):")
    for login in logins:
        typer.echo(f"  {login.role:<7} {login.email:<22} {login.who}")


def _shown_url(url: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
