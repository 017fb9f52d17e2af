"""The ``bumpwise`` command line: thin commands over the domain and the services.

Exit codes: 0 ok, 2 bad input (the message names the field and the allowed values), 1 an
internal or data error. Heavy imports (the web stack, the database, WeasyPrint) happen inside
commands. Imports run one way: this module → command modules (plan, exercises, rules, export,
server, figures) → ``options`` and ``render`` → services and domain; ``reference`` writes docs/cli.md.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bumpwise.cli import admin, exercises, export, figures, helptext, i18n, mail, plan, rules, server
from bumpwise.domain.catalog import _
from bumpwise.domain.errors import BumpwiseError, DataError, InputError

app = typer.Typer(
    name="bumpwise",
    help="Safe, balanced exercise for pregnancy and after birth, with a reason for every decision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def choose_language(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="BUMPWISE_LANG",
            help="the language of the output: en, or a language with knowledge overlays (es)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Safe, balanced exercise for pregnancy and after birth, with a reason for every decision."""
    from bumpwise.domain.locale import parse_locale, use_language

    if lang:
        use_language(parse_locale(lang, "--lang").code)


# Commands are listed in --help in the order they are added here, then the groups.
app.command("report")(export.report)
app.command("screen")(plan.screen)
app.command("plan")(plan.plan)
app.command("validate-data")(rules.validate_data)
app.command("demo")(plan.demo)
app.command("serve")(server.serve)
app.command("seed-demo")(server.seed_demo)
app.command("worker")(server.worker)
app.add_typer(exercises.app, name="exercises")
app.add_typer(export.app, name="export")
app.add_typer(plan.readiness_app, name="readiness")
app.add_typer(rules.app, name="rules")
app.add_typer(server.db_app, name="db")
app.add_typer(admin.app, name="admin")
app.add_typer(figures.app, name="figures")
app.add_typer(mail.app, name="mail")

app.add_typer(i18n.app, name="i18n", hidden=True)  # a developer's tool: make i18n-update / i18n-check

docs_app = typer.Typer(help="Reference documents made from the code.", no_args_is_help=True)
app.add_typer(docs_app, name="docs", hidden=True)


@docs_app.command("cli")
def docs_cli(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of printing")] = None,
) -> None:
    """docs/cli.md: the --help of every command."""
    from bumpwise.cli.reference import cli_reference

    text = cli_reference(app)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(_("wrote %(file)s", file=out), err=True)


def fail(message: str, code: int) -> NoReturn:
    typer.echo(_("error: %(problem)s", problem=message), err=True)
    raise SystemExit(code)


def main() -> None:
    """Entry point. Click handles usage errors itself (exit 2); bumpwise errors map to exit codes
    here, without a traceback."""
    try:
        lang = helptext.language_code(helptext.requested_language(sys.argv[1:]))
        if lang is None or lang == "en":
            app()
        else:
            helptext.run(app, lang)  # --help in that language
    except InputError as exc:
        fail(exc.localized(), 2)
    except DataError as exc:
        fail(_("knowledge data: %(problem)s", problem=exc), 1)
    except BumpwiseError as exc:
        fail(_(str(exc)), 1)
    except Exception as exc:  # anything unexpected: one line, exit 1
        detail = f"{type(exc).__name__}: {exc}"
        fail(_("internal error: %(error)s", error=detail), 1)
    finally:
        # The process ends here. Without this, Python's last garbage collection walks every
        # object still alive (after a PDF, WeasyPrint's: about 0.13 s of `bumpwise export pdf`);
        # the operating system frees the memory anyway.
        gc.freeze()
