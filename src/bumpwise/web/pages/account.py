"""The account: details, e-mail, password, sessions and API tokens, coaches, the audit log,
export and deletion."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import (
    account_data,
    accounts,
    branding,
    calendar,
    coaching,
    email_change,
    email_verification,
    reports,
)
from bumpwise.services.accounts import Credential
from bumpwise.services.errors import ServiceError
from bumpwise.services.principal import Principal
from bumpwise.web.deps import (
    Client,
    Ctx,
    MaybePageUser,
    Now,
    PageUser,
    Today,
    clear_session_cookie,
    session_token,
)
from bumpwise.web.downloads import attachment, printed_link
from bumpwise.web.idempotency import FormOnce
from bumpwise.web.pages.auth import with_retry_after
from bumpwise.web.pages.forms import FormData, LogoUpload
from bumpwise.web.params import RowId
from bumpwise.web.rendering import page, render_error

router = APIRouter()


def account_page(
    request: Request,
    user: Principal,
    ctx: Ctx,
    *,
    status: int = 200,
    error: Exception | None = None,
    new_token: str | None = None,
    calendar_url: str | None = None,
) -> Response:
    return page(
        request,
        user,
        "account/account.html",
        status=status,
        error=error,
        new_token=new_token,
        account=accounts.account(ctx.uow(), user),
        coaches=coaching.my_coaches(ctx.uow(), user) if user.is_member else [],
        tokens=accounts.list_api_tokens(ctx.uow(), user),
        sessions=accounts.list_web_sessions(ctx.uow(), user, datetime.now(UTC), session_token(request, ctx)),
        token_days=ctx.rules.tokens,
        calendar_url=calendar_url,
        has_calendar=calendar.has_feed(ctx.uow(), user) if user.is_member else False,
        branding=branding.preview(ctx.uow(), user) if user.is_coach else None,
        logo_limit_kb=branding.MAX_UPLOAD_BYTES // 1000,
    )


def _changed(
    request: Request, user: Principal, ctx: Ctx, change: Callable[[], object], notice: str
) -> Response:
    """An account setting changed: back to the account page saying so, or with what was wrong."""
    try:
        change()
    except (InputError, ServiceError) as exc:
        return account_page(request, user, ctx, status=422, error=exc)
    return RedirectResponse(f"/account?notice={notice}", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: PageUser, ctx: Ctx) -> Response:
    return account_page(request, user, ctx)


@router.post("/account/details", response_class=HTMLResponse)
def update_details(request: Request, user: PageUser, ctx: Ctx, form: FormData) -> Response:
    return _changed(
        request,
        user,
        ctx,
        lambda: accounts.update_details(
            ctx.uow(), user, display_name=form.optional("display_name"), language=form.optional("language")
        ),
        "saved",
    )


@router.post("/account/email", response_class=HTMLResponse)
def change_email(request: Request, user: PageUser, ctx: Ctx, form: FormData) -> Response:
    """Needs the current password; the change waits for the link sent to the new address."""
    return _changed(
        request,
        user,
        ctx,
        lambda: email_change.request_email_change(
            ctx.uow(),
            ctx.rules,
            user,
            ctx.mail_links,
            new_email=form.text("email"),
            password=form.text("current_password"),
        ),
        "email-sent",
    )


def _confirm_by_link(
    request: Request,
    user: Principal | None,
    template: str,
    token: str,
    confirm: Callable[[], object],
    done: str,
) -> Response:
    """A link mailed to confirm something: its page again with the error when refused, else ``done``."""
    try:
        confirm()
    except ServiceError as exc:
        return page(request, user, template, status=exc.status, token=token, error=exc)
    return RedirectResponse(done, status_code=303)


@router.get("/account/email/{token}", response_class=HTMLResponse)
def confirm_email_form(request: Request, token: str, user: MaybePageUser) -> Response:
    """The link from the e-mail: a button, so that a mail scanner opening links changes nothing."""
    return page(request, user, "account/email_confirm.html", token=token, error=None)


@router.post("/account/email/{token}", response_class=HTMLResponse)
def confirm_email(request: Request, token: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    return _confirm_by_link(
        request,
        user,
        "account/email_confirm.html",
        token,
        lambda: email_change.confirm_email_change(ctx.uow(), ctx.rules, token, now),
        "/signin?notice=email-changed",
    )


@router.post("/account/email-verification", response_class=HTMLResponse)
def resend_verification(request: Request, user: PageUser, ctx: Ctx, now: Now, client: Client) -> Response:
    """Mail the link that confirms the account's address again (limited like reset requests)."""
    try:
        email_verification.resend_confirmation(
            ctx.uow(), ctx.rules, user, ctx.mail_links, now=now, client=client
        )
    except ServiceError as exc:
        answer = account_page(request, user, ctx, status=exc.status, error=exc)
        return with_retry_after(answer, exc)
    return RedirectResponse("/account?notice=verification-sent", status_code=303)


@router.get("/confirm-email/{token}", response_class=HTMLResponse)
def confirm_address_form(request: Request, token: str, user: MaybePageUser) -> Response:
    """The link from the sign-up e-mail: a button, so that a mail scanner opening links confirms nothing."""
    return page(request, user, "account/email_verify.html", token=token, error=None)


