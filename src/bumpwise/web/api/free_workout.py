"""The public free workout (no account): a personalised pregnancy workout from the planner."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwise.services import leads
from bumpwise.services.free_workout import FreeWorkout, FreeWorkoutInput, free_workout
from bumpwise.web.deps import Ctx, Now, Today

router = APIRouter(tags=["free workout"])


@router.post("/free-workout")
def build(body: FreeWorkoutInput, ctx: Ctx, today: Today, now: Now) -> FreeWorkout:
    return free_workout(ctx.uow(), ctx.kb, body, today, now)


@router.post("/c/{handle}/free-workout")
def build_on_coach_page(handle: str, body: FreeWorkoutInput, ctx: Ctx, today: Today, now: Now) -> FreeWorkout:
    """The same, through a coach's link: an e-mail left here is that coach's lead (404: no such coach)."""
    page = leads.coach_page(ctx.uow(), handle)
    return free_workout(ctx.uow(), ctx.kb, body, today, now, page)
