"""What the commands share: the output format, the profile argument, the plan options, the date
and time parsers, and reading profile files. Imports only the domain; every command module
imports this one, never the other way round."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile, parse_profile_json

T = TypeVar("T")


class Format(StrEnum):
    """How a command prints its result. Only ``rules list`` offers markdown."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


TextOrJson = Literal[Format.TEXT, Format.JSON]
FormatOption = Annotated[TextOrJson, typer.Option("--format", "-f", help="text for people, json for scripts")]
ProfileArg = Annotated[
    str, typer.Argument(metavar="PROFILE", help="a profile JSON file, or - for standard input")
]
WeeksOption = Annotated[int, typer.Option("--weeks", "-w", help="how many consecutive weeks, 1 to 52")]
SeedOption = Annotated[
    int, typer.Option("--seed", "-s", help="varies the exercise choice; same seed, same plan")
]
StartOption = Annotated[
    str | None, typer.Option("--start", metavar="YYYY-MM-DD", help="first day of the plan (default: today)")
]
LogfileArg = Annotated[Path, typer.Argument(metavar="LOGFILE", help="an activity log (docs/log-format.md)")]


def read_profile(source: str, kb: KnowledgeBase) -> Profile:
    """The profile in the file ``source``, or on standard input for ``-``."""
    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("PROFILE", N_("no such file: %(file)s"), values={"file": source})
        text = path.read_text(encoding="utf-8")
    return parse_profile_json(text, kb)


def parse_date(option: str, text: str | None) -> date | None:
    """``YYYY-MM-DD``, or None when the option was not given."""
    if text is None:
        return None
    return _iso(date.fromisoformat, option, text, N_("%(value)s is not a date in the form YYYY-MM-DD"))


def parse_start(text: str | None) -> date:
    """The ``--start`` option: the first day of a plan, today when not given."""
    return parse_date("--start", text) or date.today()


def parse_time(option: str, text: str) -> time:
    return _iso(time.fromisoformat, option, text, N_("%(value)s is not a time in the form HH:MM"))


def _iso(parse: Callable[[str], T], option: str, text: str, message: str) -> T:
    try:
        return parse(text)
    except ValueError:
        raise InputError(option, message, values={"value": repr(text)}) from None


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
