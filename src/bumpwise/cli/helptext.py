"""``--help`` in the language in force (docs/i18n.md).

Typer reads the help texts (a command's ``help`` or docstring, a group's ``help``, an option's or
argument's ``help``) when it builds the click commands, which ``app()`` does after the modules are
imported and before ``--lang`` is parsed. So the entry point reads the language first from the
command line (``--lang xx`` / ``--lang=xx`` before the command) or ``BUMPWISE_LANG``
(:func:`requested_language`), builds the click commands itself and translates their help texts
through the catalog (:func:`translate_help`), and sets the labels Typer, Rich and click print
("Usage:", "Options", "[default: …]", "[required]", the help option's line). English help is
exactly what Typer prints on its own: nothing is changed when the language is English.

The help texts are extracted for the catalog by :func:`extract`, a pybabel extraction method
named in ``babel.cfg`` for ``cli/__init__.py``: it reads that file's ``_()``/``N_()`` like the
Python method, then yields every help text of every visible command, read from the built commands.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.rich_utils
from typer.main import get_command

from bumpwise.domain.catalog import N_, gettext
from bumpwise.domain.errors import InputError

# The labels Typer/Rich print around the help texts: module constant → its English.
RICH_LABELS = {
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
# The words of Typer's click in a help page, fixed in its code.
USAGE = N_("Usage:")
HELP_OPTION = N_("Show this message and exit.")


def requested_language(args: Sequence[str], environ: dict[str, str] | None = None) -> str | None:
    """The ``--lang`` given before the command, else ``BUMPWISE_LANG``; None when neither."""
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--lang":
            return args[index + 1] if index + 1 < len(args) else None
        if token.startswith("--lang="):
            return token.split("=", 1)[1]
        if not token.startswith("-"):
            break  # the command: options after it are the command's
        index += 1
    value = (os.environ if environ is None else environ).get("BUMPWISE_LANG")
    return value or None


def language_code(value: str | None) -> str | None:
    """The supported language code for ``value``; None for none or an unknown one (the root
    callback refuses that one with the allowed values)."""
    from bumpwise.domain.locale import parse_locale

    if not value:
        return None
    try:
        return parse_locale(value, "--lang").code
    except InputError:
        return None


def commands(command: Any) -> Iterator[Any]:
    """``command`` (a built click command) and every visible command under it, depth first."""
    yield command
    if isinstance(command, typer.core.TyperGroup):
        for sub in command.commands.values():
            if not sub.hidden:
                yield from commands(sub)


def help_texts(command: Any) -> Iterator[str]:
    """Every help text Typer took from the code, in the order of the commands."""
    for each in commands(command):
        if each.help:
            yield each.help
        if each.short_help:
            yield each.short_help
        for param in each.params:
            text = getattr(param, "help", None)
            if text and not getattr(param, "hidden", False):
                yield text


def translate_help(command: Any) -> None:
    """Put every help text of the built ``command`` tree, and the labels printed around them,
    in the language in force."""
    for each in commands(command):
        if each.help:
            each.help = gettext(each.help)
        if each.short_help:
            each.short_help = gettext(each.short_help)
        for param in each.params:
            text = getattr(param, "help", None)
            if text:
                param.help = gettext(text)
        option = each.get_help_option(typer.Context(each))
        if option is not None:
            option.help = gettext(HELP_OPTION)
        setattr(each, "get_usage", _usage(each.get_usage))  # noqa: B010
    for name, english in RICH_LABELS.items():
        setattr(typer.rich_utils, name, gettext(english))


def _usage(english: Any) -> Any:
    """A command's ``get_usage`` with click's fixed "Usage:" in the language in force."""

    def get_usage(ctx: Any) -> str:
        text: str = english(ctx)
        if text.startswith(USAGE):
            return gettext(USAGE) + text[len(USAGE) :]
        return text

    return get_usage


def run(app: typer.Typer, lang: str) -> Any:
    """Run ``app`` (as ``app()`` does) with its help in ``lang``."""
    from bumpwise.domain.locale import use_language

    use_language(lang)
    command = get_command(app)
    translate_help(command)
    return command()


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """pybabel extraction method for ``cli/__init__.py``: its marked strings, then every help
    text of the commands."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    from bumpwise.cli import app

    for text in dict.fromkeys(help_texts(get_command(app))):
        yield 0, None, text, []
