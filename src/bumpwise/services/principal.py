"""Who is asking, and the one place that says what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bumpwise.domain.catalog import _
from bumpwise.services.errors import Forbidden


class Role(StrEnum):
    MEMBER = "member"
    COACH = "coach"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    user_id: int
    role: Role
    display_name: str
    email: str
    language: str | None = None
    """The language the account chose (None: the browser's, then English)."""

    @property
    def is_member(self) -> bool:
        return self.role is Role.MEMBER

    @property
    def is_coach(self) -> bool:
        return self.role is Role.COACH


def require_role(principal: Principal, *roles: Role) -> Principal:
    """Members own health data; coaches read it only through a grant; admins manage accounts."""
    if principal.role not in roles:
        allowed = " | ".join(role.value for role in roles)
        raise Forbidden(_("only an account of this role may do this: %(allowed)s", allowed=allowed))
    return principal
