"""The reminders page (``/account/reminders``), and the one-click unsubscribe of reminder and
summary e-mails (``/unsubscribe/mail/{token}``: no session or CSRF, the signed token is the
credential, so mail clients can POST it as RFC 8058 asks)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.errors import InputError
from bumpwise.services import reminders
from bumpwise.services.inputs import validated
from bumpwise.web.deps import Ctx, MaybePageUser, Now, PageUser
from bumpwise.web.pages.forms import FormData
from bumpwise.web.rendering import page

router = APIRouter(prefix="/account/reminders")
link_router = APIRouter(prefix=reminders.UNSUBSCRIBE_PATH + "{mail_token}", include_in_schema=False)
TICKED = ("email_reminders", "weekly_summary")


def _form_page(
    request: Request, user: PageUser, form: Mapping[str, object], error: InputError | None, status: int = 200
) -> Response:
    return page(
        request,
        user,
        "account/reminders.html",
        status=status,
        form=form,
        error=error,
        zones=sorted(reminders.time_zones()),
        alarms=reminders.ALARM_CHOICES,
    )


@router.get("", response_class=HTMLResponse)
def reminders_form(request: Request, user: PageUser, ctx: Ctx) -> Response:
    view = reminders.reminder_settings(ctx.uow(), user)
    form = view.model_dump()
    form["session_time"] = view.session_time.strftime("%H:%M")
    return _form_page(request, user, form, None)


@router.post("", response_class=HTMLResponse)
def save(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    entry: dict[str, object] = {**form, **{name: form.get(name) == "on" for name in TICKED}}
    entry["alarm_minutes_before"] = form.optional("alarm_minutes_before")
    try:
        reminders.save_reminders(ctx.uow(), user, validated(reminders.ReminderInput, entry), now)
    except InputError as exc:
        return _form_page(request, user, form, exc, status=422)
    return RedirectResponse("/account/reminders?notice=reminders", status_code=303)


@link_router.get("", response_class=HTMLResponse)
def confirm_page(request: Request, mail_token: str, user: MaybePageUser, ctx: Ctx) -> Response:
    kind = reminders.unsubscribe_kind(ctx.settings.secret_key, mail_token)
    words = reminders.KIND_WORDS[kind]
    return page(request, user, "account/mail_unsubscribe.html", token=mail_token, words=words, done=False)


@link_router.post("", response_class=HTMLResponse)
def unsubscribe(request: Request, mail_token: str, user: MaybePageUser, ctx: Ctx, now: Now) -> Response:
    kind = reminders.unsubscribe(ctx.uow(), ctx.settings.secret_key, mail_token, now)
    words = reminders.KIND_WORDS[kind]
    return page(request, user, "account/mail_unsubscribe.html", token=mail_token, words=words, done=True)
