"""Leads from the free workout pages: an e-mail with explicit, recorded consent.

A lead belongs to the page it came through: a coach's page (``/c/{handle}/free-workout``) or the
general page (``coach_id`` None, the operator's). A coach's CSV holds only their page's leads, an
admin's only the general page's. Every lead has its own unsubscribe link (the token is shown once
on the page after the form; only its digest is stored); using it deletes the lead. Leads are
also in the data export of an account with the same e-mail, and deleted with that account, once
that account has confirmed the address (``account_data``, ``email_verification``).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import datetime

from pydantic import BaseModel

from bumpwise.domain.errors import InputError
from bumpwise.persistence.models import Lead
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import clean_email
from bumpwise.services.errors import NotFound
from bumpwise.services.password_reset import Deliver
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.security import digest, new_token
from bumpwise.services.vetting import make_coach

SOURCE = "free-workout"
UNSUBSCRIBE_PATH = "/unsubscribe/{token}"
GENERAL_PAGE = "bumpwise"
HANDLE = re.compile(r"[a-z0-9-]{1,40}")
log = logging.getLogger("bumpwise.leads")
_CONSENT = (
    "Yes, {sender} may e-mail me more free pregnancy workouts and tips. {keeper} My address is used "
    "for nothing else. The next page gives me a link that deletes it at once, and I can ask for "
    "that link again at any time at /unsubscribe. If I have a bumpwise account with this address and "
    "have confirmed it, it is in my account's data export and deleted with the account."
)


class CoachPageView(BaseModel):
    coach_id: int
    handle: str
    display_name: str


class LeadView(BaseModel):
    """What the unsubscribe page shows to the holder of the link."""

    email: str
    page: str


def consent_text(page: CoachPageView | None) -> str:
    """The exact words shown next to the box, and stored with the lead."""
    if page is None:
        return _CONSENT.format(
            sender="bumpwise", keeper="bumpwise keeps my address and shares it with no one."
        )
    name = page.display_name
    return _CONSENT.format(
        sender=f"{name} (a coach on bumpwise)",
        keeper=f"bumpwise keeps my address and shows it to {name} only.",
    )


CONSENT_TEXT = consent_text(None)


def coach_page(uow: UnitOfWork, handle: str) -> CoachPageView:
    """The coach behind a public handle; NotFound for an unknown handle or a former coach."""
    handle = handle.strip().lower()
    if not HANDLE.fullmatch(handle):
        raise NotFound("no coach has this page", "handle")
    with uow:
        row = uow.roles.page_by_handle(handle)
        coach = None if row is None else uow.accounts.user(row.coach_id)
        if row is None or coach is None or coach.role != Role.COACH.value:
            raise NotFound("no coach has this page", "handle")
        return CoachPageView(coach_id=coach.id, handle=row.handle, display_name=coach.display_name)


def own_page(uow: UnitOfWork, principal: Principal, now: datetime) -> CoachPageView:
    """The caller's page; made now for a coach who has none (a role set outside the app)."""
    require_role(principal, Role.COACH)
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound("the account no longer exists")
        if uow.roles.page_of(user.id) is None:
            make_coach(uow, user, now)
            uow.commit()
        page = uow.roles.page_of(user.id)
        assert page is not None
        return CoachPageView(coach_id=user.id, handle=page.handle, display_name=user.display_name)


@unique_race_retried
def add_lead(uow: UnitOfWork, *, email: str, consent: bool, page: CoachPageView | None, now: datetime) -> str:
    """Keep the e-mail only with the box ticked; store the exact words agreed to and when.
    Returns the unsubscribe path (a fresh token: an earlier link for this lead stops working)."""
    if not consent:
        raise InputError("consent", "tick the box to agree to receive e-mails, or leave the e-mail empty")
    address = clean_email(email)
    token = new_token()
    coach_id = None if page is None else page.coach_id
    with uow:
        lead = uow.leads.on_page(address, coach_id)
        if lead is None:
            lead = Lead(email=address, coach_id=coach_id, source=SOURCE)
            uow.session.add(lead)
        lead.consent_text, lead.consented_at, lead.unsubscribe_hash = consent_text(page), now, digest(token)
        uow.commit()
    return UNSUBSCRIBE_PATH.format(token=token)


def leads_csv(uow: UnitOfWork, principal: Principal) -> str:
    """A coach's page's leads, or for an admin the general page's."""
    require_role(principal, Role.COACH, Role.ADMIN)
    page_owner = principal.user_id if principal.is_coach else None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "consented_at", "consent_text", "source"])
    with uow:
        for lead in uow.leads.of_page(page_owner):
            writer.writerow(
                [_safe_cell(lead.email), lead.consented_at.isoformat(), lead.consent_text, lead.source]
            )
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """Stop a spreadsheet from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def page_name(uow: UnitOfWork, lead: Lead) -> str:
    """Whose list a lead is on, in words (inside an open uow)."""
    coach = None if lead.coach_id is None else uow.accounts.user(lead.coach_id)
    return GENERAL_PAGE if coach is None else f"{coach.display_name} (coach on bumpwise)"


def lead_for_unsubscribe(uow: UnitOfWork, token: str) -> LeadView:
    with uow:
        lead = _lead_of_token(uow, token)
        return LeadView(email=lead.email, page=page_name(uow, lead))


def unsubscribe(uow: UnitOfWork, token: str) -> None:
    """Delete the lead of this link; the link then answers 404."""
    with uow:
        uow.leads.delete(_lead_of_token(uow, token))
        uow.commit()


def _lead_of_token(uow: UnitOfWork, token: str) -> Lead:
    lead = uow.leads.by_unsubscribe_hash(digest(token))
    if lead is None:
        raise NotFound("this unsubscribe link is unknown or was already used", "token")
    return lead


def send_unsubscribe_links(uow: UnitOfWork, *, email: str, base_url: str, deliver: Deliver) -> None:
    """Mail a fresh link for every lead of this address; nothing (and the same answer) if none."""
    address = clean_email(email)
    links: list[str] = []
    with uow:
        for lead in uow.leads.with_email(address):
            token = new_token()
            lead.unsubscribe_hash = digest(token)
            url = base_url.rstrip("/") + UNSUBSCRIBE_PATH.format(token=token)
            links.append(f"- {page_name(uow, lead)}: {url}")
        uow.commit()
    if not links:
        return
    body = (
        "You asked how to stop e-mails about free pregnancy workouts. Each link below deletes your "
        "address from one list, at once:\n" + "\n".join(links) + "\n\nIf it was not you, ignore "
        "this message: nothing changes."
    )
    try:
        deliver(address, "Your bumpwise unsubscribe links", body)
    except OSError:
        log.warning("could not send unsubscribe links: the mail server refused the message")