@router.post("/confirm-email/{token}", response_class=HTMLResponse)
def confirm_address(request: Request, token: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    target = "/account" if user is not None else "/signin"
    return _confirm_by_link(
        request,
        user,
        "account/email_verify.html",
        token,
        lambda: email_verification.confirm_email(ctx.uow(), ctx.rules, token, now),
        f"{target}?notice=email-confirmed",
    )


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, user: PageUser, ctx: Ctx, form: FormData) -> Response:
    """Every other browser session and every API token ends; this browser stays signed in."""
    keep = Credential(session_token=session_token(request, ctx))
    return _changed(
        request,
        user,
        ctx,
        lambda: accounts.change_password(
            ctx.uow(),
            ctx.rules,
            user,
            current=form.text("current_password"),
            new=form.text("new_password"),
            keep=keep,
        ),
        "password",
    )


@router.post("/account/sessions/{session_id}/end")
def end_session(session_id: str, user: PageUser, ctx: Ctx, now: Now) -> Response:
    accounts.end_web_session_by_id(ctx.uow(), user, session_id, now)
    return RedirectResponse("/account?notice=session-ended#sessions", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(user: PageUser, ctx: Ctx) -> Response:
    """Every browser session (this one too) and every API token of the account ends."""
    accounts.sign_out_everywhere(ctx.uow(), user)
    response = RedirectResponse("/signin?notice=signed-out-everywhere", status_code=303)
    clear_session_cookie(response, ctx)
    return response


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    try:
        days = _whole_days(form.text("expires_in_days"))
        issued = accounts.create_api_token(
            ctx.uow(), user, form.text("name", "API token"), now, days=days, lifetime=ctx.rules.tokens
        )
    except InputError as exc:
        return account_page(request, user, ctx, status=422, error=exc)
    return account_page(request, user, ctx, new_token=issued.token)


def _whole_days(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError("expires_in_days", N_("must be a whole number of days"))
    return int(text)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    accounts.revoke_api_token(ctx.uow(), user, token_id)
    return RedirectResponse("/account?notice=saved", status_code=303)


@router.post("/account/coaches", response_class=HTMLResponse)
def grant_coach(
    request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now, once: FormOnce
) -> Response:
    def grant(uow: UnitOfWork) -> Response:
        coaching.accept_invite(uow, user, form.text("code"), now)
        return RedirectResponse("/account?notice=granted", status_code=303)

    try:
        return once.page(grant)
    except InputError as exc:
        return account_page(request, user, ctx, status=422, error=exc)


@router.post("/account/coaches/{coach_id}/revoke")
def revoke_coach(coach_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    coaching.revoke_coach(ctx.uow(), user, coach_id)
    return RedirectResponse("/account?notice=revoked", status_code=303)


@router.post("/account/branding", response_class=HTMLResponse)
def update_branding(
    request: Request, user: PageUser, ctx: Ctx, form: FormData, logo: LogoUpload, now: Now
) -> Response:
    change = branding.BrandingChange(
        accent=form.get("accent"), logo=logo, remove_logo=form.get("remove_logo") == "on"
    )
    try:
        branding.update_branding(ctx.uow(), user, change, now)
    except InputError as exc:
        return account_page(request, user, ctx, status=422, error=exc)
    return RedirectResponse("/account?notice=saved#branding", status_code=303)


@router.get("/account/branding/sample.pdf")
def branding_sample(user: PageUser, ctx: Ctx, day: Today, now: Now) -> Response:
    """A one-page sample with the coach's name, logo and colour, to check before clients print."""
    return attachment(reports.branding_sample(ctx.uow(), ctx.kb, user, day, now, link=printed_link(ctx)))


@router.get("/account/audit", response_class=HTMLResponse)
def audit(request: Request, user: PageUser, ctx: Ctx) -> Response:
    return page(request, user, "account/audit.html", entries=coaching.my_audit(ctx.uow(), user))


@router.get("/account/export")
def export(user: PageUser, ctx: Ctx, now: Now) -> Response:
    data = account_data.export_account(ctx.uow(), user, now)
    return Response(
        json.dumps(data.model_dump(mode="json"), indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="bumpwise-export.json"'},
    )


@router.get("/account/delete", response_class=HTMLResponse)
def delete_form(request: Request, user: PageUser) -> Response:
    return page(request, user, "account/delete.html", error=None)


@router.post("/account/delete", response_class=HTMLResponse)
def delete(request: Request, user: PageUser, ctx: Ctx, form: FormData) -> Response:
    try:
        account_data.delete_account(ctx.uow(), ctx.rules, user, password=form.text("password"))
    except ServiceError as exc:
        return page(request, user, "account/delete.html", status=exc.status, error=exc)
    response = RedirectResponse("/?notice=deleted", status_code=303)
    clear_session_cookie(response, ctx)
    return response


@router.get("/invite/{code}", response_class=HTMLResponse)
def invite(request: Request, code: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    """Follow a coach's invite link: see who is asking, then grant access (or not). A visitor is
    offered to sign up or sign in, and comes back here afterwards (the invite is kept in ``next``)."""
    try:
        coach = coaching.invite_coach(ctx.uow(), code, now)
    except InputError as exc:
        return render_error(request, 404, exc.message)
    back = quote(f"/invite/{code}", safe="")
    return page(request, user, "account/invite.html", coach=coach, code=code, back=back)
