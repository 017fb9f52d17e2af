"""The app under test (one per database, fresh tables per test) and helpers to act as a person:
sign up through the API, onboard, sign in to the pages with a session cookie and a CSRF token."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bumpwise.adapters.mail import mailer
from bumpwise.adapters.queue import Queue
from bumpwise.adapters.security import digest
from bumpwise.config import INLINE_QUEUE, Settings
from bumpwise.jobs import register
from bumpwise.persistence.models import ApiToken
from bumpwise.services import accounts, admin
from bumpwise.web import csrf
from bumpwise.web.app import create_app
from bumpwise.web.context import AppContext
from bumpwise.web.deps import get_now, session_cookie
from dbsupport import PASSWORD, empty_tables, settings_for, unique_email

CSRF_VALUE = "test-csrf-cookie-value"


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_app(settings_for(database_url))
    yield application
    ctx_of(application).engine.dispose()


def ctx_of(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.ctx
    return ctx


def mail_by(ctx: AppContext, settings: Settings) -> AppContext:
    """``ctx`` with its mail, and the jobs that send mail, built from ``settings`` (run inline)."""
    jobs = register(Queue(INLINE_QUEUE), settings, ctx.kb, ctx.uow)
    return dataclasses.replace(ctx, deliver=mailer(settings), jobs=jobs)


@contextmanager
def mail_outbox(app: FastAPI, folder: Path) -> Iterator[Path]:
    """The app's mail goes to ``folder`` as .eml files (the development outbox) while inside."""
    ctx = ctx_of(app)
    app.state.ctx = mail_by(ctx, ctx.settings.model_copy(update={"mail_outbox": folder}))
    try:
        yield folder
    finally:
        app.state.ctx = ctx


def sent_mail(folder: Path) -> list[tuple[str, str]]:
    """(recipient, text) of every message in an outbox folder, oldest first."""
    sent = []
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        sent.append((str(message["To"]), plain_text(message)))
    return sent


