"""Two identical requests at once: both look for a row, both find none, both insert. The unique
constraint (or primary key) lets one insert through and fails the other with IntegrityError.
``unique_race_retried`` runs the losing use case once more from the start: it now finds the
winner's row and answers as the later of two requests in a row would (the same row, an update,
or the use case's own Conflict). The use case must open its own unit of work, so that the
failed attempt has rolled back everything before the second begins."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError

P = ParamSpec("P")
R = TypeVar("R")


def unique_race_retried(use_case: Callable[P, R]) -> Callable[P, R]:
    @wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return use_case(*args, **kwargs)
        except IntegrityError:
            return use_case(*args, **kwargs)

    return run
