"""HTML rendering: the Jinja2 environment, its helpers, and ``page()`` for every page route."""

from __future__ import annotations

import re
import secrets
from collections.abc import MutableMapping
from contextvars import ContextVar
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bumpwise.domain import catalog
from bumpwise.domain.articles import Article
from bumpwise.domain.catalog import N_, gettext
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.locale import current_language, language_names, supported_languages
from bumpwise.domain.plain_words import plain, plain_sentence
from bumpwise.domain.purposes import purposes
from bumpwise.domain.vocab import Delivery, StageKind
from bumpwise.services import figures
from bumpwise.services.principal import Principal
from bumpwise.web import csrf
from bumpwise.web.context import AppContext

FIELD_LABELS = {
    "to_exercise": N_("Swap to:"),
    "from_exercise": N_("Replace:"),
    "due_date": N_("Due date:"),
    "birth_date": N_("Birth date:"),
    "display_name": N_("Name:"),
    "rpe": N_("Effort (RPE):"),
    "csrf_token": "",
    "again": "",
    "session_date": N_("Day:"),
    "session_kind": N_("Session:"),
    "minutes": N_("Minutes:"),
    "items_done": N_("Exercises done:"),
    "records": N_("What you did:"),
    "notes": N_("Notes:"),
    "note": N_("Note:"),
    "warning_signs": N_("Warning signs:"),
    "symptoms": N_("Symptoms:"),
    "conditions": N_("Health questions:"),
    "stage_kind": N_("Where you are now:"),
    "delivery": N_("How the birth was:"),
    "activity_level": N_("How active you were:"),
    "equipment": N_("Equipment:"),
    "days_per_week": N_("Days a week:"),
    "minutes_per_session": N_("Minutes a session:"),
    "age": N_("Age:"),
    "email": N_("E-mail:"),
    "password": N_("Password:"),
    "q": N_("Search:"),
    "pattern": N_("Movement:"),
    "muscle": N_("Muscle:"),
    "position": N_("Position:"),
    "impact": N_("Impact:"),
    "code": N_("Invite code:"),
}
"""A form field's label for its error message (a list index or sub-field is dropped)."""


def field_label(field: object) -> str:
    """``records[0].weight_kg`` -> "What you did:"; an unknown name in plain words, capitalised."""
    name = re.split(r"[\[.]", str(field), maxsplit=1)[0]
    if name in FIELD_LABELS:
        return gettext(FIELD_LABELS[name]) if FIELD_LABELS[name] else ""
    words = name.replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]}:" if words else ""


NOTICES = {
    "logged": N_("Session logged. Well done."),
    "checked-in": N_("Thank you for checking in. Your plan takes it into account."),
    "adapted": N_("Thank you. Your next sessions have been adapted to what you told us."),
    "resolved": N_("Glad it has been checked. Your plan has resumed."),
    "saved": N_("Saved."),
    "log-edited": N_("Log corrected. The change is in your audit log."),
    "log-deleted": N_("Log deleted. Your audit log keeps a line saying what it was."),
    "reminders": N_("Reminder settings saved."),
    "shared": N_("Shared: your client sees it on their Today page."),
    "password": N_("Your password has been changed. Every other browser and API token is signed out."),
    "email-sent": N_("If that address can be used, a link is on its way to it: open it to make the change."),
    "email-changed": N_("Your e-mail has been changed. Sign in with the new one from now on."),
    "verification-sent": N_("A new confirmation link is on its way to your e-mail."),
    "email-confirmed": N_("Thank you: your e-mail address is confirmed."),
    "session-ended": N_("That browser has been signed out."),
    "signed-out-everywhere": N_("You are signed out everywhere: every browser and every API token."),
    "granted": N_("Your coach can now see your plan, logs and symptoms."),
    "revoked": N_("That coach can no longer see your data."),
    "token": N_("Token created: copy it now, it will not be shown again."),
    "signed-out": N_("You are signed out."),
    "reset-sent": N_("If that e-mail has an account, a reset link is on its way."),
    "reset-done": N_("Your password has been reset. Sign in with the new one."),
    "swapped": N_("Swap saved. The client's plan now uses it."),
    "unswapped": N_("Swap removed."),
    "confirmed": N_("Attributes confirmed."),
    "written": N_(
        "Saved to your library. Check each safety attribute: until you confirm one, no plan uses it."
    ),
    "imported": N_(
        "Imported. Review each exercise's safety attributes: until you confirm one, no plan uses it."
    ),
    "invite": N_("Invite created."),
    "deleted": N_("Your account and all of its data have been deleted."),
    "calendar-off": N_("Your calendar address no longer works."),
    "coach": N_("Welcome: your account is now a coach account."),
    "unsubscribe-sent": N_("If that address is on one of our lists, a message with the links is on its way."),
}


def template_dir() -> Path:
    return Path(str(files("bumpwise.web") / "templates"))