def plain_text(message: EmailMessage) -> str:
    """The plain-text body of a mail."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, message
    return str(body.get_content())


CONFIRM_LINK = re.compile(r"/free-workout/confirm/([A-Za-z0-9_-]+)")


def confirm_from_mail(client: TestClient, folder: Path, email: str) -> str:
    """Use the confirmation link of the newest message to ``email`` (the double opt-in), as a
    mail client elsewhere would (its own cookies); returns the text of the page that answers."""
    texts = [body for to, body in sent_mail(folder) if to == email]
    assert texts, f"no mail to {email}"
    token = CONFIRM_LINK.findall(texts[-1])[-1]
    mail_client = TestClient(client.app, base_url="http://testserver")
    response = mail_client.post(f"/free-workout/confirm/{token}")
    assert response.status_code == 200, response.text
    return response.text


def api_confirmed_lead(
    client: TestClient, app: FastAPI, email: str, handle: str | None = None
) -> dict[str, Any]:
    """Leave an e-mail on a free-workout page through the API and confirm it from the e-mail."""
    path = "/api/v1/free-workout" if handle is None else f"/api/v1/c/{handle}/free-workout"
    with tempfile.TemporaryDirectory() as tmp, mail_outbox(app, Path(tmp)) as folder:
        response = client.post(path, json={"weeks": 20, "email": email, "consent": True})
        assert response.status_code == 200, response.text
        confirm_from_mail(client, folder, email)
    body: dict[str, Any] = response.json()
    return body


def mailed_token(folder: Path, to: str, path: str) -> str:
    """The token of the newest link to ``path`` (such as ``/confirm-email/``) mailed to ``to``."""
    texts = [text for recipient, text in sent_mail(folder) if recipient == to and path in text]
    assert texts, f"no link to {path} was mailed to {to}"
    return texts[-1].split(path, 1)[1].split()[0]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    empty_tables(ctx_of(app).engine)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@dataclass
class ApiAccount:
    user_id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def due_in(weeks: int) -> str:
    """A due date that puts the member at 40 - weeks of pregnancy today."""
    return (date.today() + timedelta(weeks=weeks)).isoformat()


def api_sign_up(client: TestClient, role: str = "member", name: str = "Mia") -> ApiAccount:
    """Sign up through the API; a coach with an invitation an admin made through the API, an
    admin as a member granted admin (``bumpwise admin grant``)."""
    email = unique_email(role)
    body = {"email": email, "password": PASSWORD, "display_name": name}
    if role == "coach":
        body["coach_invitation"] = api_coach_invitation(client, email)
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 201, response.text
    if role == "admin":
        assert isinstance(client.app, FastAPI)
        admin.grant_admin(ctx_of(client.app).uow(), email)
    body = response.json()
    return ApiAccount(body["user"]["id"], email, body["token"]["token"])


def api_admin(client: TestClient) -> ApiAccount:
    return api_sign_up(client, "admin", "Admin")


def api_coach_invitation(client: TestClient, email: str) -> str:
    """An admin invites ``email`` to coach through the API; the token of the link shown once."""
    response = client.post(
        "/api/v1/admin/coach-invitations", json={"email": email}, headers=api_admin(client).headers
    )
    assert response.status_code == 201, response.text
    link: str = response.json()["link"]
    return link.rsplit("/", 1)[-1]


def api_onboard(
    client: TestClient, account: ApiAccount, details: dict[str, Any] | None = None, **screening: Any
) -> dict[str, Any]:
    given = {
        "stage_kind": "pregnant",
        "due_date": due_in(16),
        "activity_level": "active",
        "equipment": ["dumbbells", "chair"],
        "days_per_week": 4,
        "minutes_per_session": 30,
    }
    given.update(details or {})
    response = client.put("/api/v1/me/profile/details", json=given, headers=account.headers)
    assert response.status_code == 200, response.text
    response = client.put("/api/v1/me/profile/screening", json=screening, headers=account.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def api_member(client: TestClient, name: str = "Mia", **screening: Any) -> ApiAccount:
    account = api_sign_up(client, "member", name)
    api_onboard(client, account, **screening)
    return account


def granted_coach(client: TestClient, member: ApiAccount, name: str = "Coach Cara") -> ApiAccount:
    """A new coach whom ``member`` has granted access, through the invite code."""
    coach = api_sign_up(client, "coach", name)
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    return coach


def sign_in_pages(client: TestClient, app: FastAPI, user_id: int) -> None:
    """Give the test client a browser session for ``user_id`` and a CSRF cookie."""
    ctx = ctx_of(app)
    from datetime import UTC, datetime

    token = accounts.start_web_session(ctx.uow(), ctx.rules, user_id, datetime.now(UTC))
    client.cookies.set(session_cookie(ctx), token)
    client.cookies.set(csrf.cookie_name(ctx), CSRF_VALUE)


def form_token(app: FastAPI) -> str:
    return csrf.token_for_cookie(ctx_of(app), CSRF_VALUE)


def with_csrf(app: FastAPI, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**(data or {}), "csrf_token": form_token(app)}


def token_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refused_for_the_token(answer: Any) -> bool:
    return bool(answer.status_code == 401 and answer.json()["error"]["field"] == "Authorization")


def new_token(client: TestClient, member: ApiAccount, **more: Any) -> tuple[int, str]:
    """Another token of ``member``'s (its id and the token), made by signing in with her password."""
    body = {"email": member.email, "password": PASSWORD, "name": "second", **more}
    made = client.post("/api/v1/auth/tokens", json=body)
    assert made.status_code == 201
    return made.json()["details"]["id"], made.json()["token"]


@contextmanager
def clock_at(app: FastAPI, when: datetime) -> Iterator[None]:
    """Inside the block the app's routes take ``when`` as now."""
    app.dependency_overrides[get_now] = lambda: when
    try:
        yield
    finally:
        app.dependency_overrides.pop(get_now)


def token_last_used(engine: Engine, token: str) -> datetime | None:
    """The token's stored last use (UTC), or None when it has none or is gone."""
    query = select(ApiToken.last_used_at).where(ApiToken.token_hash == digest(token))
    with engine.connect() as connection:
        found = connection.scalar(query)
    return None if found is None else found.replace(tzinfo=UTC)
