"""`bumpwise screen`, `plan`, `readiness running` and `demo`: a profile in, a decision out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from bumpwise.cli.options import (
    Format,
    FormatOption,
    ProfileArg,
    SeedOption,
    StartOption,
    WeeksOption,
    emit_json,
    parse_start,
    read_profile,
)
from bumpwise.domain.knowledge import default_knowledge

if TYPE_CHECKING:
    from bumpwise.domain.knowledge import KnowledgeBase
    from bumpwise.domain.readiness import Readiness
    from bumpwise.domain.screening import Screening

readiness_app = typer.Typer(help="Readiness checks.", no_args_is_help=True)


def screen(profile: ProfileArg, fmt: FormatOption = Format.TEXT) -> None:
    """Screen a profile: the clearance, every reason with its source, and what to do next."""
    from bumpwise.domain.screening import screen as run_screen

    kb = default_knowledge()
    _answer(run_screen(read_profile(profile, kb), kb), kb, fmt)


def plan(
    profile: ProfileArg,
    weeks: WeeksOption = 1,
    seed: SeedOption = 0,
    start: StartOption = None,
    fmt: FormatOption = Format.TEXT,
) -> None:
    """Build a screened, balanced, stage-aware plan: days, sessions, exercises, doses, cues and why."""
    from bumpwise.domain.planner import build_plan

    kb = default_knowledge()
    result = build_plan(read_profile(profile, kb), kb, start=parse_start(start), weeks=weeks, seed=seed)
    if fmt is Format.JSON:
        emit_json(result.json())
    else:
        from bumpwise.cli.render import print_plan

        print_plan(result, kb)


@readiness_app.command("running")
def readiness_running(profile: ProfileArg, fmt: FormatOption = Format.TEXT) -> None:
    """Postnatal return-to-running readiness (2019 guideline): ready, reasons and next steps."""
    from bumpwise.domain.readiness import running_readiness

    kb = default_knowledge()
    _answer(running_readiness(read_profile(profile, kb), kb), kb, fmt)


def _answer(result: Screening | Readiness, kb: KnowledgeBase, fmt: Format) -> None:
    """A decision as JSON for scripts, or as text for people (Rich is imported only then)."""
    if fmt is Format.JSON:
        emit_json(result.as_dict(kb.disclaimer))
        return
    from bumpwise.cli.render import print_readiness, print_screening
    from bumpwise.domain.screening import Screening

    if isinstance(result, Screening):
        print_screening(result, kb)
    else:
        print_readiness(result, kb)


def demo() -> None:
    """Screen a sample profile (30 weeks, pelvic girdle pain) and show its plan for this week."""
    from bumpwise.cli.render import print_demo

    print_demo(default_knowledge())
