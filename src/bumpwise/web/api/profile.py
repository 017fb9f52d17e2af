"""Onboarding through the API: the details, then the screening answers and their result."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bumpwise.domain.vocab import Clearance
from bumpwise.services import profiles
from bumpwise.services.profiles import DetailsInput, ProfileView, ScreeningInput
from bumpwise.web.deps import ApiUser, Ctx, Now, Today

router = APIRouter(prefix="/me", tags=["profile"])


class ReasonView(BaseModel):
    """One rule's part in the decision: its id, sources (``guidelines.md`` ids) and words."""

    rule: str
    source: str
    sources: list[str]
    text: str
    design_choice: bool = Field(description="the rule is the project's choice, not a source's")
    conflict: str | None = Field(description="how sources disagree here, and that the stricter won")


class ScreeningView(BaseModel):
    clearance: Clearance
    headline: str
    next_step: str
    reasons: list[ReasonView]
    referrals: list[str]
    disclaimer: str
    stage: str
    held: bool = Field(description="a warning sign holds the plan until it is resolved")


@router.get("/profile")
def read_profile(user: ApiUser, ctx: Ctx, today: Today) -> ProfileView:
    return profiles.profile_view(ctx.uow(), user, today)


@router.put("/profile/details")
def save_details(body: DetailsInput, user: ApiUser, ctx: Ctx, now: Now, today: Today) -> ProfileView:
    profiles.save_details(ctx.uow(), ctx.kb, user, body, now)
    return profiles.profile_view(ctx.uow(), user, today)


@router.put("/profile/screening")
def save_screening(body: ScreeningInput, user: ApiUser, ctx: Ctx, now: Now, today: Today) -> ScreeningView:
    """Conditions, provider clearance and current warning signs; answers with the clearance."""
    profiles.save_screening(ctx.uow(), ctx.kb, user, body, now)
    return ScreeningView.model_validate(profiles.screening_result(ctx.uow(), ctx.kb, user, today))


@router.get("/screening")
def read_screening(user: ApiUser, ctx: Ctx, today: Today) -> ScreeningView:
    return ScreeningView.model_validate(profiles.screening_result(ctx.uow(), ctx.kb, user, today))
