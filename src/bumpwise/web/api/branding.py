"""A coach's branding for printed documents: accent colour and logo (PNG or JPEG, base64)."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Response

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.services import branding, reports
from bumpwise.services.branding import BrandingChange, BrandingView
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.web.api.contract import raises
from bumpwise.web.deps import ApiUser, Ctx, Now, Today
from bumpwise.web.downloads import attachment, printed_link

router = APIRouter(prefix="/coach/branding", tags=["coach"])


class BrandingInput(StrictInput):
    """Fields left out stay as they are."""

    accent: str | None = None
    """``#rrggbb`` or ``#rgb``."""
    logo_base64: str | None = None
    """A PNG or JPEG file, base64-encoded, up to 200 kB before encoding."""
    remove_logo: bool = False


@router.get("")
def my_branding(user: ApiUser, ctx: Ctx) -> BrandingView:
    return branding.my_branding(ctx.uow(), user)


@router.put("")
def update_branding(body: BrandingInput, user: ApiUser, ctx: Ctx, now: Now) -> BrandingView:
    logo = _decode(body.logo_base64) if body.logo_base64 is not None else None
    change = BrandingChange(accent=body.accent, logo=logo, remove_logo=body.remove_logo)
    return branding.update_branding(ctx.uow(), user, change, now)


@router.get("/logo", response_class=Response, responses=raises(404))
def logo(user: ApiUser, ctx: Ctx) -> Response:
    stored = branding.preview(ctx.uow(), user).logo
    if stored is None:
        raise NotFound(N_("no logo is set"), "logo")
    return Response(stored.data, media_type=stored.media_type)


@router.get("/sample.pdf", response_class=Response)
def sample(user: ApiUser, ctx: Ctx, today: Today, now: Now) -> Response:
    return attachment(reports.branding_sample(ctx.uow(), ctx.kb, user, today, now, link=printed_link(ctx)))


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError("logo_base64", N_("is not valid base64")) from exc
