"""`bumpwise exercises import`: registered on the exercises command group (see issue 4)."""

from __future__ import annotations

import typer


def register(exercises_app: typer.Typer) -> None:
    """Add the import command to ``exercises_app``."""
