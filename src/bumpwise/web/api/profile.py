"""Onboarding through the API: the details, then the screening answers and their result."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bumpwise.services import profiles
from bumpwise.services.profiles import DetailsInput, ProfileView, ScreeningInput
from bumpwise.web.deps import ApiUser, Ctx, Now, Today

router = APIRouter(prefix="/me", tags=["profile"])


@router.get("/profile")
def read_profile(user: ApiUser, ctx: Ctx, today: Today) -> ProfileView:
    return profiles.profile_view(ctx.uow(), user, today)


@router.put("/profile/details")
def save_details(body: DetailsInput, user: ApiUser, ctx: Ctx, now: Now, today: Today) -> ProfileView:
    profiles.save_details(ctx.uow(), ctx.kb, user, body, now)
    return profiles.profile_view(ctx.uow(), user, today)


@router.put("/profile/screening")
def save_screening(body: ScreeningInput, user: ApiUser, ctx: Ctx, now: Now, today: Today) -> dict[str, Any]:
    """Conditions, provider clearance and current warning signs; answers with the clearance."""
    profiles.save_screening(ctx.uow(), ctx.kb, user, body, now)
    return profiles.screening_result(ctx.uow(), ctx.kb, user, today)


@router.get("/screening")
def read_screening(user: ApiUser, ctx: Ctx, today: Today) -> dict[str, Any]:
    return profiles.screening_result(ctx.uow(), ctx.kb, user, today)
