"""The public free workout (no account): screening first, then a workout for pregnancy or after
birth from the planner; an e-mail with consent starts the double opt-in (a confirmation e-mail)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from bumpwise.services import leads
from bumpwise.services.free_workout import FreeWorkout, FreeWorkoutInput, count_free_workout, free_workout
from bumpwise.web.deps import Client, Ctx, Now, Today
from bumpwise.web.idempotency import AnonymousApiOnce

router = APIRouter(tags=["free workout"])


@router.post("/free-workout", response_model=FreeWorkout)
def build(
    body: FreeWorkoutInput, ctx: Ctx, today: Today, now: Now, client: Client, once: AnonymousApiOnce
) -> Response:
    """Stores a lead when an e-mail is given (with consent), so it takes an ``Idempotency-Key``.
    Limited per client address (``BUMPWISE_FREE_WORKOUTS_PER_HOUR``): 429 with Retry-After."""
    count_free_workout(ctx.uow(), ctx.rules, client=client, now=now)
    return once.json(
        lambda uow: free_workout(
            uow, ctx.kb, body, today, now, base_url=ctx.settings.base_url, deliver=ctx.deliver
        ),
        status=200,
    )


@router.post("/c/{handle}/free-workout", response_model=FreeWorkout)
def build_on_coach_page(
    handle: str,
    body: FreeWorkoutInput,
    ctx: Ctx,
    today: Today,
    now: Now,
    client: Client,
    once: AnonymousApiOnce,
) -> Response:
    """The same, through a coach's link: an e-mail left here is that coach's lead (404: no such coach)."""
    page = leads.coach_page(ctx.uow(), handle)
    count_free_workout(ctx.uow(), ctx.rules, client=client, now=now)
    return once.json(
        lambda uow: free_workout(
            uow, ctx.kb, body, today, now, page, base_url=ctx.settings.base_url, deliver=ctx.deliver
        ),
        status=200,
    )
