"""Sign up, sign in and out, and reset a forgotten password."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import accounts, password_reset, registration, signin_limits
from bumpwise.services.errors import RateLimited, ServiceError
from bumpwise.services.principal import Principal, Role
from bumpwise.web.deps import (
    Client,
    Ctx,
    MaybePageUser,
    Now,
    clear_session_cookie,
    device_cookie,
    session_token,
    set_device_cookie,
    set_session_cookie,
)
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter()


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never a redirect to another one."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def signed_in(request: Request, ctx: Ctx, principal: Principal, target: str, now: Now) -> Response:
    agent = request.headers.get("user-agent", "")
    token = accounts.start_web_session(ctx.uow(), ctx.rules, principal.user_id, now, agent)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, ctx, token)
    set_device_cookie(response, ctx, signin_limits.device_proof(ctx.rules.secret, principal.email, now))
    return response


def with_retry_after(response: Response, exc: Exception) -> Response:
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _empty_form(request: Request, user: Principal | None, template: str) -> Response:
    """A sign-up or sign-in form that leads back to the page that sent the person (``next``)."""
    target = _safe_next(request.query_params.get("next"))
    return page(request, user, template, form={"next": target or ""}, error=None)


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: MaybePageUser) -> Response:
    return _empty_form(request, user, "auth/signup.html")


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, ctx: Ctx, form: FormData, now: Now, client: Client) -> Response:
    """Members only (a form asking for another role gets a 422 naming ``role``). A taken e-mail is
    answered like a new one (its owner is told by e-mail), minus the session."""
    try:
        language = accounts.clean_language(form.text("language"))
        account = registration.NewAccount(
            email=form.text("email"),
            password=form.text("password"),
            display_name=form.text("display_name"),
            role=str(form.get("role", Role.MEMBER.value)),
        )
        principal = registration.register(
            ctx.uow(), ctx.rules, account, ctx.mail_links, client=client, now=now
        )
    except (InputError, ServiceError) as exc:
        form.pop("password", None)
        status = exc.status if isinstance(exc, RateLimited) else 422
        answer = page(request, None, "auth/signup.html", status=status, form=form, error=exc)
        return with_retry_after(answer, exc)
    target = _safe_next(form.optional("next")) or "/onboarding"
    if principal is None:
        return RedirectResponse(target, status_code=303)
    if language is not None:
        accounts.update_details(ctx.uow(), principal, display_name=None, language=language)
    return signed_in(request, ctx, principal, target, now)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, user: MaybePageUser) -> Response:
    return _empty_form(request, user, "auth/signin.html")


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, ctx: Ctx, form: FormData, now: Now, client: Client) -> Response:
    try:
        principal = accounts.authenticate(
            ctx.uow(),
            ctx.rules,
            email=form.text("email"),
            password=form.text("password"),
            client=client,
            now=now,
            device=request.cookies.get(device_cookie(ctx)),
        )
    except ServiceError as exc:
        form.pop("password", None)
        answer = page(request, None, "auth/signin.html", status=exc.status, form=form, error=exc)
        return with_retry_after(answer, exc)
    default = {Role.COACH: "/coach", Role.ADMIN: "/admin"}.get(principal.role, "/today")
    return signed_in(request, ctx, principal, _safe_next(form.optional("next")) or default, now)


@router.post("/signout")
def signout(request: Request, ctx: Ctx) -> Response:
    token = session_token(request, ctx)
    if token:
        accounts.end_web_session(ctx.uow(), token)
    response = RedirectResponse("/signin?notice=signed-out", status_code=303)
    clear_session_cookie(response, ctx)
    # The offline copy of the plan (service worker cache, queued posts) leaves with the person.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.get("/reset", response_class=HTMLResponse)
def reset_request_form(request: Request) -> Response:
    return page(request, None, "auth/reset_request.html")


@router.post("/reset")
def reset_request(ctx: Ctx, form: FormData, now: Now, client: Client) -> Response:
    password_reset.request_reset(
        ctx.uow(), ctx.rules, ctx.mail_links, email=form.text("email"), now=now, client=client
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
            ctx.uow(), ctx.rules, token=token, password=form.text("password"), now=now
        )
    except (InputError, ServiceError) as exc:
        return page(request, None, "auth/reset.html", status=422, token=token, valid=True, error=exc)
    return RedirectResponse("/signin?notice=reset-done", status_code=303)
