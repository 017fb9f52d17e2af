"""A coach's branding on the documents their clients print: an accent colour and a logo.

Set on the coach's account page or through the API; used by ``services.reports`` for every PDF
of a member who has granted the coach access. A logo is taken only as PNG or JPEG, by content,
and kept small because it is stored in the database and embedded in each PDF.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bumpwise.domain.errors import InputError
from bumpwise.exports.branding import DEFAULT_ACCENT, Branding, Logo, normalise_accent
from bumpwise.persistence.models import CoachBranding
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.principal import Principal, Role, require_role

MAX_UPLOAD_BYTES = 200_000
"""Under the app's request size limit, with room for the form around it."""


class BrandingView(BaseModel):
    coach_name: str
    accent: str
    logo_type: str | None
    logo_bytes: int


class BrandingChange(BaseModel):
    """What to change; a field left as None stays as it is."""

    accent: str | None = None
    logo: bytes | None = None
    remove_logo: bool = False


def my_branding(uow: UnitOfWork, principal: Principal) -> BrandingView:
    require_role(principal, Role.COACH)
    with uow:
        return _view(principal.display_name, uow.coaching.branding(principal.user_id))


def preview(uow: UnitOfWork, principal: Principal) -> Branding:
    """The coach's own branding, to show on the settings page or print a sample."""
    require_role(principal, Role.COACH)
    with uow:
        return branding_of(uow, principal.user_id, principal.display_name)


@unique_race_retried
def update_branding(
    uow: UnitOfWork, principal: Principal, change: BrandingChange, now: datetime
) -> BrandingView:
    """Check everything first, then save: a bad colour or logo changes nothing."""
    require_role(principal, Role.COACH)
    accent = normalise_accent(change.accent) if change.accent is not None else None
    logo = _upload(change.logo) if change.logo is not None else None
    with uow:
        row = uow.coaching.branding(principal.user_id)
        if row is None:
            row = CoachBranding(coach_id=principal.user_id, accent=DEFAULT_ACCENT, updated_at=now)
            uow.coaching.add(row)
        if accent is not None:
            row.accent = accent
        if change.remove_logo:
            row.logo, row.logo_type = None, None
        if logo is not None:
            row.logo, row.logo_type = logo.data, logo.media_type
        row.updated_at = now
        uow.commit()
        return _view(principal.display_name, row)


def branding_of(uow: UnitOfWork, coach_id: int, coach_name: str) -> Branding:
    """The branding printed for ``coach_id``: their settings, or the default colour and no logo."""
    row = uow.coaching.branding(coach_id)
    if row is None:
        return Branding(coach_name=coach_name)
    return Branding(coach_name=coach_name, logo=_stored_logo(row), accent=row.accent)


def export_view(row: CoachBranding | None) -> dict[str, object] | None:
    """The coach's settings in the account export (the logo as a data URI)."""
    if row is None:
        return None
    logo = _stored_logo(row)
    return {
        "accent": row.accent,
        "logo": logo.data_uri() if logo is not None else None,
        "updated_at": row.updated_at.isoformat(),
    }


def _stored_logo(row: CoachBranding) -> Logo | None:
    return Logo(row.logo_type, row.logo) if row.logo is not None and row.logo_type is not None else None


def _upload(data: bytes) -> Logo:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("logo", f"is larger than {MAX_UPLOAD_BYTES // 1000} kB")
    return Logo.from_upload(data)


def _view(coach_name: str, row: CoachBranding | None) -> BrandingView:
    if row is None:
        return BrandingView(coach_name=coach_name, accent=DEFAULT_ACCENT, logo_type=None, logo_bytes=0)
    size = len(row.logo) if row.logo is not None else 0
    return BrandingView(coach_name=coach_name, accent=row.accent, logo_type=row.logo_type, logo_bytes=size)
