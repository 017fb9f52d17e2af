"""The language a person reads bumpwise in (issue 19).

Supported languages are English and every language with a knowledge overlay folder
(``knowledge/locales/<code>/language.yaml``). The web chooses the account's setting, then the
browser's ``Accept-Language``, then English; the CLI takes ``--lang`` or ``BUMPWISE_LANG``.

The language in force is held per request (or per CLI run) in a context variable, so code deep
down (the knowledge base, the gettext catalog, dates and numbers) reads it without every call
passing it, and concurrent requests never see each other's. The web sets a fresh holder per
request (``request_scope``); an authenticated dependency may then switch it to the account's
setting (``use_language``), which reaches the endpoint because the holder is shared, not copied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from bumpwise.domain.errors import InputError

ENGLISH = "en"


@dataclass(frozen=True)
class Locale:
    """A supported language, by its ISO 639-1 code (``en``, ``es``)."""

    code: str

    @property
    def name(self) -> str:
        """The language's name in itself ("English", "Español")."""
        return language_names()[self.code]

    def __str__(self) -> str:
        return self.code


@cache
def supported_languages() -> tuple[str, ...]:
    """English first, then the languages with a knowledge overlay, sorted."""
    from bumpwise.domain.knowledge import knowledge_dir
    from bumpwise.domain.loader import overlay_languages

    return (ENGLISH, *(code for code in overlay_languages(knowledge_dir()) if code != ENGLISH))


@cache
def language_names() -> dict[str, str]:
    from bumpwise.domain.knowledge import knowledge_dir
    from bumpwise.domain.loader import language_info

    names = {ENGLISH: "English"}
    for code in supported_languages()[1:]:
        names[code] = language_info(knowledge_dir(), code).name
    return names


def parse_locale(value: str, field: str = "lang") -> Locale:
    """A supported language from what a person typed (``es``, ``ES``, ``es-MX``), or an
    ``InputError`` naming the field and the allowed values."""
    from bumpwise.domain.catalog import N_  # the catalog imports this module

    code = value.strip().replace("_", "-").split("-")[0].lower()
    if code not in supported_languages():
        raise InputError(
            field,
            N_("%(value)s is not a supported language"),
            supported_languages(),
            values={"value": repr(value)},
        )
    return Locale(code)


QUALITY = re.compile(r"^q=(?P<q>[01](\.\d{0,3})?)$")


def negotiate(accept_language: str | None) -> Locale | None:
    """The supported language a browser's ``Accept-Language`` prefers most (by q-value, then
    order), or None when it names none of them. A malformed part is skipped, never an error."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:20]):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            match = QUALITY.match(param.replace(" ", ""))
            if match:
                quality = float(match.group("q"))
        code = tag.split("-")[0].lower()
        if quality > 0 and code in supported_languages():
            ranked.append((-quality, index, code))
    return Locale(min(ranked)[2]) if ranked else None


def choose(account: str | None, accept_language: str | None) -> Locale:
    """The account's setting, then the browser's preference, then English."""
    if account and account in supported_languages():
        return Locale(account)
    return negotiate(accept_language) or Locale(ENGLISH)


@dataclass
class _Holder:
    code: str = ENGLISH


_CURRENT: ContextVar[_Holder | None] = ContextVar("bumpwise_language", default=None)


def current_language() -> str:
    holder = _CURRENT.get()
    return holder.code if holder is not None else ENGLISH


def current_locale() -> Locale:
    return Locale(current_language())


def use_language(code: str) -> None:
    """Switch the language in force for the rest of this request or run."""
    holder = _CURRENT.get()
    if holder is None:
        _CURRENT.set(_Holder(code))
    else:
        holder.code = code


@contextmanager
def request_scope(code: str = ENGLISH) -> Iterator[None]:
    """A fresh holder for one request (or one rendering): nothing leaks to the next."""
    token = _CURRENT.set(_Holder(code))
    try:
        yield
    finally:
        _CURRENT.reset(token)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render something in a language (an e-mail to a member, a PDF), then go back."""
    with request_scope(code):
        yield
