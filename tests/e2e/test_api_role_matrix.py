"""Who may read and write what: every route of the app (API and pages), walked with every role.

Each route is classified below by the outcome for each role, in this order:

    anonymous, member, other member, coach with the member's grant, coach without it, admin

``o`` allowed (2xx/3xx, and a page does not bounce to sign-in), ``a`` refused for want of a sign-in
(API 401, page 303 to /signin), ``f`` forbidden for the role (403), ``n`` not found for this caller
(404: someone else's object), ``x`` refused as not meant for this caller (422: a coach invitation
for another e-mail), ``p`` public (anyone; never 401/403).

A route missing from the table fails the test, so a new route cannot skip the matrix. Every
route runs against a fresh world: the member (with a coach's grant, a warning-sign check-in, a
swap, a spare token), another member, both coaches, an admin, an invite, a reset link, an
imported exercise (the granted coach's), an admin's coach invitation for the member's e-mail,
and a lead on the granted coach's page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from bumpwise.services import (
    accounts,
    clients,
    coach_articles,
    coach_library,
    coaching,
    imports,
    leads,
    reminders,
    sessions,
    symptoms,
    vetting,
)
from bumpwise.services.coach_articles import CoachArticleInput
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from dbsupport import PASSWORD, empty_tables, new_account, onboarded_member, reset_token, unique_email
from websupport import CSRF_VALUE, ctx_of, form_token

WGER_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wger_sample.json"
ROLES = ("anonymous", "member", "other_member", "coach", "coach_without_grant", "admin")
Body = Callable[["World"], dict[str, Any]]


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]
    principals: dict[str, Principal]
    spare_token_id: int
    report_id: int
    swap_id: int
    import_id: int
    entry_id: int
    invite_code: str
    reset_token: str
    coach_invitation: str
    coach_invitation_id: int
    handle: str
    lead_token: str
    confirm_token: str
    coach_article_id: int
    log_id: int
    mail_token: str

    def fill(self, path: str) -> str:
        values = {
            "token_id": self.spare_token_id,
            "report_id": self.report_id,
            "coach_id": self.ids["coach"],
            "member_id": self.ids["member"],
            "swap_id": self.swap_id,
            "import_id": self.import_id,
            "entry_id": self.entry_id,
            "user_id": self.ids["member"],
            "exercise_id": "glute-bridge",
            "code": self.invite_code,
            "token": self.reset_token,
            "export": "week.pdf",
            "invitation_id": self.coach_invitation_id,
            "invitation": self.coach_invitation,
            "handle": self.handle,
            "lead_token": self.lead_token,
            "confirm_token": self.confirm_token,
            "article_id": self.coach_article_id,
            "log_id": self.log_id,
            "mail_token": self.mail_token,
            # a bumpwise article, and the coach's published article of the same name
            "slug": "warning-signs",
            "tag": "safety",
            "session_id": "0" * 16,
        }
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        return path


def build_world(app: FastAPI) -> World:
    ctx = ctx_of(app)
    uow, rules, now, kb = ctx.uow(), ctx.rules, datetime.now(UTC), ctx.kb
    member = onboarded_member(uow, rules, name="Member")
    other = onboarded_member(uow, rules, name="Other")
    coach = new_account(uow, rules, "coach", "Coach")
    stranger = new_account(uow, rules, "coach", "Stranger")
    admin = new_account(uow, rules, "admin", "Admin")
    people = {
        "member": member,
        "other_member": other,
        "coach": coach,
        "coach_without_grant": stranger,
        "admin": admin,
    }
    tokens = {role: accounts.create_api_token(uow, p, "t", now).token for role, p in people.items()}
    spare = accounts.create_api_token(uow, member, "spare", now).details.id
    invite = coaching.create_invite(uow, coach, now)
    coaching.accept_invite(uow, member, invite.code, now)
    report = symptoms.check_in(
        uow, kb, member, validated(symptoms.CheckInInput, {"warning_signs": ["headache"]}), now
    )
    swap = clients.add_swap(
        uow,
        kb,
        coach,
        member.user_id,
        validated(clients.SwapInput, {"from_exercise": "goblet-squat", "to_exercise": "bodyweight-squat"}),
        date.today(),
        now,
    )
    rows = imports.batch_from(
        [{"source": "test", "source_id": "x1", "name": "Imported squat", "position": "standing"}]
    )
    imports.store_imports(uow, coach, rows, now)
    import_id = imports.list_imports(uow, coach)[0].id
    coach_library.import_uploaded(uow, coach, [("wger_sample.json", WGER_SAMPLE.read_bytes())], "wger", now)
    entry_id = coach_library.library(uow, coach, limit=1)[0].id
    reset = reset_token(uow, rules, member.email, now)
    invitation = vetting.invite_coach(
        uow, admin, email=member.email, base_url="", deliver=lambda *m: None, now=now
    )
    page = leads.own_page(uow, coach, now)
    mailed: list[str] = []
    opt_in = leads.start_opt_in(
        uow,
        email="lead@example.org",
        page=page,
        answers={"weeks": 20},
        now=now,
        base_url="",
        deliver=lambda *m: mailed.append(m[2]),
    )
    confirm_token = mailed[0].split("/free-workout/confirm/")[1].split()[0]
    article = coach_articles.save_article(uow, coach, validated(CoachArticleInput, _article(None)), now)
    entry = validated(sessions.LogInput, _log(None))
    log = sessions.log_session(uow, kb, member, entry, date.today(), now)
    return World(
        ids={role: p.user_id for role, p in people.items()},
        tokens=tokens,
        principals=people,
        spare_token_id=spare,
        report_id=report.report.id,
        swap_id=swap.id,
        import_id=import_id,
        entry_id=entry_id,
        invite_code=invite.code,
        reset_token=reset,
        coach_invitation=invitation.link.rsplit("/", 1)[-1],
        coach_invitation_id=invitation.details.id,
        handle=page.handle,
        lead_token=opt_in.unsubscribe_path.rsplit("/", 1)[-1],
        confirm_token=confirm_token,
        coach_article_id=article.id,
        log_id=log.id,
        mail_token=reminders.unsubscribe_token(ctx.settings.secret_key, member.user_id, "reminder"),
    )


def _details(w: World) -> dict[str, Any]:
    due = date.fromordinal(date.today().toordinal() + 100).isoformat()
    return {"stage_kind": "pregnant", "due_date": due, "activity_level": "active"}


def _log(w: World | None) -> dict[str, Any]:
    return {"session_date": date.today().isoformat(), "session_kind": "cardio", "minutes": 20}


def _confirm(w: World) -> dict[str, Any]:
    return {
        "position": "standing",
        "asymmetric_lower_body": False,
        "wide_stance": False,
        "impact": "low",
        "spinal_flexion": False,
    }


def _signup(w: World) -> dict[str, Any]:
    return {"email": unique_email(), "password": PASSWORD, "display_name": "New"}


def _member_credentials(w: World) -> dict[str, Any]:
    return {"email": w.principals["member"].email, "password": PASSWORD}


def _no_body(w: World) -> dict[str, Any]:
    return {}


def _article(w: World | None) -> dict[str, Any]:
    return {
        "title": "Warning signs",
        "summary": "When to stop and call your midwife.",
        "tags": ["safety"],
        "stages": ["pregnant"],
        "body": "Stop and call if you bleed, leak fluid or feel regular painful contractions.",
        "publish": True,
    }


Row = tuple[str, Body]
MATRIX: dict[tuple[str, str], Row] = {
    # --- API ---
    ("GET", "/api/v1/openapi.json"): ("pppppp", _no_body),
    ("POST", "/api/v1/auth/signup"): ("pppppp", _signup),
    ("POST", "/api/v1/auth/tokens"): ("pppppp", _member_credentials),
    ("POST", "/api/v1/auth/password-reset"): ("pppppp", lambda w: {"email": w.principals["member"].email}),
    ("POST", "/api/v1/auth/password-reset/confirm"): (
        "pppppp",
        lambda w: {"token": "x", "password": PASSWORD},
    ),
    ("GET", "/api/v1/me"): ("aooooo", _no_body),
    ("PATCH", "/api/v1/me"): ("aooooo", lambda w: {"display_name": "Renamed"}),
    ("POST", "/api/v1/me/password"): (
        "aooooo",
        lambda w: {"current_password": PASSWORD, "new_password": PASSWORD},
    ),
    ("POST", "/api/v1/auth/email-change/confirm"): ("pppppp", lambda w: {"token": "x"}),
    ("POST", "/api/v1/auth/email-verification/confirm"): ("pppppp", lambda w: {"token": "x"}),
    # every account in this world is unconfirmed, so each may ask for the link again
    ("POST", "/api/v1/me/email/verification"): ("aooooo", _no_body),
    ("GET", "/api/v1/me/sessions"): ("aooooo", _no_body),
    # nobody has a session with this id
    ("DELETE", "/api/v1/me/sessions/{session_id}"): ("annnnn", _no_body),
    ("POST", "/api/v1/me/sign-out-everywhere"): ("aooooo", _no_body),
    ("GET", "/api/v1/me/tokens"): ("aooooo", _no_body),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): ("aonnnn", _no_body),
    ("GET", "/api/v1/me/export"): ("aooooo", _no_body),
    ("POST", "/api/v1/me/delete"): ("aooooo", lambda w: {"password": PASSWORD}),
    ("GET", "/api/v1/me/profile"): ("aoofff", _no_body),
    ("PUT", "/api/v1/me/profile/details"): ("aoofff", _details),
    ("PUT", "/api/v1/me/profile/screening"): ("aoofff", lambda w: {"conditions": []}),
    ("GET", "/api/v1/me/screening"): ("aoofff", _no_body),
    ("GET", "/api/v1/me/today"): ("aoofff", _no_body),
    ("GET", "/api/v1/me/week"): ("aoofff", _no_body),
    ("GET", "/api/v1/me/logs"): ("aoofff", _no_body),
    ("POST", "/api/v1/me/logs"): ("aoofff", _log),
    ("GET", "/api/v1/me/logs/{log_id}"): ("aonfff", _no_body),
    ("PATCH", "/api/v1/me/logs/{log_id}"): ("aonfff", lambda w: {"rpe": 13}),
    ("DELETE", "/api/v1/me/logs/{log_id}"): ("aonfff", _no_body),
    ("GET", "/api/v1/me/reminders"): ("aoofff", _no_body),
    ("PUT", "/api/v1/me/reminders"): (
        "aoofff",
        lambda w: {"time_zone": "Europe/London", "session_time": "07:00"},
    ),
    ("GET", "/api/v1/me/symptoms"): ("aoofff", _no_body),
    ("POST", "/api/v1/me/symptoms"): ("aoofff", lambda w: {"symptoms": ["back_pain"]}),
    ("POST", "/api/v1/me/symptoms/{report_id}/resolve"): ("aonfff", _no_body),
    ("GET", "/api/v1/exercises"): ("pppppp", _no_body),
    ("GET", "/api/v1/exercises/{exercise_id}"): ("pppppp", _no_body),
    ("GET", "/api/v1/exercises/{exercise_id}/figure.svg"): ("pppppp", _no_body),
    ("GET", "/api/v1/me/coaches"): ("aoofff", _no_body),
    ("POST", "/api/v1/me/coaches"): ("aoofff", lambda w: {"code": w.invite_code}),
    ("DELETE", "/api/v1/me/coaches/{coach_id}"): ("aonfff", _no_body),
    ("GET", "/api/v1/me/audit"): ("aoofff", _no_body),
    ("GET", "/api/v1/me/summary"): ("aoofff", _no_body),
    ("GET", "/api/v1/coach/clients/{member_id}/summary"): ("affonf", _no_body),
    ("GET", "/api/v1/me/exports/{export}"): ("aoofff", _no_body),
    ("GET", "/api/v1/coach/clients/{member_id}/exports/{export}"): ("affonf", _no_body),
    ("GET", "/api/v1/coach/branding"): ("affoof", _no_body),
    ("PUT", "/api/v1/coach/branding"): ("affoof", lambda w: {"accent": "#123456"}),
    # no coach in this world has a logo yet
    ("GET", "/api/v1/coach/branding/logo"): ("affnnf", _no_body),
    ("GET", "/api/v1/coach/branding/sample.pdf"): ("affoof", _no_body),
    ("GET", "/api/v1/coach/clients"): ("affoof", _no_body),
    ("GET", "/api/v1/coach/clients/{member_id}"): ("affonf", _no_body),
    ("POST", "/api/v1/coach/clients/{member_id}/swaps"): (
        "affonf",
        lambda w: {"from_exercise": "glute-bridge", "to_exercise": "bodyweight-squat"},
    ),
    ("DELETE", "/api/v1/coach/clients/{member_id}/swaps/{swap_id}"): ("affonf", _no_body),
    ("GET", "/api/v1/coach/invites"): ("affoof", _no_body),
    ("POST", "/api/v1/coach/invites"): ("affoof", _no_body),
    ("GET", "/api/v1/coach/leads.csv"): ("affooo", _no_body),
    ("GET", "/api/v1/imports"): ("affooo", _no_body),
    ("POST", "/api/v1/imports"): ("affooo", lambda w: {"rows": [{"source_id": "y", "name": "Y"}]}),
    # an import is its importer's: another coach gets a 404
    ("POST", "/api/v1/imports/{import_id}/confirm"): ("affonf", _confirm),
    # a coach's library is the coach's own: another coach gets a 404, an admin is refused
    ("GET", "/api/v1/coach/library"): ("affoof", _no_body),
    ("POST", "/api/v1/coach/library"): (
        "affoof",
        lambda w: {"name": "Wall push", "steps": ["Push the wall."]},
    ),
    ("GET", "/api/v1/coach/library/{entry_id}"): ("affonf", _no_body),
    ("POST", "/api/v1/coach/library/{entry_id}/confirm"): ("affonf", lambda w: {"position": "standing"}),
    ("POST", "/api/v1/free-workout"): ("pppppp", lambda w: {"weeks": 20}),
    ("GET", "/api/v1/admin/users"): ("affffo", _no_body),
    ("PATCH", "/api/v1/admin/users/{user_id}"): ("affffo", lambda w: {"role": "member"}),
    ("GET", "/api/v1/admin/coach-invitations"): ("affffo", _no_body),
    ("POST", "/api/v1/admin/coach-invitations"): ("affffo", lambda w: {"email": unique_email("coach")}),
    ("DELETE", "/api/v1/admin/coach-invitations/{invitation_id}"): ("affffo", _no_body),
    # the invitation is for the member's e-mail: anyone else signed in is refused (422, field email)
    ("POST", "/api/v1/me/coach-invitation"): ("aoxxxx", lambda w: {"invitation": w.coach_invitation}),
    ("GET", "/api/v1/coach/page"): ("affoof", _no_body),
    ("POST", "/api/v1/c/{handle}/free-workout"): ("pppppp", lambda w: {"weeks": 20}),
    # --- pages ---
    ("GET", "/"): ("pppppp", _no_body),
    ("GET", "/signup"): ("pppppp", _no_body),
    ("POST", "/signup"): ("pppppp", _signup),
    ("GET", "/signin"): ("pppppp", _no_body),
    ("POST", "/signin"): ("pppppp", _member_credentials),
    ("POST", "/signout"): ("pppppp", _no_body),
    ("GET", "/reset"): ("pppppp", _no_body),
    ("POST", "/reset"): ("pppppp", lambda w: {"email": "nobody@example.org"}),
    ("GET", "/reset/{token}"): ("pppppp", _no_body),
    ("POST", "/reset/{token}"): ("pppppp", lambda w: {"password": PASSWORD}),
    ("GET", "/onboarding"): ("aoofff", _no_body),
    ("POST", "/onboarding"): ("aoofff", _details),
    ("GET", "/onboarding/screening"): ("aoofff", _no_body),
    ("POST", "/onboarding/screening"): ("aoofff", _no_body),
    ("GET", "/onboarding/result"): ("aoofff", _no_body),
    ("GET", "/today"): ("aoofff", _no_body),
    # "again": the world may hold a cardio log today already (the page would ask first).
    ("POST", "/today/log"): (
        "aoofff",
        lambda w: {"session_kind": "cardio", "minutes": "20", "again": "true"},
    ),
    # the session player, its offline list; the service worker and manifest are public files
    ("GET", "/today/play"): ("aoofff", _no_body),
    ("GET", "/today/play/offline.json"): ("aoofff", _no_body),
    ("GET", "/sw.js"): ("pppppp", _no_body),
    ("GET", "/manifest.webmanifest"): ("pppppp", _no_body),
    # a log is its owner's alone: another member gets a 404, a coach (even granted) a 403
    ("GET", "/logs"): ("aoofff", _no_body),
    ("GET", "/logs/{log_id}/edit"): ("aonfff", _no_body),
    ("POST", "/logs/{log_id}/edit"): (
        "aonfff",
        lambda w: {"session_date": date.today().isoformat(), "rpe": "13"},
    ),
    ("POST", "/logs/{log_id}/delete"): ("aonfff", lambda w: {"confirm": "yes"}),
    ("GET", "/account/reminders"): ("aoofff", _no_body),
    ("POST", "/account/reminders"): (
        "aoofff",
        lambda w: {"time_zone": "Europe/London", "session_time": "07:00"},
    ),
    # the signed link is the credential (one-click unsubscribe from a mail client)
    ("GET", "/unsubscribe/mail/{mail_token}"): ("pppppp", _no_body),
    ("POST", "/unsubscribe/mail/{mail_token}"): ("pppppp", _no_body),
    ("GET", "/week"): ("aoofff", _no_body),
    ("GET", "/check-in"): ("aoofff", _no_body),
    ("GET", "/summary"): ("aoofff", _no_body),
    ("GET", "/summary.pdf"): ("aoofff", _no_body),
    ("GET", "/today.pdf"): ("aoofff", _no_body),
    ("GET", "/week.pdf"): ("aoofff", _no_body),
    ("GET", "/week.ics"): ("aoofff", _no_body),
    ("GET", "/logs.csv"): ("aoofff", _no_body),
    ("GET", "/symptoms.csv"): ("aoofff", _no_body),
    ("GET", "/logs.json"): ("aoofff", _no_body),
    ("POST", "/check-in"): ("aoofff", _no_body),
    ("GET", "/check-in/{report_id}"): ("aonfff", _no_body),
    ("POST", "/check-in/{report_id}/resolve"): ("aonfff", lambda w: {"confirm": "yes"}),
    ("GET", "/exercises"): ("pppppp", _no_body),
    ("GET", "/exercises/{exercise_id}"): ("pppppp", _no_body),
    ("GET", "/account"): ("aooooo", _no_body),
    ("POST", "/account/details"): ("aooooo", lambda w: {"display_name": "Renamed"}),
    ("POST", "/account/password"): (
        "aooooo",
        lambda w: {"current_password": PASSWORD, "new_password": PASSWORD},
    ),
    ("POST", "/account/email"): (
        "aooooo",
        lambda w: {"email": unique_email(), "current_password": PASSWORD},
    ),
    ("GET", "/account/email/{token}"): ("pppppp", _no_body),
    ("POST", "/account/email/{token}"): ("pppppp", _no_body),
    ("POST", "/account/email-verification"): ("aooooo", _no_body),
    ("GET", "/confirm-email/{token}"): ("pppppp", _no_body),
    ("POST", "/confirm-email/{token}"): ("pppppp", _no_body),
    ("POST", "/account/sessions/{session_id}/end"): ("annnnn", _no_body),
    ("POST", "/account/sign-out-everywhere"): ("aooooo", _no_body),
    ("POST", "/account/tokens"): ("aooooo", lambda w: {"name": "laptop"}),
    ("POST", "/account/tokens/{token_id}/revoke"): ("aonnnn", _no_body),
    ("POST", "/account/coaches"): ("aoofff", lambda w: {"code": w.invite_code}),
    ("POST", "/account/coaches/{coach_id}/revoke"): ("aonfff", _no_body),
    ("GET", "/account/audit"): ("aoofff", _no_body),
    ("POST", "/account/calendar"): ("aoofff", _no_body),
    ("POST", "/account/calendar/revoke"): ("aoofff", _no_body),
    ("POST", "/account/branding"): ("affoof", lambda w: {"accent": "#123456"}),
    ("GET", "/account/branding/sample.pdf"): ("affoof", _no_body),
    # the token in the path is the credential: an unknown one is a 404 for everyone
    ("GET", "/calendar/{token}.ics"): ("pppppp", _no_body),
    ("GET", "/account/export"): ("aooooo", _no_body),
    ("GET", "/account/delete"): ("aooooo", _no_body),
    ("POST", "/account/delete"): ("aooooo", lambda w: {"password": PASSWORD}),
    ("GET", "/invite/{code}"): ("oooooo", _no_body),  # a visitor is offered to sign up first
    ("GET", "/coach"): ("affoof", _no_body),
    ("POST", "/coach/invites"): ("affoof", _no_body),
    ("GET", "/coach/clients/{member_id}"): ("affonf", _no_body),
    ("POST", "/coach/clients/{member_id}/swaps"): (
        "affonf",
        lambda w: {"from_exercise": "glute-bridge", "to_exercise": "bodyweight-squat"},
    ),
    ("POST", "/coach/clients/{member_id}/swaps/{swap_id}/remove"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/summary"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/summary.pdf"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/week.pdf"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/logs.csv"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/symptoms.csv"): ("affonf", _no_body),
    ("GET", "/coach/clients/{member_id}/logs.json"): ("affonf", _no_body),
    ("GET", "/coach/leads.csv"): ("affooo", _no_body),
    ("GET", "/coach/imports"): ("affooo", _no_body),
    ("POST", "/coach/imports/{import_id}/confirm"): ("affonf", _confirm),
    ("GET", "/coach/library"): ("affoof", _no_body),
    ("POST", "/coach/library/write"): ("affoof", lambda w: {"name": "Wall push", "steps": "Push the wall."}),
    ("POST", "/coach/library/upload"): (
        "affoof",
        lambda w: {"source": "wger", "files": WGER_SAMPLE.read_bytes()},
    ),
    ("GET", "/coach/library/{entry_id}"): ("affonf", _no_body),
    ("POST", "/coach/library/{entry_id}/confirm"): (
        "affonf",
        lambda w: {"checked_attributes": ["position"], "position": "standing"},
    ),
    ("GET", "/free-workout"): ("pppppp", _no_body),
    ("POST", "/free-workout"): ("pppppp", lambda w: {"weeks": "20"}),
    ("POST", "/free-workout/pdf"): ("pppppp", lambda w: {"weeks": "20"}),
    ("GET", "/c/{handle}/free-workout"): ("pppppp", _no_body),
    ("POST", "/c/{handle}/free-workout"): ("pppppp", lambda w: {"weeks": "20"}),
    ("GET", "/admin"): ("affffo", _no_body),
    ("POST", "/admin/coach-invitations"): ("affffo", lambda w: {"email": unique_email("coach")}),
    ("POST", "/admin/coach-invitations/{invitation_id}/withdraw"): ("affffo", _no_body),
    ("POST", "/admin/users/{user_id}/role"): ("affffo", lambda w: {"role": "member"}),
    # the link is the credential; signing up with it is open to anyone who holds it
    ("GET", "/coach-invitation/{invitation}"): ("pppppp", _no_body),
    ("POST", "/coach-invitation/{invitation}"): (
        "pppppp",
        lambda w: {"display_name": "C", "password": PASSWORD},
    ),
    ("POST", "/coach-invitation/{invitation}/accept"): ("aoxxxx", _no_body),
    ("GET", "/unsubscribe"): ("pppppp", _no_body),
    ("POST", "/unsubscribe"): ("pppppp", lambda w: {"email": "lead@example.org"}),
    ("GET", "/unsubscribe/{lead_token}"): ("pppppp", _no_body),
    ("POST", "/unsubscribe/{lead_token}"): ("pppppp", _no_body),
    # --- the public article site, the opt-in confirmation, coaches' articles ---
    ("GET", "/learn"): ("pppppp", _no_body),
    ("GET", "/rules"): ("pppppp", _no_body),
    ("GET", "/learn/{slug}"): ("pppppp", _no_body),
    ("GET", "/learn/tags/{tag}"): ("pppppp", _no_body),
    ("GET", "/learn/feed.atom"): ("pppppp", _no_body),
    ("GET", "/sitemap.xml"): ("pppppp", _no_body),
    ("GET", "/free-workout/confirm/{confirm_token}"): ("pppppp", _no_body),
    ("POST", "/free-workout/confirm/{confirm_token}"): ("pppppp", _no_body),
    ("GET", "/c/{handle}"): ("pppppp", _no_body),
    ("GET", "/c/{handle}/articles/{slug}"): ("pppppp", _no_body),
    ("GET", "/coach/articles"): ("affoof", _no_body),
    ("POST", "/coach/articles"): ("affoof", _article),
    # an article is its writer's: another coach gets a 404
    ("GET", "/coach/articles/{article_id}"): ("affonf", _no_body),
    ("POST", "/coach/articles/{article_id}"): ("affonf", _article),
    ("POST", "/coach/articles/{article_id}/delete"): ("affonf", _no_body),
    # only the coach the member granted may share with them; another coach gets a 404
    ("POST", "/coach/clients/{member_id}/share"): ("affonf", lambda w: {"article": "warning-signs"}),
}
# Roles run in this order so the ones that may change the world (the member and the admin) go last.
RUN_ORDER = (0, 2, 4, 3, 5, 1)


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for context in iter_route_contexts(app.routes):
        methods = getattr(context.original_route, "methods", None) or set()
        found.extend((m, str(context.path)) for m in sorted(methods - {"HEAD"}))
    return found


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = set(app_routes(app))
    assert routes - set(MATRIX) == set(), "classify these routes in MATRIX"
    assert set(MATRIX) - routes == set(), "these MATRIX entries are not routes any more"


@pytest.fixture
def shared_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def act_as(client: TestClient, app: FastAPI, world: World, role: str) -> dict[str, str]:
    """Give the client this role's browser session and CSRF cookie; return its API headers."""
    client.cookies.clear()
    client.cookies.set("bw_csrf", CSRF_VALUE)
    if role == "anonymous":
        return {}
    ctx = ctx_of(app)
    session = accounts.start_web_session(ctx.uow(), ctx.rules, world.ids[role], datetime.now(UTC))
    client.cookies.set("bw_session", session)
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _send(
    client: TestClient, app: FastAPI, url: str, method: str, headers: dict[str, str], body: dict[str, Any]
) -> Any:
    if url.startswith("/api/"):
        kwargs: dict[str, Any] = {"json": body} if method in ("POST", "PUT", "PATCH") else {}
        return client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
    upload = body.get("files")  # a page's file field: sent as multipart
    fields = {k: v for k, v in body.items() if k != "files"}
    data = {**fields, "csrf_token": form_token(app)} if method == "POST" else None
    files = [("files", ("upload.json", upload, "application/json"))] if upload else None
    return client.request(method, url, data=data, files=files, follow_redirects=False)


