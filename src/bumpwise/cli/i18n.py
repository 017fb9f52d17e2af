"""`bumpwise i18n update|check`: the gettext catalogs of the UI (docs/i18n.md).

Run from a source checkout (``babel.cfg`` beside ``pyproject.toml``). ``update`` extracts every
marked string (``_()``, ``N_()``, ``{% trans %}``) with pybabel and merges it into each language's
``src/bumpwise/locales/<lang>/LC_MESSAGES/messages.po``, making a missing catalog. ``check`` fails
when a catalog is out of date with the sources, when a translation changes the ``%(name)s``
placeholders, and, for a language whose knowledge ``language.yaml`` says ``complete: true``, when an
entry is untranslated or fuzzy. Catalogs are read from the .po at start (bumpwise.domain.catalog).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from bumpwise.domain.catalog import DOMAIN, catalog_path
from bumpwise.domain.errors import InputError

app = typer.Typer(help="The UI's translation catalogs (gettext).", no_args_is_help=True)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

Root = Annotated[Path, typer.Option("--root", help="the source checkout (holding babel.cfg)")]


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]


def extract(root: Path, out: Path) -> None:
    config = root / "babel.cfg"
    if not config.exists():
        raise InputError("--root", f"{root} holds no babel.cfg: run this from a source checkout")
    _pybabel(
        "extract", "-F", str(config), "-k", "N_", "--no-location", "--sort-output",
        "--project", "bumpwise", "-o", str(out), str(root / "src" / "bumpwise"),
    )  # fmt: skip


def languages(root: Path) -> list[str]:
    from bumpwise.domain.loader import overlay_languages

    return overlay_languages(root / "src" / "bumpwise" / "knowledge")


@app.command("update")
def update(root: Root = Path(".")) -> None:
    """Extract the marked strings and merge them into every language's catalog."""
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / f"{DOMAIN}.pot"
        extract(root, template)
        for lang in languages(root):
            path = catalog_path(lang, root / "src" / "bumpwise" / "locales")
            if path.exists():
                _pybabel(
                    "update",
                    "-i",
                    str(template),
                    "-o",
                    str(path),
                    "-l",
                    lang,
                    "--ignore-obsolete",
                    "--no-fuzzy-matching",
                )
            else:
                _pybabel("init", "-i", str(template), "-o", str(path), "-l", lang)
            typer.echo(f"{path}: {summary(read(path))}")


def read(path: Path) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def summary(catalog: Any) -> str:
    entries = [m for m in catalog if m.id]
    untranslated = sum(1 for m in entries if not _translated(m))
    fuzzy = sum(1 for m in entries if m.fuzzy)
    return f"{len(entries)} messages, {untranslated} untranslated, {fuzzy} fuzzy"


def _translated(message: Any) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def _key(message: Any) -> str:
    text = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    return f"{message.context}\x04{text}" if message.context else text


def problems(root: Path) -> list[str]:
    """Every problem of every language's catalog (empty: all current)."""
    from bumpwise.domain.loader import language_info

    found: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / f"{DOMAIN}.pot"
        extract(root, template)
        wanted = {_key(m) for m in read(template) if m.id}
    for lang in languages(root):
        path = catalog_path(lang, root / "src" / "bumpwise" / "locales")
        if not path.exists():
            found.append(f"{lang}: no catalog at {path} (make i18n-update)")
            continue
        catalog = read(path)
        have = {_key(m): m for m in catalog if m.id}
        new, gone = sorted(wanted - set(have)), sorted(set(have) - wanted)
        if new or gone:
            example = (new or gone)[0].split("\x04")[-1].split("\x00")[0][:60]
            found.append(
                f"{path}: out of date with the sources ({len(new)} new, {len(gone)} gone, e.g. {example!r}):"
                " run make i18n-update"
            )
        complete = language_info(root / "src" / "bumpwise" / "knowledge", lang).complete
        for key, message in sorted(have.items()):
            label = key.split("\x04")[-1].split("\x00")[0][:60]
            if complete and not _translated(message):
                found.append(f"{path}: {label!r} is not translated")
            elif complete and message.fuzzy:
                found.append(f"{path}: {label!r} is fuzzy")
            elif _translated(message) and not message.fuzzy:
                ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                names = {n for i in ids for n in PLACEHOLDER.findall(i)}
                if any({n for n in PLACEHOLDER.findall(s)} - names for s in strings) or any(
                    names - set(PLACEHOLDER.findall(s)) - {"num"} for s in strings[:1]
                ):
                    found.append(f"{path}: {label!r} changes the placeholders {sorted(names)}")
    return found


@app.command("check")
def check(root: Root = Path(".")) -> None:
    """Fail when a catalog is out of date, or a complete language has an untranslated or fuzzy entry."""
    found = problems(root)
    for line in found:
        typer.echo(f"error: {line}", err=True)
    if found:
        raise SystemExit(1)
    for lang in languages(root):
        typer.echo(f"{lang}: {summary(read(catalog_path(lang, root / 'src' / 'bumpwise' / 'locales')))}")
