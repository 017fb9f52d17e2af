"""The member's right to their data: export everything as JSON, and delete the account with all
of its health data (profile, check-ins, plans, logs, coach grants, swaps and audit entries).

Free-workout leads are keyed only by an e-mail, and anyone can sign up with an address that is
not theirs; so they are in the export, and deleted with the account, only once the account's
address is confirmed (``email_verification``). Until then the export says they were left out and
how to include them, without saying whether there are any. A coach's own page's leads go with the
coach (``ON DELETE CASCADE``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bumpwise.domain.catalog import N_
from bumpwise.persistence.base import row_data
from bumpwise.persistence.models import StoredPlan, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules, token_view, user_view
from bumpwise.services.branding import export_view as branding_export
from bumpwise.services.coaching import invite_view
from bumpwise.services.errors import Unauthorized
from bumpwise.services.leads import page_name
from bumpwise.services.principal import Principal

EXPORT_FORMAT = 1
LEADS_LEFT_OUT = (
    "Free-workout sign-ups made with this e-mail address are not in this export, because the "
    "address is not confirmed yet: anyone can make an account with an address that is not theirs. "
    "To include them, confirm the address with the link we e-mailed (ask for it again on the "
    "account page, or POST /api/v1/me/email/verification), then export again. Each sign-up can "
    "also be deleted at any time with its unsubscribe link (ask for the links at /unsubscribe)."
)


Row = dict[str, object]
"""A stored row, column by column (``persistence.base.row_data``)."""


class LeadExport(BaseModel):
    email: str
    page: str
    consented_at: str
    consent_text: str
    source: str


class AccountExport(BaseModel):
    """The account export (format ``EXPORT_FORMAT``): every stored row of the account, by kind."""

    format: int
    exported_at: str
    account: dict[str, object]
    profile: Row | None
    symptom_reports: list[Row]
    session_logs: list[Row]
    stored_plan: Row | None
    coaches: list[dict[str, str]]
    coach_swaps: list[Row]
    audit_log: list[Row]
    calendar_feed: dict[str, str] | None
    reminder_settings: Row | None
    mail_sent: list[Row]
    coach_branding: dict[str, object] | None
    api_tokens: list[dict[str, object]]
    coach_invites: list[dict[str, object]]
    free_workout_leads: list[LeadExport]
    free_workout_leads_left_out: str | None


def export_account(uow: UnitOfWork, principal: Principal, now: datetime) -> AccountExport:
    """Everything stored about this account, as JSON-ready data."""
    uid = principal.user_id
    with uow:
        user = uow.accounts.user(uid)
        if user is None:
            raise Unauthorized(N_("the account no longer exists"))
        profile = uow.health.profile(uid)
        stored_plan = uow.health.stored_plan(uid)
        feed = uow.accounts.calendar_feed(uid)
        return AccountExport.model_validate(
            {
                "format": EXPORT_FORMAT,
                "exported_at": now.isoformat(),
                "account": user_view(user).model_dump(mode="json"),
                "profile": row_data(profile) if profile else None,
                "symptom_reports": [row_data(r) for r in uow.health.reports(uid, limit=100_000)],
                "session_logs": [row_data(x) for x in uow.health.logs(uid, limit=100_000)],
                "stored_plan": _stored_plan_data(stored_plan) if stored_plan else None,
                "coaches": [
                    {"coach": coach.display_name, "granted_at": grant.granted_at.isoformat()}
                    for grant, coach in uow.coaching.coaches_of(uid)
                ],
                "coach_swaps": [row_data(s) for s in uow.coaching.swaps_of(uid)],
                "audit_log": [row_data(e) for e in uow.coaching.audit_of(uid, limit=100_000)],
                "calendar_feed": {"created_at": feed.created_at.isoformat()} if feed else None,
                "reminder_settings": row_data(reminder)
                if (reminder := uow.reminders.settings(uid))
                else None,
                "mail_sent": [row_data(m) for m in uow.reminders.sent_to(uid)],
                "coach_branding": branding_export(uow.coaching.branding(uid)),
                "api_tokens": [token_view(t).model_dump(mode="json") for t in uow.accounts.tokens_of(uid)],
                "coach_invites": [
                    invite_view(i).model_dump(mode="json") for i in uow.coaching.invites_of(uid, now)
                ],
                "free_workout_leads": _leads_of(uow, user) if _verified(user) else [],
                "free_workout_leads_left_out": None if _verified(user) else LEADS_LEFT_OUT,
            }
        )


def _stored_plan_data(stored: StoredPlan) -> dict[str, object]:
    """The stored plan's row with the plan as JSON (it is kept compressed)."""
    data = row_data(stored)
    del data["plan_z"]
    return {**data, "plan": stored.plan}


def _verified(user: User) -> bool:
    return user.email_verified_at is not None


def _leads_of(uow: UnitOfWork, user: User) -> list[LeadExport]:
    return [
        LeadExport(
            email=lead.email,
            page=page_name(uow, lead),
            consented_at=lead.consented_at.isoformat(),
            consent_text=lead.consent_text,
            source=lead.source,
        )
        for lead in uow.leads.with_email(user.email)
    ]


def delete_account(uow: UnitOfWork, rules: AccountRules, principal: Principal, *, password: str) -> None:
    """Delete the account and every row of its health data, after the password is confirmed; the
    leads with its e-mail too, if the address is confirmed."""
    uid = principal.user_id
    with uow:
        user = uow.accounts.user(uid)
        if user is None or not rules.passwords.verify(user.password_hash, password):
            raise Unauthorized(N_("the password is not right"), "password")
        uow.health.delete_all_of(uid)
        uow.coaching.delete_all_of_member(uid)
        if _verified(user):
            uow.leads.delete_with_email(user.email)
        uow.accounts.delete_web_sessions_of(uid)
        uow.accounts.delete_user(user)
        uow.commit()
