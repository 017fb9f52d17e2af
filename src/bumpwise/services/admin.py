"""What an admin does: list accounts and change their role. Admins see no health data.

The first admin is made on the server, by whoever runs it: ``bumpwise admin grant EMAIL`` turns an
existing account into an admin (``grant_admin``). Later admins can be made the same way or by an
admin through ``set_role``; coaches come through ``services.vetting``."""

from __future__ import annotations

from datetime import datetime

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import UserView, clean_email, user_view
from bumpwise.services.errors import NotFound
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.vetting import make_coach


def list_users(uow: UnitOfWork, principal: Principal, *, limit: int = 100, offset: int = 0) -> list[UserView]:
    require_role(principal, Role.ADMIN)
    with uow:
        return [user_view(u) for u in uow.accounts.users(limit=min(limit, 500), offset=offset)]


def set_role(uow: UnitOfWork, principal: Principal, user_id: int, role: str, now: datetime) -> UserView:
    require_role(principal, Role.ADMIN)
    if role not in {r.value for r in Role}:
        raise InputError("role", _("%(role)r is not a role", role=role), [r.value for r in Role])
    if user_id == principal.user_id:
        raise InputError("user_id", N_("an admin cannot change their own role"))
    with uow:
        user = uow.accounts.user(user_id)
        if user is None:
            raise NotFound(N_("no such user"), "user_id")
        if role == Role.COACH.value:
            make_coach(uow, user, now)
        else:
            user.role = role
        uow.commit()
        return user_view(user)


def grant_admin(uow: UnitOfWork, email: str) -> UserView:
    """For the operator at the server's console (no principal): make this account an admin."""
    address = clean_email(email)
    with uow:
        user = uow.accounts.user_by_email(address)
        if user is None:
            raise InputError("email", N_("no account has this e-mail: sign up first, then run this again"))
        user.role = Role.ADMIN.value
        uow.commit()
        return user_view(user)
