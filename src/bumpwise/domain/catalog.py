"""Gettext for every string bumpwise writes itself (pages, messages, e-mails, PDFs, the CLI).

Catalogs are ``src/bumpwise/locales/<lang>/LC_MESSAGES/*.po`` (``messages.po``, and ``cli.po`` for
the command line's words), merged and read from the ``.po`` once per process and language and
compiled in memory (no ``.mo`` in git or in the build). The message
ids are the English strings; English needs no catalog. ``gettext`` translates into the language in
force (bumpwise.domain.locale), so one function serves concurrent requests in different languages;
the Jinja environments install it once (``install``).

Strings defined at import time (tables of notices, labels) are marked with ``N_`` for extraction
and translated where they are shown: ``gettext(NOTICES[key])``.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from gettext import NullTranslations
from importlib.resources import files
from pathlib import Path
from typing import Any

from bumpwise.domain.locale import ENGLISH, current_language

DOMAIN = "messages"


def catalog_dir() -> Path:
    return Path(str(files("bumpwise") / "locales"))


def catalog_path(lang: str, folder: Path | None = None) -> Path:
    return (folder or catalog_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_files(lang: str, folder: Path | None = None) -> list[Path]:
    """Every catalog of a language: ``messages.po`` first, then the others (``cli.po``) by name.
    A message id is in one of them (``bumpwise i18n update`` keeps it so)."""
    main = catalog_path(lang, folder)
    others = sorted(p for p in main.parent.glob("*.po") if p != main) if main.parent.is_dir() else []
    return [main, *others] if main.exists() else others


@cache
def translations(lang: str) -> NullTranslations:
    """The language's catalogs merged (fuzzy entries left out, so they show in English), or English.
    Where two files translate the same id, the first translation (``messages.po``) is kept."""
    paths = catalog_files(lang)
    if lang == ENGLISH or not paths:
        return NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    merged: Catalog | None = None
    for path in paths:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if not message.id:
                continue
            have = merged.get(message.id, message.context)
            if have is None or not _translated(have.string) or have.fuzzy:
                if have is not None:
                    merged.delete(message.id, message.context)
                merged[message.id] = message
    assert merged is not None  # paths is not empty
    compiled = io.BytesIO()
    write_mo(compiled, merged, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _translated(string: object) -> bool:
    strings = string if isinstance(string, tuple | list) else (string,)
    return all(strings)


def gettext(message: str, **values: Any) -> str:
    """``message`` in the language in force, ``%(name)s`` placeholders filled from ``values``."""
    text = translations(current_language()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """The singular or plural form for ``n`` in the language in force; ``%(num)s`` is ``n``."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def pgettext(context: str, message: str) -> str:
    """``message`` in a ``context`` (the same English word said in two places, "Start")."""
    return translations(current_language()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def plain_gettext(message: str) -> str:
    """For Jinja's newstyle gettext, which fills the placeholders itself (escaping them)."""
    return translations(current_language()).gettext(message)


def plain_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def install(env: Any) -> None:
    """Jinja's i18n extension on an environment, with gettext in the language in force (installed
    once; each call of ``_()`` or ``{% trans %}`` reads the language of its own request)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(plain_gettext, plain_ngettext, newstyle=True)


# Dates and numbers in the language in force (Babel, CLDR patterns): "Friday 4 December" in
# English, "viernes, 4 de diciembre" in Spanish.
DAY_PATTERNS = {"en": "EEEE d MMMM", "es": "EEEE, d 'de' MMMM"}
LONG_PATTERNS = {"en": "d MMMM y", "es": "d 'de' MMMM 'de' y"}
DAY_YEAR_PATTERNS = {"en": "EEEE d MMMM y", "es": "EEEE, d 'de' MMMM 'de' y"}
SHORT_PATTERNS = {"en": "EEE d MMM", "es": "EEE d MMM"}


def _pattern(table: dict[str, str]) -> tuple[str, str]:
    lang = current_language()
    return lang, table.get(lang, table[ENGLISH])


def format_day(day: date, *, year: bool = False, short: bool = False) -> str:
    """A day with its weekday: "Friday 4 December" (with the year, or short: "Fri 4 Dec")."""
    from babel.dates import format_date

    lang, pattern = _pattern(SHORT_PATTERNS if short else DAY_YEAR_PATTERNS if year else DAY_PATTERNS)
    return format_date(day, pattern, locale=lang)


def format_weekday_day(day: date) -> str:
    """ "Monday 2" (a span's start within one month)."""
    from babel.dates import format_date

    return format_date(day, "EEEE d", locale=current_language())


def format_long_date(day: date) -> str:
    """ "4 December 2026"."""
    from babel.dates import format_date

    lang, pattern = _pattern(LONG_PATTERNS)
    return format_date(day, pattern, locale=lang)


def format_short_date(day: date) -> str:
    """ "4 Dec"."""
    from babel.dates import format_date

    return format_date(day, "d MMM", locale=current_language())


def format_moment(moment: datetime) -> str:
    """ "4 Dec 2026, 14:05 UTC"."""
    from babel.dates import format_datetime

    return format_datetime(moment, "d MMM y, HH:mm 'UTC'", locale=current_language())


def format_number(value: float, digits: int = 1) -> str:
    """A number with the language's decimal sign ("2.5" / "2,5"), at most ``digits`` decimals."""
    from babel.numbers import format_decimal

    return format_decimal(
        value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=current_language()
    )