def _check(code: str, response: Any, api: bool, where: str) -> None:
    status = response.status_code
    to_sign_in = status == 303 and response.headers.get("location", "").startswith("/signin?next=")
    if code == "p":
        assert status < 500 and status not in (401, 403), where
    elif code == "o":
        assert status < 400 and not to_sign_in, where
    elif code == "a":
        assert (status == 401) if api else to_sign_in, where
    elif code == "f":
        assert status == 403, where
    elif code == "n":
        assert status == 404, where
    elif code == "x":
        assert status == 422, where


_READ_WORLDS: dict[int, World] = {}


def world_for(app: FastAPI, method: str) -> World:
    """A fresh world, except that consecutive GET routes share one (GETs change no one's data)."""
    if method == "GET" and id(app) in _READ_WORLDS:
        return _READ_WORLDS[id(app)]
    _READ_WORLDS.clear()
    empty_tables(ctx_of(app).engine)
    world = build_world(app)
    if method == "GET":
        _READ_WORLDS[id(app)] = world
    return world


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_answers_each_role_as_classified(
    app: FastAPI, shared_client: TestClient, route: tuple[str, str]
) -> None:
    method, path = route
    world = world_for(app, method)
    codes, body = MATRIX[route]
    for index in RUN_ORDER:
        role = ROLES[index]
        headers = act_as(shared_client, app, world, role)
        response = _send(shared_client, app, world.fill(path), method, headers, body(world))
        where = f"{method} {path} as {role}: {response.status_code} {response.text[:300]}"
        _check(codes[index], response, path.startswith("/api/"), where)
