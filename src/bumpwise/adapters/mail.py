"""Outgoing e-mail: SMTP when configured, else an outbox folder of ``.eml`` files (on by default
in development), else the message is dropped and the log says so.

Account mail (password resets, invitations), free-workout mail (the double opt-in confirmation,
then the workout PDF the person asked for) and members' reminders and weekly summaries are sent.
SMTP goes through STARTTLS with the certificate checked before any login. A message's body and
links never reach the log: they are credentials (a reset link is a password for an hour). The log
names the recipient only as a redacted address; the password is never logged.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from bumpwise.config import Settings

log = logging.getLogger("bumpwise.mail")

Deliver = Callable[[str, str, str], None]
"""``deliver(to, subject, body)``: sends the message (``mailer`` makes one from the settings)."""


def redacted_address(address: str) -> str:
    """``m***@example.org``: enough to tell messages apart in a log, not enough to read it back."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True)
class Letter:
    """One e-mail: what every ``Deliver`` sends (``to``, ``subject``, ``body``), and the files and
    headers a ``Mailer`` adds."""

    to: str
    subject: str
    body: str
    attachments: Sequence[Attachment] = ()
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mailer:
    """A ``Deliver`` (``mailer(to, subject, body)``) that can also send files and headers."""

    settings: Settings

    def __call__(self, to: str, subject: str, body: str) -> None:
        self.send(Letter(to, subject, body))

    def send(self, letter: Letter) -> None:
        settings, outbox = self.settings, self.settings.outbox
        message = _message(settings.smtp_from, letter)
        if settings.smtp_host is not None:
            _send_smtp(settings, message)
        elif outbox is not None:
            path = write_to_outbox(outbox, message)
            log.info(
                "No mail server configured; message for %s written to %s", redacted_address(letter.to), path
            )
        else:
            log.warning(
                "No mail server and no outbox configured; a message for %s was not sent "
                "(set BUMPWISE_SMTP_HOST, or BUMPWISE_MAIL_OUTBOX to a folder)",
                redacted_address(letter.to),
            )


def mailer(settings: Settings) -> Mailer:
    return Mailer(settings)


def send_mail(deliver: Deliver, letter: Letter) -> None:
    """Send through ``deliver``, with the files and headers when it is a ``Mailer`` (a plain
    callable, as some tests pass, gets the text alone)."""
    if isinstance(deliver, Mailer):
        deliver.send(letter)
    else:
        deliver(letter.to, letter.subject, letter.body)


def _message(sender: str, letter: Letter) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, letter.to, letter.subject
    for name, value in letter.headers.items():
        message[name] = value
    message.set_content(letter.body)
    for item in letter.attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return message


def _send_smtp(settings: Settings, message: EmailMessage) -> None:
    """STARTTLS with the server's certificate checked (against BUMPWISE_SMTP_CA_FILE or the
    system's CAs) before the password is sent; the password never reaches a log."""
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=tls_context(settings))
        password = settings.smtp_secret()
        if settings.smtp_user and password:
            smtp.login(settings.smtp_user, password)
        smtp.send_message(message)


def tls_context(settings: Settings) -> ssl.SSLContext:
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file is not None else None
    return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)


def write_to_outbox(folder: Path, message: EmailMessage) -> Path:
    """One ``.eml`` file per message, readable only by the server's user, named by time so a
    listing shows the newest last."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.touch(mode=0o600)
    path.write_bytes(message.as_bytes())
    return path
