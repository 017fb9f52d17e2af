"""Admin: accounts and roles. No health data is reachable from here."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwise.services import admin
from bumpwise.services.accounts import UserView
from bumpwise.services.inputs import StrictInput
from bumpwise.web.deps import ApiUser, Ctx
from bumpwise.web.params import Offset, RowId

router = APIRouter(prefix="/admin", tags=["admin"])


class RoleChange(StrictInput):
    role: str


@router.get("/users")
def list_users(user: ApiUser, ctx: Ctx, offset: Offset = 0) -> list[UserView]:
    return admin.list_users(ctx.uow(), user, offset=offset)


@router.patch("/users/{user_id}")
def set_role(user_id: RowId, body: RoleChange, user: ApiUser, ctx: Ctx) -> UserView:
    return admin.set_role(ctx.uow(), user, user_id, body.role)
