"""An admin's coach invitation, accepted in the browser: sign up with the invited e-mail, or sign
in as it and press the button."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import email_verification, vetting
from bumpwise.services.errors import ServiceError
from bumpwise.web.deps import Ctx, MaybePageUser, Now, PageUser
from bumpwise.web.pages.auth import signed_in
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter(prefix="/coach-invitation/{invitation}")


@router.get("", response_class=HTMLResponse)
def invitation(request: Request, invitation: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    email = vetting.invited_email(ctx.uow(), invitation, now)
    return page(
        request, user, "auth/coach_invitation.html", token=invitation, email=email, form={}, error=None
    )


@router.post("", response_class=HTMLResponse)
def sign_up_as_coach(request: Request, invitation: str, ctx: Ctx, form: FormData, now: Now) -> Response:
    email = vetting.invited_email(ctx.uow(), invitation, now)
    try:
        principal = vetting.sign_up_as_coach(
            ctx.uow(),
            ctx.rules,
            invitation=invitation,
            email=email,
            password=form.text("password"),
            display_name=form.text("display_name"),
            now=now,
        )
    except (InputError, ServiceError) as exc:
        form.pop("password", None)
        return page(
            request,
            None,
            "auth/coach_invitation.html",
            status=422,
            token=invitation,
            email=email,
            form=form,
            error=exc,
        )
    # the invitation link may have been passed on by hand, so it proves nothing about the mailbox
    email_verification.mail_confirmation(
        ctx.rules, ctx.mail_links, user_id=principal.user_id, email=principal.email, now=now
    )
    return signed_in(request, ctx, principal, "/coach?notice=coach", now)


@router.post("/accept")
def accept(invitation: str, user: PageUser, ctx: Ctx, now: Now) -> Response:
    vetting.accept_invitation(ctx.uow(), user, invitation, now)
    return RedirectResponse("/coach?notice=coach", status_code=303)
