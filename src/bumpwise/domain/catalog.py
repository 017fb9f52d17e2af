"""Gettext for every string bumpwise writes itself (pages, messages, e-mails, PDFs, the CLI).

Catalogs are ``src/bumpwise/locales/<lang>/LC_MESSAGES/messages.po``, read from the ``.po`` once
per process and language and compiled in memory (no ``.mo`` in git or in the build). The message
ids are the English strings; English needs no catalog. ``gettext`` translates into the language in
force (bumpwise.domain.locale), so one function serves concurrent requests in different languages;
the Jinja environments install it once (``install``).

Strings defined at import time (tables of notices, labels) are marked with ``N_`` for extraction
and translated where they are shown: ``gettext(NOTICES[key])``.
"""

from __future__ import annotations

import io
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


@cache
def translations(lang: str) -> NullTranslations:
    """The language's catalog (fuzzy entries left out, so they show in English), or English."""
    path = catalog_path(lang)
    if lang == ENGLISH or not path.exists():
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str, **values: Any) -> str:
    """``message`` in the language in force, ``%(name)s`` placeholders filled from ``values``."""
    text = translations(current_language()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """The singular or plural form for ``n`` in the language in force; ``%(num)s`` is ``n``."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


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