def make_templates(kb: KnowledgeBase) -> Jinja2Templates:
    """The page templates. ``kb`` is the English knowledge base; every page reads the knowledge
    in the language of its request (bumpwise.domain.locale)."""
    from bumpwise.exports import pdf

    templates = Jinja2Templates(directory=[template_dir(), pdf.template_dir()])
    env = templates.env

    def knowledge() -> KnowledgeBase:
        lang = current_language()
        return kb if lang == kb.lang else default_knowledge(lang)

    pdf.register_filters(env, knowledge)
    catalog.install(env)
    env.filters["words"] = plain
    env.filters["plain"] = plain_sentence
    env.filters["readable"] = readable
    env.globals["why_for"] = lambda *args: purposes().why(*args)
    env.filters["day"] = _day
    env.filters["date_long"] = _date_long
    env.filters["label"] = field_label
    env.filters["when"] = _when
    env.filters["number"] = catalog.format_number
    env.globals["source_of"] = lambda source_id: kb.sources.get(source_id)  # titles stay as published
    env.globals["page_language"] = current_language
    env.globals["message_in_language"] = lambda message: catalog.gettext(str(message))
    env.globals["languages"] = supported_languages
    env.globals["language_names"] = language_names
    env.globals["language_url"] = language_url
    env.globals["new_idempotency_key"] = new_idempotency_key
    env.globals["figure_url"] = lambda *args, **kw: figures.figure_url(knowledge(), *args, **kw)
    env.globals["figure_alt"] = lambda *args, **kw: figures.figure_alt(knowledge(), *args, **kw)
    _add_article_links(env.globals)
    return templates


FRESH_VALUES: ContextVar[list[str] | None] = ContextVar("fresh_values", default=None)
"""While a page is rendered to be kept (web/hot.py): the idempotency keys it drew."""


def new_idempotency_key() -> str:
    """A fresh key for a form (``_macros.html``, ``once()``); noted when the page will be kept, so
    each later answer gets keys of its own."""
    key = secrets.token_urlsafe(24)
    drawn = FRESH_VALUES.get()
    if drawn is not None:
        drawn.append(key)
    return key


def _add_article_links(globals_: MutableMapping[str, object]) -> None:
    """Articles that answer the question an exercise, a rule or a warning sign raises."""
    from bumpwise.domain.articles import default_library

    globals_["articles_for_exercise"] = lambda exercise_id: default_library().for_exercise(exercise_id)
    globals_["articles_for_rule"] = lambda rule_id: default_library().for_rule(rule_id)
    globals_["articles_for_warning_signs"] = lambda ids: default_library().for_warning_signs(ids)


def language_url(request: Request, code: str | None) -> str:
    """This page's address in a language (its ``lang`` parameter set), or without one (``None``:
    the ``x-default`` that follows the browser)."""
    url = request.url.remove_query_params("lang")
    return str(url if code is None else url.include_query_params(lang=code))


def readable(articles: list[Article], stage: object, delivery: object = None) -> list[Article]:
    """The articles a reader at ``stage`` (after a ``delivery``) should be pointed to; every one
    when the page does not know the reader (``stage`` undefined or None)."""
    if not isinstance(stage, str) or stage not in set(StageKind):
        return list(articles)
    birth = Delivery(delivery) if isinstance(delivery, str) and delivery in set(Delivery) else None
    return [a for a in articles if a.is_for_reader(StageKind(stage), birth)]


def _day(value: date | str | None) -> str:
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return catalog.format_day(day)


def _date_long(value: date | str | None) -> str:
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return catalog.format_long_date(day)


def _when(value: datetime | None) -> str:
    return "" if value is None else catalog.format_moment(value)


def ctx_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def page(
    request: Request, principal: Principal | None, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    ctx = ctx_of(request)
    found = NOTICES.get(request.query_params.get("notice", ""))
    notice = gettext(found) if found else None
    response = ctx.templates.TemplateResponse(
        request,
        name,
        {"principal": principal, "csrf_token": csrf.csrf_token(request, ctx), "notice": notice, **context},
        status_code=status,
    )
    csrf.attach_cookie(request, response, ctx)
    return response


ERROR_TITLES = {
    400: N_("That request could not be read"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not available here"),
    409: N_("This changed meanwhile"),
    413: N_("Too large"),
    422: N_("Please check your answers"),
    429: N_("Too many tries"),
}


def render_error(request: Request, status: int, message: str, field: str = "") -> HTMLResponse:
    """An error page with the menu of whoever is signed in, a title for the status and the
    message as a sentence (a message that starts with its verb gets the field's name first)."""
    return page(
        request,
        _signed_in(request),
        "error.html",
        status=status,
        status_code=status,
        title=gettext(ERROR_TITLES.get(status, N_("Something went wrong"))),
        message=as_sentence(message, field),
        field=field,
    )


FRAGMENT_STARTS = ("is ", "are ", "must ", "has ", "was ", "does ", "cannot ")


def as_sentence(message: str, field: str = "") -> str:
    """'there is nothing at this address' -> 'There is nothing at this address.';
    ('is not an article', 'article') -> 'Article is not an article.'"""
    text = message.strip()
    if not text:
        return gettext("Something went wrong on our side. Please try again.")
    name = field_label(field).rstrip(":")
    fragment = text.startswith(FRAGMENT_STARTS)  # decided on the English, then translated
    text = gettext(text)
    if name and fragment:
        text = f"{name} {text}"
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _signed_in(request: Request) -> Principal | None:
    from datetime import UTC

    from bumpwise.web.deps import optional_page_principal

    try:
        return optional_page_principal(request, ctx_of(request), datetime.now(UTC))
    except Exception:  # an error page must render even when the session lookup fails
        return None
