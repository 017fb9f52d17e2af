"""The real server's output keeps no secret: calendar-feed and reset tokens are redacted in the
access log, and without SMTP a reset link is never logged (production drops the message and says
so; development writes it to the outbox folder as an .eml file)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx

from bumpwise.adapters.security import Passwords
from bumpwise.persistence.db import make_engine, make_session_factory
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, calendar, password_reset
from bumpwise.services.accounts import AccountRules
from bumpwise.services.mail_links import MailLinks
from dbsupport import settings_for
from serversupport import Server, development_env, onboard, sign_up

PRODUCTION_SECRET = "a-test-secret-that-is-long-enough-for-production-0123456789"
UNREDACTED_RESET = re.compile(r"/reset/(?!\[redacted\])[A-Za-z0-9_\-]{8,}")
UNREDACTED_FEED = re.compile(r"/calendar/(?!\[redacted\])[A-Za-z0-9_\-]{8,}")


def secrets_for(database_url: str, email: str, api_token: str) -> tuple[str, str]:
    """A calendar-feed token and a reset token for the account, made by the services themselves
    on the server's database (the pages that show them need a browser session)."""
    engine = make_engine(settings_for(database_url))
    uow = UnitOfWork(make_session_factory(engine))
    now = datetime.now(UTC)
    try:
        principal = accounts.api_token_principal(uow, api_token, now)
        assert principal is not None
        feed_token = calendar.issue_feed(uow, principal, now)
        sent: list[str] = []
        password_reset.request_reset(
            uow,
            AccountRules(passwords=Passwords(cheap=True)),
            MailLinks("http://x", lambda to, subject, body: sent.append(body)),
            email=email,
            now=now,
        )
    finally:
        engine.dispose()
    reset_token = sent[0].split("/reset/", 1)[1].split()[0]
    return feed_token, reset_token


def test_production_logs_neither_tokens_nor_reset_links(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    env = {"BUMPWISE_DATABASE_URL": database_url, "BUMPWISE_SECRET_KEY": PRODUCTION_SECRET}
    server = Server(env=env, output=tmp_path / "server.log").start()
    try:
        email, api_token = sign_up(server.base_url)
        onboard(server.base_url, api_token)
        feed_token, reset_token = secrets_for(database_url, email, api_token)
        feed = httpx.get(f"{server.base_url}/calendar/{feed_token}.ics", timeout=30)
        assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
        assert httpx.get(f"{server.base_url}/reset/{reset_token}", timeout=30).status_code == 200
        wrong = httpx.get(f"{server.base_url}/calendar/not-a-real-token-123.ics?token=abc123", timeout=30)
        assert wrong.status_code == 404
        reset = httpx.post(f"{server.base_url}/api/v1/auth/password-reset", json={"email": email}, timeout=30)
        assert reset.status_code == 202
        server.wait_for_output("was not sent")  # mail goes through the server's job queue
    finally:
        server.stop()
    output = server.text()
    assert "/calendar/[redacted].ics" in output and "/reset/[redacted]" in output, output
    for secret in (feed_token, reset_token, api_token, "not-a-real-token-123", "abc123", email):
        assert secret not in output
    assert not UNREDACTED_RESET.search(output) and not UNREDACTED_FEED.search(output)
    assert "was not sent" in output and f"{email[0]}***@example.org" in output


def only_message(outbox: Path) -> Message:
    """The one message in the outbox, once it is there: mail leaves through the job queue."""
    deadline = time.monotonic() + 20
    while not (files := sorted(outbox.glob("*.eml"))):
        assert time.monotonic() < deadline, "no message reached the outbox"
        time.sleep(0.05)
    assert len(files) == 1, files
    assert files[0].stat().st_mode & 0o077 == 0
    return message_from_bytes(files[0].read_bytes())


def test_development_writes_mail_to_the_outbox_so_a_reset_works_without_smtp(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    env = development_env(tmp_path, BUMPWISE_CHEAP_PASSWORD_HASHING="false")
    server = Server(env=env, output=tmp_path / "server.log").start()
    try:
        email, _ = sign_up(server.base_url)
        welcome = only_message(outbox)
        assert welcome["To"] == email and "Confirm your e-mail" in welcome["Subject"]
        for path in outbox.glob("*.eml"):
            path.unlink()
        reset = httpx.post(f"{server.base_url}/api/v1/auth/password-reset", json={"email": email}, timeout=30)
        assert reset.status_code == 202
        message = only_message(outbox)
        assert message["To"] == email and "password" in message["Subject"]
        body = message.get_payload(decode=True)
        assert isinstance(body, bytes)
        link = next(line for line in body.decode().splitlines() if "/reset/" in line).strip()
        token = link.rsplit("/reset/", 1)[1]
        confirm = httpx.post(
            f"{server.base_url}/api/v1/auth/password-reset/confirm",
            json={"token": token, "password": "a fresh password"},
            timeout=30,
        )
        assert confirm.status_code == 204, confirm.text
    finally:
        server.stop()
    output = server.text()
    assert "written to" in output and str(outbox) in output
    assert token not in output and email not in output
    assert not UNREDACTED_RESET.search(output)
