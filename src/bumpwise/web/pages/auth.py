"""Sign up, sign in and out, and reset a forgotten password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import accounts, password_reset
from bumpwise.services.errors import ServiceError
from bumpwise.services.principal import Principal, Role
from bumpwise.web.deps import Ctx, MaybePageUser, Now, client_address, session_cookie
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter()
Client = Annotated[str, Depends(client_address)]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never a redirect to another one."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def signed_in(ctx: Ctx, principal: Principal, target: str, now: Now) -> Response:
    token = accounts.start_web_session(ctx.uow(), ctx.rules, principal.user_id, now)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        session_cookie(ctx),
        token,
        max_age=ctx.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=ctx.settings.secure_cookies,
        path="/",
    )
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: MaybePageUser) -> Response:
    return page(request, user, "auth/signup.html", form={}, error=None)


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, ctx: Ctx, form: FormData, now: Now) -> Response:
    """Members only: a form asking for another role gets a 422 naming ``role``."""
    try:
        principal = accounts.sign_up(
            ctx.uow(),
            ctx.rules,
            email=form.get("email", ""),
            password=form.get("password", ""),
            display_name=form.get("display_name", ""),
            role=str(form.get("role", Role.MEMBER.value)),
            now=now,
        )
    except (InputError, ServiceError) as exc:
        form.pop("password", None)
        return page(request, None, "auth/signup.html", status=422, form=form, error=exc)
    return signed_in(ctx, principal, "/onboarding", now)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, user: MaybePageUser) -> Response:
    target = _safe_next(request.query_params.get("next"))
    return page(request, user, "auth/signin.html", form={"next": target or ""}, error=None)


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, ctx: Ctx, form: FormData, now: Now, client: Client) -> Response:
    try:
        principal = accounts.authenticate(
            ctx.uow(),
            ctx.rules,
            email=form.get("email", ""),
            password=form.get("password", ""),
            client=client,
            now=now,
        )
    except ServiceError as exc:
        form.pop("password", None)
        return page(request, None, "auth/signin.html", status=exc.status, form=form, error=exc)
    default = {Role.COACH: "/coach", Role.ADMIN: "/admin"}.get(principal.role, "/today")
    return signed_in(ctx, principal, _safe_next(form.get("next")) or default, now)


@router.post("/signout")
def signout(request: Request, ctx: Ctx) -> Response:
    token = request.cookies.get(session_cookie(ctx))
    if token:
        accounts.end_web_session(ctx.uow(), token)
    response = RedirectResponse("/signin?notice=signed-out", status_code=303)
    response.delete_cookie(session_cookie(ctx), path="/")
    return response


@router.get("/reset", response_class=HTMLResponse)
def reset_request_form(request: Request) -> Response:
    return page(request, None, "auth/reset_request.html")


@router.post("/reset")
def reset_request(ctx: Ctx, form: FormData, now: Now) -> Response:
    password_reset.request_reset(
        ctx.uow(),
        ctx.rules,
        email=form.get("email", ""),
        base_url=ctx.settings.base_url,
        deliver=ctx.deliver,
        now=now,
    )
    return RedirectResponse("/signin?notice=reset-sent", status_code=303)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, ctx: Ctx, now: Now) -> Response:
    valid = password_reset.reset_is_valid(ctx.uow(), token, now)
    return page(request, None, "auth/reset.html", token=token, valid=valid, error=None)


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset(request: Request, token: str, ctx: Ctx, form: FormData, now: Now) -> Response:
    try:
        password_reset.reset_password(
            ctx.uow(), ctx.rules, token=token, password=form.get("password", ""), now=now
        )
    except (InputError, ServiceError) as exc:
        return page(request, None, "auth/reset.html", status=422, token=token, valid=True, error=exc)
    return RedirectResponse("/signin?notice=reset-done", status_code=303)
