"""Outgoing e-mail: SMTP when configured, else the message goes to the server log.

Only account mail (password resets) is sent; it never carries health data.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from bumpwise.config import Settings
from bumpwise.services.password_reset import Deliver

log = logging.getLogger("bumpwise.mail")


def mailer(settings: Settings) -> Deliver:
    def deliver(to: str, subject: str, body: str) -> None:
        if settings.smtp_host is None:
            log.warning("No mail server configured; message for %s: %s\n%s", to, subject, body)
            return
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = settings.smtp_from, to, subject
        message.set_content(body)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.starttls()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)

    return deliver
