"""The real outgoing-mail path against a local SMTP server (aiosmtpd): STARTTLS with the server's
certificate checked, a login whose password never reaches a log, the message read back as sent;
and the development outbox of ``.eml`` files."""

from __future__ import annotations

import logging
import ssl
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pydantic import SecretStr

from bumpwise.adapters.mail import Letter, Mailer
from bumpwise.config import Settings
from smtpsupport import Login, certificate, smtp_server

PASSWORD = "s3cret-smtp-pass"
HEADERS = {"List-Unsubscribe": "<http://127.0.0.1:8000/unsubscribe/mail/x>"}


def settings(**given: object) -> Settings:
    return Settings(env="test", smtp_from="bumpwise@example.org", **given)  # type: ignore[arg-type]


def test_a_message_goes_through_starttls_with_a_login_and_is_read_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    login = Login("mailer", PASSWORD)
    caplog.set_level(logging.DEBUG)
    with smtp_server(tmp_path, login) as (inbox, port):
        chosen = settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_user="mailer",
            smtp_password=SecretStr(PASSWORD),
            smtp_ca_file=certificate(tmp_path),
        )
        Mailer(chosen).send(
            Letter("mia@example.org", "Today: Strength A", "Your session is at 07:00.", headers=HEADERS)
        )
    [message] = inbox.to("mia@example.org")
    assert inbox.encrypted == [True] and login.logins == ["mailer"]
    assert message["Subject"] == "Today: Strength A" and message["From"] == "bumpwise@example.org"
    assert message["List-Unsubscribe"] == HEADERS["List-Unsubscribe"]
    assert message.get_content().strip() == "Your session is at 07:00."
    assert (
        PASSWORD not in caplog.text
        and PASSWORD not in repr(chosen)
        and PASSWORD not in str(chosen.model_dump())
    )


def test_the_password_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    login = Login("mailer", PASSWORD)
    with smtp_server(tmp_path, login) as (inbox, port):
        chosen = settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_user="mailer",
            smtp_password_file=secret,
            smtp_ca_file=certificate(tmp_path),
        )
        Mailer(chosen)("mia@example.org", "Hello", "Body")
    assert login.logins == ["mailer"] and len(inbox.messages) == 1


def test_a_server_whose_certificate_cannot_be_checked_gets_no_password_and_no_message(tmp_path: Path) -> None:
    login = Login("mailer", PASSWORD)
    with smtp_server(tmp_path, login) as (inbox, port):
        chosen = settings(
            smtp_host="127.0.0.1", smtp_port=port, smtp_user="mailer", smtp_password=SecretStr(PASSWORD)
        )
        with pytest.raises(ssl.SSLCertVerificationError):
            Mailer(chosen)("mia@example.org", "Hello", "Body")
    assert inbox.messages == [] and login.logins == []


def test_starttls_may_be_off_only_for_a_relay_on_loopback() -> None:
    with pytest.raises(ValueError, match="BUMPWISE_SMTP_STARTTLS may be off only"):
        settings(smtp_host="mail.example.org", smtp_user="mailer", smtp_starttls=False)
    assert settings(smtp_host="127.0.0.1", smtp_user="mailer", smtp_starttls=False).smtp_starttls is False


def test_without_a_server_the_message_is_written_to_the_outbox_as_eml(tmp_path: Path) -> None:
    Mailer(settings(mail_outbox=tmp_path)).send(Letter("mia@example.org", "Hello", "Body", headers=HEADERS))
    [path] = list(tmp_path.glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "mia@example.org" and message["List-Unsubscribe"] == HEADERS["List-Unsubscribe"]
    assert path.stat().st_mode & 0o077 == 0
