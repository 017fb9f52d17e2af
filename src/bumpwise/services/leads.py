"""Leads from the free workout pages: an e-mail with explicit, recorded consent.

Double opt-in: a lead is stored unconfirmed, with the digest of a confirmation token that only the
confirmation e-mail carries; it shows to its page's owner only once that link is used, and the
workout PDF is sent then. A lead belongs to the page it came through: a coach's page
(``/c/{handle}/free-workout``) or the general page (``coach_id`` None, the operator's). A coach's
CSV holds only their page's confirmed leads, an admin's only the general page's. Every lead has its
own unsubscribe link (the token is shown on the page after the form and in every e-mail; only its
digest is stored); using it deletes the lead. Leads are
also in the data export of an account with the same e-mail, and deleted with that account, once
that account has confirmed the address (``account_data``, ``email_verification``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from datetime import datetime, timedelta

from pydantic import BaseModel, JsonValue

from bumpwise.adapters.mail import Attachment, Deliver, Letter, send_mail
from bumpwise.adapters.security import digest, new_token
from bumpwise.domain.catalog import N_, _
from bumpwise.persistence.models import Lead
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import clean_email
from bumpwise.services.errors import NotFound
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.vetting import make_coach

SOURCE = "free-workout"
UNSUBSCRIBE_PATH = "/unsubscribe/{token}"
CONFIRM_PATH = "/free-workout/confirm/{token}"
CONFIRM_WITHIN = timedelta(days=7)
GENERAL_PAGE = "bumpwise"
HANDLE = re.compile(r"[a-z0-9-]{1,40}")
log = logging.getLogger("bumpwise.leads")
_CONSENT = (
    "Yes, {sender} may e-mail me my workout as a PDF and more free workouts and tips for pregnancy "
    "and after birth. {keeper} My address is used for nothing else. First I get an e-mail to "
    "confirm it; nothing else is sent, and no one sees it, until I confirm. The next page and every "
    "e-mail give me a link that deletes it at once, and I can ask for that link again at any time "
    "at /unsubscribe. If I have a bumpwise account with this address and have confirmed it, it is in "
    "my account's data export and deleted with the account."
)


class CoachPageView(BaseModel):
    coach_id: int
    handle: str
    display_name: str


class OptIn(BaseModel):
    unsubscribe_path: str
    confirmation_sent: bool


class Confirmed(BaseModel):
    """A lead just confirmed: its address, whose list it is on, the answers its workout is built
    from (None if already confirmed with them), and a fresh unsubscribe link."""

    email: str
    page: str
    answers: dict[str, JsonValue] | None
    unsubscribe_path: str


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
        raise NotFound(N_("no coach has this page"), "handle")
    with uow:
        row = uow.roles.page_by_handle(handle)
        coach = None if row is None else uow.accounts.user(row.coach_id)
        if row is None or coach is None or coach.role != Role.COACH.value:
            raise NotFound(N_("no coach has this page"), "handle")
        return CoachPageView(coach_id=coach.id, handle=row.handle, display_name=coach.display_name)


def own_page(uow: UnitOfWork, principal: Principal, now: datetime) -> CoachPageView:
    """The caller's page; made now for a coach who has none (a role set outside the app)."""
    require_role(principal, Role.COACH)
    with uow:
        user = uow.accounts.user(principal.user_id)
        if user is None:
            raise NotFound(N_("the account no longer exists"))
        if uow.roles.page_of(user.id) is None:
            make_coach(uow, user, now)
            uow.commit()
        page = uow.roles.page_of(user.id)
        assert page is not None
        return CoachPageView(coach_id=user.id, handle=page.handle, display_name=user.display_name)


@unique_race_retried
def start_opt_in(
    uow: UnitOfWork,
    *,
    email: str,
    page: CoachPageView | None,
    answers: dict[str, JsonValue],
    now: datetime,
    base_url: str,
    deliver: Deliver | None,
) -> OptIn:
    """Store the exact words agreed to and when, with the answers the workout PDF will be built
    from, and mail the confirmation link. The unsubscribe token is fresh: an earlier link for this
    lead stops working. A lead confirmed before stays visible; the new link sends the new PDF."""
    address = clean_email(email)
    confirm_token = new_token()
    unsubscribe_token = unsubscribe_token_of(confirm_token)
    coach_id = None if page is None else page.coach_id
    with uow:
        lead = uow.leads.on_page(address, coach_id)
        if lead is None:
            lead = Lead(email=address, coach_id=coach_id, source=SOURCE)
            uow.session.add(lead)
        lead.consent_text, lead.consented_at = consent_text(page), now
        lead.unsubscribe_hash, lead.confirm_hash = digest(unsubscribe_token), digest(confirm_token)
        lead.pending_answers = json.dumps(answers, sort_keys=True)
        # Housekeeping on each opt-in: nothing waits longer than its link works. After the lead's
        # own write, so the write lock is taken where a unique race can be decided.
        uow.leads.forget_stale_opt_ins(now - CONFIRM_WITHIN)
        uow.commit()
    base = base_url.rstrip("/")
    unsubscribe_path = UNSUBSCRIBE_PATH.format(token=unsubscribe_token)
    sent = deliver is not None and _mail_confirmation(
        deliver,
        address,
        page_words=GENERAL_PAGE if page is None else _("%(name)s's page on bumpwise", name=page.display_name),
        confirm_url=base + CONFIRM_PATH.format(token=confirm_token),
        unsubscribe_url=base + unsubscribe_path,
    )
    return OptIn(unsubscribe_path=unsubscribe_path, confirmation_sent=sent)


