"""Outgoing e-mail: SMTP when configured, else an outbox folder of ``.eml`` files (on by default
in development), else the message is dropped and the log says so.

Only account mail (password resets) is sent; it never carries health data. A message's body and
links never reach the log: they are credentials (a reset link is a password for an hour). The log
names the recipient only as a redacted address.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from bumpwise.config import Settings
from bumpwise.services.password_reset import Deliver

log = logging.getLogger("bumpwise.mail")


def redacted_address(address: str) -> str:
    """``m***@example.org``: enough to tell messages apart in a log, not enough to read it back."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


def mailer(settings: Settings) -> Deliver:
    outbox = settings.outbox

    def deliver(to: str, subject: str, body: str) -> None:
        message = _message(settings.smtp_from, to, subject, body)
        if settings.smtp_host is not None:
            _send_smtp(settings, message)
        elif outbox is not None:
            path = write_to_outbox(outbox, message)
            log.info("No mail server configured; message for %s written to %s", redacted_address(to), path)
        else:
            log.warning(
                "No mail server and no outbox configured; a message for %s was not sent "
                "(set BUMPWISE_SMTP_HOST, or BUMPWISE_MAIL_OUTBOX to a folder)",
                redacted_address(to),
            )

    return deliver


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


def _send_smtp(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def write_to_outbox(folder: Path, message: EmailMessage) -> Path:
    """One ``.eml`` file per message, readable only by the server's user, named by time so a
    listing shows the newest last."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.touch(mode=0o600)
    path.write_bytes(message.as_bytes())
    return path
