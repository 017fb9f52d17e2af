"""`bumpwise i18n update|check`: the gettext catalogs of the UI (docs/i18n.md).

Run from a source checkout (``babel.cfg`` beside ``pyproject.toml``). ``update`` extracts every
marked string (``_()``, ``N_()``, ``{% trans %}``) with pybabel and merges it into each language's
``src/bumpwise/locales/<lang>/LC_MESSAGES/messages.po``, making a missing catalog. A language may
have more catalogs beside it (``cli.po``, the command line's words): each keeps the ids it holds
(those gone from the sources are dropped) and ``messages.po`` takes every other id, so an id is in
exactly one file. ``check`` reads a language's catalogs as one and fails when they are out of date
with the sources, when an id is in two of them, when a translation changes the ``%(name)s``
placeholders, and, for a language whose knowledge ``language.yaml`` says ``complete: true``, when an
entry is untranslated or fuzzy. Catalogs are read from the .po at start (bumpwise.domain.catalog).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from bumpwise.domain.catalog import DOMAIN, catalog_files, catalog_path
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
        wanted = read(template)
        keys = {_key(m) for m in wanted if m.id}
        for lang in languages(root):
            path = catalog_path(lang, root / "src" / "bumpwise" / "locales")
            owned: set[str] = set()
            for other in catalog_files(lang, root / "src" / "bumpwise" / "locales"):
                if other != path:
                    owned |= _prune(other, keys)
            rest = Path(folder) / f"{lang}.pot"
            write(rest, _without(wanted, owned))
            if path.exists():
                _pybabel(
                    "update",
                    "-i",
                    str(rest),
                    "-o",
                    str(path),
                    "-l",
                    lang,
                    "--ignore-obsolete",
                    "--no-fuzzy-matching",
                )
            else:
                _pybabel("init", "-i", str(rest), "-o", str(path), "-l", lang)
            typer.echo(f"{path}: {summary(read(path))}")


def _prune(path: Path, keys: set[str]) -> set[str]:
    """Drop from a catalog beside messages.po the ids gone from the sources; its ids after that."""
    catalog = read(path)
    gone = [m for m in catalog if m.id and _key(m) not in keys]
    for message in gone:
        catalog.delete(message.id, message.context)
    if gone:
        write(path, catalog)
        typer.echo(f"{path}: {len(gone)} entries gone from the sources removed")
    return {_key(m) for m in catalog if m.id}


def _without(template: Any, keys: set[str]) -> Any:
    for message in [m for m in template if m.id and _key(m) in keys]:
        template.delete(message.id, message.context)
    return template


def write(path: Path, catalog: Any) -> None:
    from babel.messages.pofile import write_po

    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, ignore_obsolete=True, include_previous=False)


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
        paths = catalog_files(lang, root / "src" / "bumpwise" / "locales")
        if not paths:
            found.append(f"{lang}: no catalog at {catalog_path(lang, root / 'src' / 'bumpwise' / 'locales')}"
                         " (make i18n-update)")  # fmt: skip
            continue
        have: dict[str, Any] = {}
        where: dict[str, Path] = {}
        complete = language_info(root / "src" / "bumpwise" / "knowledge", lang).complete
        for path in paths:
            catalog = read(path)
            entries = {_key(m): m for m in catalog if m.id}
            for key in sorted(set(entries) & set(have)):
                label = key.split("\x04")[-1].split("\x00")[0][:60]
                found.append(f"{path}: {label!r} is also in {where[key]}: keep it in one catalog")
            gone = sorted(set(entries) - wanted)
            if gone:
                example = gone[0].split("\x04")[-1].split("\x00")[0][:60]
                found.append(
                    f"{path}: out of date with the sources (0 new, {len(gone)} gone, e.g. {example!r}):"
                    " run make i18n-update"
                )
            for key, message in sorted(entries.items()):
                have.setdefault(key, message)
                where.setdefault(key, path)
                found.extend(_entry_problems(path, key, message, complete))
        new = sorted(wanted - set(have))
        if new:
            found.append(
                f"{paths[0]}: out of date with the sources ({len(new)} new, 0 gone, e.g. "
                f"{new[0].split(chr(4))[-1].split(chr(0))[0][:60]!r}): run make i18n-update"
            )
    return found


def _entry_problems(path: Path, key: str, message: Any, complete: bool) -> list[str]:
    label = key.split("\x04")[-1].split("\x00")[0][:60]
    if complete and not _translated(message):
        return [f"{path}: {label!r} is not translated"]
    if complete and message.fuzzy:
        return [f"{path}: {label!r} is fuzzy"]
    if _translated(message) and not message.fuzzy:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        names = {n for i in ids for n in PLACEHOLDER.findall(i)}
        if any({n for n in PLACEHOLDER.findall(s)} - names for s in strings) or any(
            names - set(PLACEHOLDER.findall(s)) - {"num"} for s in strings[:1]
        ):
            return [f"{path}: {label!r} changes the placeholders {sorted(names)}"]
    return []


@app.command("check")
def check(root: Root = Path(".")) -> None:
    """Fail when a catalog is out of date, or a complete language has an untranslated or fuzzy entry."""
    found = problems(root)
    for line in found:
        typer.echo(f"error: {line}", err=True)
    if found:
        raise SystemExit(1)
    for lang in languages(root):
        entries = [m for p in catalog_files(lang, root / "src" / "bumpwise" / "locales") for m in read(p)]
        typer.echo(f"{lang}: {summary(entries)}")