def unsubscribe_token_of(confirm_token: str) -> str:
    """The unsubscribe token that goes with a confirmation token: derived one way, so the workout
    e-mail sent on confirmation carries the same unsubscribe link as the page and the first
    e-mail, while no unsubscribe link reveals the confirmation token."""
    return hashlib.sha256(b"bumpwise-unsubscribe:" + confirm_token.encode()).hexdigest()


def _mail_confirmation(
    deliver: Deliver, address: str, *, page_words: str, confirm_url: str, unsubscribe_url: str
) -> bool:
    lines = [
        _(
            "Someone, we hope you, asked for a free workout on %(page)s and to receive e-mails at this"
            " address.",
            page=page_words,
        ),
        "",
        _("To confirm and get the workout as a PDF, open this link:"),
        confirm_url,
        "",
        _(
            "Until you confirm, nothing else is sent to this address and no one sees it. The link works"
            " for 7 days. If it was not you, ignore this message, or delete the address now:"
        ),
        unsubscribe_url,
    ]
    body = "\n".join(lines) + "\n"
    try:
        send_mail(deliver, Letter(address, _("Confirm your e-mail for your free workout"), body))
    except OSError:
        log.warning("could not send a confirmation: the mail server refused the message")
        return False
    return True


def confirm_lead(uow: UnitOfWork, token: str, now: datetime) -> Confirmed:
    """Use a confirmation link (once, within 7 days); the answers it waited with are deleted."""
    with uow:
        lead = _lead_to_confirm(uow, token, now)
        answers = None if lead.pending_answers is None else json.loads(lead.pending_answers)
        lead.confirmed_at = lead.confirmed_at or now
        lead.confirm_hash, lead.pending_answers = None, None
        unsubscribe_token = unsubscribe_token_of(token)
        if lead.unsubscribe_hash != digest(unsubscribe_token):
            # a fresh link was asked for at /unsubscribe meanwhile; this one replaces it
            lead.unsubscribe_hash = digest(unsubscribe_token)
        confirmed = Confirmed(
            email=lead.email,
            page=page_name(uow, lead),
            answers=answers,
            unsubscribe_path=UNSUBSCRIBE_PATH.format(token=unsubscribe_token),
        )
        uow.commit()
    return confirmed


def lead_for_confirmation(uow: UnitOfWork, token: str, now: datetime) -> LeadView:
    with uow:
        lead = _lead_to_confirm(uow, token, now)
        return LeadView(email=lead.email, page=page_name(uow, lead))


def _lead_to_confirm(uow: UnitOfWork, token: str, now: datetime) -> Lead:
    lead = uow.leads.by_confirm_hash(digest(token))
    if lead is None or now - lead.consented_at > CONFIRM_WITHIN:
        raise NotFound(N_("this confirmation link is unknown, used or older than 7 days"), "token")
    return lead


def send_workout_mail(confirmed: Confirmed, pdf: bytes | None, *, base_url: str, deliver: Deliver) -> bool:
    """The workout PDF, with the unsubscribe link in the text and as one-click headers (RFC 8058)."""
    unsubscribe_url = base_url.rstrip("/") + confirmed.unsubscribe_path
    workout = (
        _("Your free workout is attached as a PDF. Print it, or keep it on your phone.")
        if pdf is not None
        else _(
            "We could not rebuild your workout for today (your dates may have moved on): build a new "
            "one at %(link)s.",
            link=base_url.rstrip("/") + "/free-workout",
        )
    )
    body = _(
        "Thank you: your address is confirmed for the list of %(page)s.\n\n%(workout)s\n\n"
        "Warm up first, stop if anything hurts, and check with your midwife, doctor or "
        "physiotherapist if you are unsure. This is general fitness guidance, not medical advice.\n\n"
        "To stop these e-mails and delete your address at once:\n%(link)s\n",
        page=confirmed.page,
        workout=workout,
        link=unsubscribe_url,
    )
    attachments = [] if pdf is None else [Attachment("bumpwise-free-workout.pdf", pdf)]
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    try:
        send_mail(deliver, Letter(confirmed.email, "Your free workout", body, attachments, headers))
    except OSError:
        log.warning("could not send the workout: the mail server refused the message")
        return False
    return True


class LeadRow(BaseModel):
    email: str
    consented_at: datetime
    confirmed_at: datetime


def page_leads(uow: UnitOfWork, principal: Principal) -> list[LeadRow]:
    """The confirmed leads of the caller's page (a coach), or of the general page (an admin)."""
    require_role(principal, Role.COACH, Role.ADMIN)
    page_owner = principal.user_id if principal.is_coach else None
    with uow:
        return [
            LeadRow(email=lead.email, consented_at=lead.consented_at, confirmed_at=lead.confirmed_at)
            for lead in uow.leads.of_page(page_owner)
            if lead.confirmed_at is not None
        ]


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
        raise NotFound(N_("this unsubscribe link is unknown or was already used"), "token")
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
    body = _(
        "You asked how to stop e-mails about free pregnancy workouts. Each link below deletes your "
        "address from one list, at once:\n%(links)s\n\nIf it was not you, ignore "
        "this message: nothing changes.",
        links="\n".join(links),
    )
    try:
        deliver(address, _("Your bumpwise unsubscribe links"), body)
    except OSError:
        log.warning("could not send unsubscribe links: the mail server refused the message")
