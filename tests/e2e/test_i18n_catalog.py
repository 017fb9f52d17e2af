"""`bumpwise i18n check` (make i18n-check, part of make test; issue 19): the UI catalogs must be
current with the sources, keep the placeholders, and be complete for a complete language. Run on
a copy of the source tree, changed one way at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_support import run

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Path("src/bumpwise/locales/es/LC_MESSAGES/messages.po")
LANGUAGE = Path("src/bumpwise/knowledge/locales/es/language.yaml")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "babel.cfg", copy / "babel.cfg")
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return copy


@pytest.fixture
def tree(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    shutil.copytree(pristine, copy)
    return copy


def check(tree: Path) -> tuple[int, str]:
    result = run("i18n", "check", "--root", str(tree))
    return result.returncode, result.stdout + result.stderr


def test_the_shipped_catalogs_are_current(tree: Path) -> None:
    code, out = check(tree)
    assert code == 0, out
    assert "es: " in out and " 0 untranslated, 0 fuzzy" in out


def test_a_new_string_in_a_template_makes_the_catalog_out_of_date(tree: Path) -> None:
    template = tree / "src/bumpwise/web/templates/home.html"
    template.write_text(
        template.read_text(encoding="utf-8") + '\n{{ _("A brand new sentence") }}\n', encoding="utf-8"
    )
    code, out = check(tree)
    assert code == 1 and "out of date with the sources (1 new, 0 gone" in out and "make i18n-update" in out


def test_a_complete_language_may_not_leave_an_entry_untranslated(tree: Path) -> None:
    catalog = tree / CATALOG
    text = catalog.read_text(encoding="utf-8")
    assert 'msgstr "Iniciar sesión"' in text
    catalog.write_text(text.replace('msgstr "Iniciar sesión"', 'msgstr ""', 1), encoding="utf-8")
    language = tree / LANGUAGE
    language.write_text(language.read_text(encoding="utf-8").replace("complete: true", "complete: false"))
    code, out = check(tree)
    assert code == 0, out  # not complete yet: allowed
    language.write_text(language.read_text(encoding="utf-8").replace("complete: false", "complete: true"))
    code, out = check(tree)
    assert code == 1 and "'Sign in' is not translated" in out


def test_a_translation_must_keep_the_placeholders(tree: Path) -> None:
    catalog = tree / CATALOG
    text = catalog.read_text(encoding="utf-8")
    assert 'msgstr "Hecho como %(name)s"' in text
    catalog.write_text(text.replace('msgstr "Hecho como %(name)s"', 'msgstr "Hecho como %(nombre)s"'))
    code, out = check(tree)
    assert code == 1 and "'Done as %(name)s' changes the placeholders ['name']" in out


CLI_CATALOG = Path("src/bumpwise/locales/es/LC_MESSAGES/cli.po")


def test_a_languages_catalogs_are_read_as_one_and_an_id_lives_in_one_of_them(tree: Path) -> None:
    """cli.po (the command line's words) sits beside messages.po: the check takes the union, an
    untranslated entry of either counts for a complete language, and an id in both is refused."""
    cli = tree / CLI_CATALOG
    text = cli.read_text(encoding="utf-8")
    assert 'msgstr "no existe la carpeta: %(folder)s"' in text
    cli.write_text(text.replace('msgstr "no existe la carpeta: %(folder)s"', 'msgstr ""'), encoding="utf-8")
    language = tree / LANGUAGE
    language.write_text(language.read_text(encoding="utf-8").replace("complete: false", "complete: true"))
    code, out = check(tree)
    assert code == 1 and "cli.po: 'no such folder: %(folder)s' is not translated" in out
    cli.write_text(text + '\nmsgid "Sign in"\nmsgstr "Entrar"\n', encoding="utf-8")
    code, out = check(tree)
    assert code == 1 and "cli.po: 'Sign in' is also in" in out and "messages.po" in out


def test_update_keeps_each_id_in_the_catalog_that_holds_it(tree: Path) -> None:
    render = tree / "src/bumpwise/cli/render.py"
    source = render.read_text(encoding="utf-8")
    assert '_("variants")' in source
    render.write_text(source.replace('_("variants")', '_("variants!")'), encoding="utf-8")
    result = run("i18n", "update", "--root", str(tree))
    assert result.returncode == 0, result.stderr
    cli = (tree / CLI_CATALOG).read_text(encoding="utf-8")
    main = (tree / CATALOG).read_text(encoding="utf-8")
    assert 'msgid "variants"' not in cli and 'msgid "variants!"' not in cli  # gone from cli.po
    assert 'msgid "variants!"' in main  # a new id goes to messages.po
    assert 'msgid "no such folder: %(folder)s"' in cli and 'msgid "no such folder: %(folder)s"' not in main
    language = tree / LANGUAGE  # the new id is not translated yet: check the placement alone
    language.write_text(language.read_text(encoding="utf-8").replace("complete: true", "complete: false"))
    code, out = check(tree)
    assert code == 0, out
