"""The public free workout (no account): a personalised pregnancy workout from the planner."""

from __future__ import annotations

from fastapi import APIRouter, Response

from bumpwise.services.free_workout import FreeWorkout, FreeWorkoutInput, free_workout
from bumpwise.web.deps import Ctx, Now, Today
from bumpwise.web.idempotency import AnonymousApiOnce

router = APIRouter(tags=["free workout"])


@router.post("/free-workout", response_model=FreeWorkout)
def build(body: FreeWorkoutInput, ctx: Ctx, today: Today, now: Now, once: AnonymousApiOnce) -> Response:
    """Stores a lead when an e-mail is given (with consent), so it takes an ``Idempotency-Key``."""
    return once.json(lambda uow: free_workout(uow, ctx.kb, body, today, now), status=200)
