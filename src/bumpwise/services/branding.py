"""A coach's branding on the documents their clients print: an accent colour and a logo.

Set on the coach's account page or through the API; used by ``services.reports`` for every PDF
of a member who has granted the coach access. A logo is taken only as PNG or JPEG, by content,
and kept small because it is stored in the database and embedded in each PDF.
"""

from __future__ import annotations

import struct
import zlib
from datetime import datetime

from PIL import ImageFile
from pydantic import BaseModel

from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.exports.branding import DEFAULT_ACCENT, Branding, Logo, normalise_accent
from bumpwise.persistence.models import CoachBranding
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.principal import Principal, Role, require_role

MAX_UPLOAD_BYTES = 200_000
"""Under the app's request size limit, with room for the form around it."""
MAX_LOGO_SIDE = 2000
"""Pixels, either side: a logo prints a few centimetres wide, and every PDF decodes it again, so a
tiny file declaring a huge image (a 13,000 × 13,000 1-bit PNG is 20 kB) must not get in."""


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
        raise InputError("logo", _("is larger than %(size)s kB", size=MAX_UPLOAD_BYTES // 1000))
    logo = Logo.from_upload(data)
    _check_image(logo.data)
    return logo


def _check_image(data: bytes) -> None:
    """Read the declared size from the header and refuse a large one before any decoding; then
    decode every pixel, so a valid signature followed by junk is refused too."""
    width, height = _declared_size(data)
    if max(width, height) > MAX_LOGO_SIDE:
        raise InputError(
            "logo",
            _(
                "is %(width)s × %(height)s pixels; at most %(side)s × %(side)s are taken",
                width=width,
                height=height,
                side=MAX_LOGO_SIDE,
            ),
        )
    if data.startswith(PNG_SIGNATURE):
        _check_png_chunks(data)
    try:
        parser = ImageFile.Parser()
        parser.feed(data)
        image = parser.close()
    except (OSError, SyntaxError, ValueError, struct.error, zlib.error) as exc:
        raise _unreadable() from exc
    if image.size != (width, height):
        raise _unreadable()


def _check_png_chunks(data: bytes) -> None:
    """Every chunk whole and with a right checksum, up to IEND. Pillow cannot be asked to do this
    strictly here: WeasyPrint switches on its global ``LOAD_TRUNCATED_IMAGES``."""
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind_and_body = data[position + 4 : position + 8 + length]
        checksum = data[position + 8 + length : position + 12 + length]
        if len(checksum) != 4 or struct.unpack(">I", checksum)[0] != zlib.crc32(kind_and_body):
            raise _unreadable()
        if kind_and_body[:4] == b"IEND":
            return
        position += 12 + length
    raise _unreadable()


def _unreadable() -> InputError:
    return InputError("logo", N_("is not a readable PNG or JPEG image (the file is damaged or incomplete)"))


def _declared_size(data: bytes) -> tuple[int, int]:
    """Width and height as the file's header states them (PNG's IHDR, JPEG's start of frame)."""
    if data.startswith(PNG_SIGNATURE):
        if data[12:16] != b"IHDR" or len(data) < 24:
            raise _unreadable()
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return _jpeg_size(data)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (the ones that carry the image size); C4, C8 and CC are other tables."""


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            raise _unreadable()
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise _unreadable()


def _view(coach_name: str, row: CoachBranding | None) -> BrandingView:
    if row is None:
        return BrandingView(coach_name=coach_name, accent=DEFAULT_ACCENT, logo_type=None, logo_bytes=0)
    size = len(row.logo) if row.logo is not None else 0
    return BrandingView(coach_name=coach_name, accent=row.accent, logo_type=row.logo_type, logo_bytes=size)
