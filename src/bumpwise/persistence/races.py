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

from bumpwise.persistence.uow import HeldUnitOfWork

P = ParamSpec("P")
R = TypeVar("R")


def run_again_after_unique_race(attempt: Callable[[], R]) -> R:
    """Run ``attempt``; when the database refuses a duplicate row, run it once more from the
    start. The attempt must open (and so roll back) its own transaction."""
    try:
        return attempt()
    except IntegrityError:
        return attempt()


def unique_race_retried(use_case: Callable[P, R]) -> Callable[P, R]:
    """Inside a transaction someone else holds (``HeldUnitOfWork``, an idempotent request) the
    failed attempt cannot be rolled back alone, so the error goes up to the holder, which runs the
    whole request again (``services.idempotency.once``)."""

    @wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args and isinstance(args[0], HeldUnitOfWork):
            return use_case(*args, **kwargs)
        return run_again_after_unique_race(lambda: use_case(*args, **kwargs))

    return run
