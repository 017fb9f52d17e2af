"""Choosing the language (issue 19): the account's setting, then Accept-Language, then English;
a language someone types is one of the supported ones or an error naming them."""

from __future__ import annotations

import threading

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.locale import (
    choose,
    current_language,
    language,
    negotiate,
    parse_locale,
    request_scope,
    supported_languages,
    use_language,
)


def test_english_and_spanish_are_supported_english_first():
    assert supported_languages()[0] == "en" and "es" in supported_languages()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR, es;q=0.5, en;q=0.4", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("de, fr;q=0.8", None),
        ("es;q=0, en;q=0.1", "en"),
        ("ES-mx", "es"),
        ("*", None),
        (";;;q=abc, es;q=1.5x", "es"),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_picks_the_most_wanted_supported_language(header, expected):
    found = negotiate(header)
    assert (found.code if found else None) == expected


def test_the_account_setting_comes_first_then_the_browser_then_english():
    assert choose("es", "en-GB,en").code == "es"
    assert choose("en", "es").code == "en"
    assert choose(None, "es-AR,es").code == "es"
    assert choose(None, "de").code == "en"
    assert choose(None, None).code == "en"
    assert choose("xx", "es").code == "es"  # a setting no longer supported is skipped


def test_a_typed_language_is_supported_or_an_error_naming_the_allowed_ones():
    assert parse_locale("ES").code == "es" and parse_locale("es_MX").code == "es"
    with pytest.raises(InputError) as caught:
        parse_locale("fr", "--lang")
    assert caught.value.field == "--lang" and "en" in caught.value.allowed and "es" in caught.value.allowed


def test_the_language_in_force_is_per_scope_and_threads_do_not_share_it():
    assert current_language() == "en"
    seen: dict[str, str] = {}

    def worker(code: str) -> None:
        with request_scope(code):
            barrier.wait()
            seen[code] = f"{current_language()}:{default_knowledge().lang}"

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=worker, args=(c,)) for c in ("en", "es")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"en": "en:en", "es": "es:es"}
    with language("es"):
        use_language("en")
        assert current_language() == "en"
    assert current_language() == "en"
