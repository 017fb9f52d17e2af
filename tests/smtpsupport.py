"""A real SMTP server on this machine for mail tests: aiosmtpd, with STARTTLS required (a
self-signed certificate made with openssl, which the app is told to trust as its CA), so the app's
mail path runs exactly as in production, certificate check included."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fastapi import FastAPI

from websupport import mail_by


class Inbox:
    """Every message the server accepted, parsed; and whether each session used STARTTLS."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.encrypted.append(session.ssl is not None)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def certificate(folder: Path) -> Path:
    """The server's self-signed certificate, to give the app as BUMPWISE_SMTP_CA_FILE."""
    return folder / "cert.pem"


def _tls_context(folder: Path) -> ssl.SSLContext:
    cert, key = certificate(folder), folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Login:
    """Accepts one user name and password (only over TLS); remembers who logged in."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password, self.logins = user, password, list[str]()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.user.encode(),
            self.password.encode(),
        )
        if ok:
            self.logins.append(self.user)
        return AuthResult(success=ok)


@contextmanager
def smtp_server(
    folder: Path, login: Login | None = None, port: int | None = None
) -> Iterator[tuple[Inbox, int]]:
    """With ``login``, the server requires AUTH (offered only after STARTTLS); ``port``: a port
    chosen beforehand (``free_port()``), for a server that comes up after the app has tried it."""
    inbox, port = Inbox(), port or free_port()
    auth: dict[str, Any] = {} if login is None else {"authenticator": login, "auth_required": True}
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_tls_context(folder),
        require_starttls=True,
        auth_require_tls=True,
        **auth,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def app_mail_through_smtp(app: FastAPI, folder: Path) -> Iterator[Inbox]:
    """The app's mail goes to a local SMTP server (STARTTLS) while inside."""
    ctx = app.state.ctx
    with smtp_server(folder) as (inbox, port):
        update = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_ca_file": certificate(folder)}
        settings = ctx.settings.model_copy(update=update)
        app.state.ctx = mail_by(ctx, settings)
        try:
            yield inbox
        finally:
            app.state.ctx = ctx
