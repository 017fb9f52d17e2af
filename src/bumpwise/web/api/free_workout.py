"""The public free workout (no account): a personalised pregnancy workout from the planner."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwise.services.free_workout import FreeWorkout, FreeWorkoutInput, free_workout
from bumpwise.web.deps import Ctx, Now, Today

router = APIRouter(tags=["free workout"])


@router.post("/free-workout")
def build(body: FreeWorkoutInput, ctx: Ctx, today: Today, now: Now) -> FreeWorkout:
    return free_workout(ctx.uow(), ctx.kb, body, today, now)
