"""Leads from the free workout page: an e-mail with explicit, recorded consent; CSV for coaches."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bumpwise.domain.errors import InputError
from bumpwise.persistence.models import Lead
from bumpwise.persistence.races import unique_race_retried
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import clean_email
from bumpwise.services.principal import Principal, Role, require_role

CONSENT_TEXT = (
    "Yes, e-mail me more free pregnancy workouts and tips from bumpwise. I can unsubscribe at any "
    "time, and my e-mail is used for nothing else."
)
SOURCE = "free-workout"


@unique_race_retried
def add_lead(uow: UnitOfWork, *, email: str, consent: bool, now: datetime) -> None:
    """Keep the e-mail only with the box ticked; store the exact words agreed to and when."""
    if not consent:
        raise InputError("consent", "tick the box to agree to receive e-mails, or leave the e-mail empty")
    address = clean_email(email)
    with uow:
        lead = uow.leads.by_email(address)
        if lead is None:
            uow.leads.add(Lead(email=address, consent_text=CONSENT_TEXT, consented_at=now, source=SOURCE))
        else:
            lead.consent_text, lead.consented_at = CONSENT_TEXT, now
        uow.commit()


def leads_csv(uow: UnitOfWork, principal: Principal) -> str:
    require_role(principal, Role.COACH, Role.ADMIN)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "consented_at", "consent_text", "source"])
    with uow:
        for lead in uow.leads.all():
            writer.writerow(
                [_safe_cell(lead.email), lead.consented_at.isoformat(), lead.consent_text, lead.source]
            )
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """Stop a spreadsheet from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
