"""What a new password must be: 12 to 200 characters, and not a common or breached one.

The check runs offline. zxcvbn (MIT licence, on PyPI) ships the 30,000 passwords seen most often
in breached password dumps, and estimates how many guesses a password built from such passwords,
common words, names, dates and keyboard patterns would take. A password on the list, or one it
scores below 3 ("safely unguessable" starts at 3), is refused; no composition rules (ASVS 2.1.9).
"""

from __future__ import annotations

from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError

MIN_PASSWORD, MAX_PASSWORD = 12, 200
MIN_SCORE = 3
SCORED_LENGTH = 72
"""zxcvbn's cost grows with length; past 72 characters a password is long enough anyway."""


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, field: str = "password", *, context: tuple[str, ...] = ()) -> str:
    """The password if it may be used, else an InputError naming ``field`` and the reason."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(
            field, _("must be %(low)s to %(high)s characters long", low=MIN_PASSWORD, high=MAX_PASSWORD)
        )
    if password.lower() in breached_passwords():
        raise InputError(field, N_("is one of the most common passwords in breached password lists"))
    if zxcvbn(password[:SCORED_LENGTH], user_inputs=list(context))["score"] < MIN_SCORE:
        raise InputError(
            field, "is too easy to guess (common words, names, dates or keyboard patterns): make it longer"
        )
    return password
