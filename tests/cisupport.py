"""Whether the tests run in CI, where a missing prerequisite fails the run instead of skipping."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """``CI`` set to 1, true or yes (any case); unset, empty or ``false`` is a local run."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(message: str, *, in_ci_too: str = "", locally: str = "") -> NoReturn:
    """Fail in CI, skip locally; the optional tails say what to do in each case."""
    if in_ci():
        pytest.fail(message + in_ci_too)
    pytest.skip(message + locally)
