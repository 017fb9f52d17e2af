"""What an admin does: list accounts and change their role. Admins see no health data."""

from __future__ import annotations

from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import UserView, user_view
from bumpwise.services.errors import NotFound
from bumpwise.services.principal import Principal, Role, require_role


def list_users(uow: UnitOfWork, principal: Principal, *, limit: int = 100, offset: int = 0) -> list[UserView]:
    require_role(principal, Role.ADMIN)
    with uow:
        return [user_view(u) for u in uow.accounts.users(limit=min(limit, 500), offset=offset)]


def set_role(uow: UnitOfWork, principal: Principal, user_id: int, role: str) -> UserView:
    require_role(principal, Role.ADMIN)
    if role not in {r.value for r in Role}:
        raise InputError("role", f"{role!r} is not a role", [r.value for r in Role])
    if user_id == principal.user_id:
        raise InputError("user_id", "an admin cannot change their own role")
    with uow:
        user = uow.accounts.user(user_id)
        if user is None:
            raise NotFound("no such user", "user_id")
        user.role = role
        uow.commit()
        return user_view(user)
