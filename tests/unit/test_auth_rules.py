"""The pure parts of the account rules: the password policy and who the client is behind proxies."""

from __future__ import annotations

import pytest

from bumpwise.config import Settings, parse_networks
from bumpwise.domain.errors import InputError
from bumpwise.services.password_policy import check_password
from bumpwise.web.proxies import client_host

TRUSTED = parse_networks("10.0.0.0/8, 192.0.2.1")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "12 to 200"),
        ("x" * 201, "12 to 200"),
        ("password1234", "breached"),
        ("PASSWORD1234", "breached"),
        ("qwertyuiop123", "breached"),
        ("aaaaaaaaaaaaaa", "easy to guess"),
        ("iloveyoubaby12", "easy to guess"),
        ("mia@example.org!", "easy to guess"),
    ],
)
def test_short_common_and_guessable_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InputError) as refused:
        check_password(password, "new_password", context=("mia@example.org",))
    assert refused.value.field == "new_password" and reason in refused.value.message


@pytest.mark.parametrize("password", ["correct horse battery", "tea at seven, then a walk", "x7#Lq9!vR2mz"])
def test_long_uncommon_passwords_are_taken_without_composition_rules(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("198.51.100.5", None, "198.51.100.5"),
        ("198.51.100.5", "203.0.113.9", "198.51.100.5"),  # an untrusted peer's header is ignored
        ("10.1.2.3", "203.0.113.9", "203.0.113.9"),
        (
            "10.1.2.3",
            "6.6.6.6, 203.0.113.9, 10.9.9.9",
            "203.0.113.9",
        ),  # the client's own part is not believed
        ("192.0.2.1", "10.0.0.7, 10.0.0.8", "10.0.0.7"),
        ("10.1.2.3", "not-an-address", "10.1.2.3"),
        (None, "203.0.113.9", "unknown"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer: str | None, forwarded: str | None, client: str
) -> None:
    assert client_host(peer, forwarded, TRUSTED) == client


def test_a_bad_trusted_proxy_setting_names_the_variable() -> None:
    with pytest.raises(ValueError, match="BUMPWISE_TRUSTED_PROXIES"):
        Settings(env="test", trusted_proxies="10.0.0.0/8, proxy.local", database_url="sqlite://")
