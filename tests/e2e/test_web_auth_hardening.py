"""Issue 10 (points 2, 5, 7 in part, 11) through real requests to the app, on SQLite and
PostgreSQL: what ends when a password changes or is reset, sign-in limits that spare the owner,
trusted proxies, the password policy, token expiry, the session list, e-mail changes and sign-ups
that reveal no account, request limits (429, Retry-After, the error shape) and cookie deletion."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from bumpwise.persistence.models import WebSession
from bumpwise.services import accounts
from bumpwise.services.principal import Role
from bumpwise.web.app import create_app
from dbsupport import NEW_PASSWORD, PASSWORD, Mail, empty_tables, settings_for, unique_email
from websupport import (
    ApiAccount,
    api_sign_up,
    ctx_of,
    form_token,
    mail_outbox,
    sent_mail,
    sign_in_pages,
    with_csrf,
)


@contextmanager
def app_with(
    database_url: str, *, peer: str = "testclient", **settings: Any
) -> Iterator[tuple[FastAPI, TestClient, Mail]]:
    """An app with these settings over the test database, a client connecting from ``peer``,
    and the mail it sends."""
    application = create_app(settings_for(database_url, **settings))
    sent: Mail = []
    ctx = ctx_of(application)
    application.state.ctx = replace(ctx, deliver=lambda to, subject, body: sent.append((to, subject, body)))
    empty_tables(ctx.engine)
    try:
        base = "https://testserver" if settings.get("env") == "production" else "http://testserver"
        with TestClient(application, base_url=base, client=(peer, 50000)) as client:
            yield application, client, sent
    finally:
        ctx.engine.dispose()


def _reset_link(client: TestClient, app: FastAPI, outbox: Path, email: str) -> str:
    with mail_outbox(app, outbox):
        assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    *_, (to, body) = sent_mail(outbox)
    assert to == email
    return body.split("/reset/")[1].split()[0]


def _new_token(client: TestClient, account: ApiAccount, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/api/v1/auth/tokens", json={"email": account.email, "password": password, **extra})


def _page_sign_in(
    client: TestClient, app: FastAPI, email: str, password: str = PASSWORD, **headers: str
) -> Any:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    form = {"email": email, "password": password, "csrf_token": form_token(app)}
    return client.post("/signin", data=form, headers=headers, follow_redirects=False)


# Point 2


def test_a_password_change_through_the_api_ends_every_other_token_and_every_session(
    client: TestClient, app: FastAPI
) -> None:
    account = api_sign_up(client)
    other = _new_token(client, account).json()["token"]
    sign_in_pages(client, app, account.user_id)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.post("/api/v1/me/password", json=change, headers=account.headers).status_code == 204
    assert client.get("/api/v1/me", headers=account.headers).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/signin")


def test_a_password_change_on_the_page_keeps_this_browser_only(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    elsewhere = TestClient(app, base_url="http://testserver")
    sign_in_pages(elsewhere, app, account.user_id)
    sign_in_pages(client, app, account.user_id)
    change = with_csrf(app, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert client.post("/account/password", data=change, follow_redirects=False).status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 200
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401


def test_a_reset_ends_api_tokens_too(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    account = api_sign_up(client)
    link = _reset_link(client, app, tmp_path, account.email)
    confirm = {"token": link, "password": NEW_PASSWORD}
    assert client.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 204
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401


def test_an_older_reset_link_stops_working_once_a_newer_one_is_sent_or_used(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    account = api_sign_up(client)
    older = _reset_link(client, app, tmp_path, account.email)
    newer = _reset_link(client, app, tmp_path, account.email)
    refused = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": older, "password": NEW_PASSWORD}
    )
    assert refused.status_code == 404 and refused.json()["error"]["field"] == "token"
    used = client.post("/api/v1/auth/password-reset/confirm", json={"token": newer, "password": NEW_PASSWORD})
    assert used.status_code == 204
    assert "unknown, already used or expired" in client.get(f"/reset/{older}").text


# Point 5


def test_a_stranger_guessing_wrong_cannot_lock_out_the_owner(database_url: str) -> None:
    with app_with(database_url, peer="203.0.113.66") as (app, stranger, _):
        account = api_sign_up(stranger)
        for _ in range(5):
            assert _new_token(stranger, account, "wrong password").status_code == 401
        refused = _new_token(stranger, account)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert refused.json()["error"]["field"] == "password"
        with TestClient(app, base_url="http://testserver", client=("198.51.100.7", 50000)) as owner:
            assert _new_token(owner, account).status_code == 201
            assert _page_sign_in(owner, app, account.email).status_code == 303


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(database_url: str) -> None:
    with app_with(database_url, peer="10.0.0.2", trusted_proxies="10.0.0.0/8") as (_app, proxy, _):
        account = api_sign_up(proxy)
        stranger = {"X-Forwarded-For": "203.0.113.66, 10.0.0.5"}
        for _ in range(5):
            wrong = proxy.post(
                "/api/v1/auth/tokens", json={"email": account.email, "password": "wrong"}, headers=stranger
            )
            assert wrong.status_code == 401
        right = {"email": account.email, "password": PASSWORD}
        assert proxy.post("/api/v1/auth/tokens", json=right, headers=stranger).status_code == 429
        owner = {"X-Forwarded-For": "198.51.100.7"}
        assert proxy.post("/api/v1/auth/tokens", json=right, headers=owner).status_code == 201
    with app_with(database_url, peer="192.0.2.50") as (_app, direct, _):
        account = api_sign_up(direct)
        for n in range(5):
            forged = {"X-Forwarded-For": f"198.51.100.{n}"}
            wrong = direct.post(
                "/api/v1/auth/tokens", json={"email": account.email, "password": "wrong"}, headers=forged
            )
            assert wrong.status_code == 401
        other = {"X-Forwarded-For": "198.51.100.99"}
        right = {"email": account.email, "password": PASSWORD}
        assert direct.post("/api/v1/auth/tokens", json=right, headers=other).status_code == 429


def test_the_owners_known_browser_gets_in_while_many_addresses_guess(database_url: str) -> None:
    attack = app_with(database_url, peer="198.51.100.7", login_slowdown_email=3, login_slowdown_seconds=60)
    with attack as (app, owner, _):
        account = api_sign_up(owner)
        assert _page_sign_in(owner, app, account.email).status_code == 303
        assert "bw_device" in owner.cookies
        for n in range(4):
            with TestClient(app, base_url="http://testserver", client=(f"203.0.113.{n}", 1)) as guesser:
                _new_token(guesser, account, "wrong password")
        with TestClient(app, base_url="http://testserver", client=("192.0.2.8", 1)) as new_browser:
            assert _page_sign_in(new_browser, app, account.email).status_code == 429
        assert _page_sign_in(owner, app, account.email).status_code == 303


# Point 11


def test_passwords_need_12_characters_and_must_not_be_common(client: TestClient) -> None:
    def sign_up(password: str) -> Any:
        body = {"email": unique_email(), "password": password, "display_name": "New"}
        return client.post("/api/v1/auth/signup", json=body)

    short = sign_up("elevenchars")
    assert short.status_code == 422 and short.json()["error"]["field"] == "password"
    assert "12" in short.json()["error"]["message"]
    breached = sign_up("password1234")
    assert breached.status_code == 422 and "breached" in breached.json()["error"]["message"]
    assert sign_up("qwertyuiop123").status_code == 422
    assert sign_up(PASSWORD).status_code == 201


def test_tokens_expire_and_list_their_expiry(client: TestClient) -> None:
    account = api_sign_up(client)
    week = _new_token(client, account, expires_in_days=7)
    assert week.status_code == 201
    made = datetime.fromisoformat(week.json()["details"]["created_at"])
    assert datetime.fromisoformat(week.json()["details"]["expires_at"]) - made == timedelta(days=7)
    too_long = _new_token(client, account, expires_in_days=366)
    assert too_long.status_code == 422 and too_long.json()["error"]["field"] == "expires_in_days"
    listed = client.get("/api/v1/me/tokens", headers=account.headers).json()["items"]
    assert all("expires_at" in token for token in listed)


def test_an_idle_browser_session_ends(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    sign_in_pages(client, app, account.user_id)
    assert client.get("/account", follow_redirects=False).status_code == 200
    idle_since = datetime.now(UTC) - timedelta(minutes=31)
    with ctx_of(app).engine.begin() as connection:
        connection.execute(update(WebSession).values(last_seen_at=idle_since))
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/signin")


def test_own_sessions_are_listed_and_ended_one_by_one_or_everywhere(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    sign_in_pages(client, app, account.user_id)
    page = client.get("/account")
    assert "Where you are signed in" in page.text and "this browser" in page.text
    sessions = client.get("/api/v1/me/sessions", headers=account.headers).json()["items"]
    assert len(sessions) == 1 and set(sessions[0]) >= {"id", "created_at", "last_seen_at", "expires_at"}
    ended = client.delete(f"/api/v1/me/sessions/{sessions[0]['id']}", headers=account.headers)
    assert ended.status_code == 204
    assert client.get("/account", follow_redirects=False).status_code == 303
    sign_in_pages(client, app, account.user_id)
    everywhere = client.post("/account/sign-out-everywhere", data=with_csrf(app), follow_redirects=False)
    assert everywhere.status_code == 303
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401


def test_an_email_change_needs_the_password_and_reveals_no_account(database_url: str) -> None:
    with app_with(database_url) as (_app, client, sent):
        account, taken = api_sign_up(client), api_sign_up(client)
        sent.clear()  # each sign-up's confirmation link
        without = client.patch("/api/v1/me", json={"email": unique_email()}, headers=account.headers)
        assert without.status_code == 422 and without.json()["error"]["field"] == "current_password"
        wrong = {"email": unique_email(), "current_password": "not the password"}
        assert client.patch("/api/v1/me", json=wrong, headers=account.headers).status_code == 401
        answers = [
            client.patch(
                "/api/v1/me", json={"email": email, "current_password": PASSWORD}, headers=account.headers
            )
            for email in ("free-address@example.org", taken.email)
        ]
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[0].json() == answers[1].json() and answers[0].json()["email"] == account.email
        assert [to for to, _, _ in sent] == ["free-address@example.org", taken.email]
        token = sent[0][2].split("/account/email/")[1].split()[0]
        assert "/account/email/" not in sent[1][2]
        confirmed = client.post("/api/v1/auth/email-change/confirm", json={"token": token})
        assert confirmed.status_code == 200 and confirmed.json()["email"] == "free-address@example.org"
        assert client.post("/api/v1/auth/email-change/confirm", json={"token": token}).status_code == 404


def test_sign_up_with_a_taken_email_answers_like_a_new_one(database_url: str) -> None:
    with app_with(database_url) as (app, client, sent):
        owner = api_sign_up(client)
        body = {"password": PASSWORD, "display_name": "Someone"}
        fresh = client.post("/api/v1/auth/signup", json={"email": unique_email(), **body})
        taken = client.post("/api/v1/auth/signup", json={"email": owner.email, **body})
        assert fresh.status_code == taken.status_code == 201
        assert fresh.json().keys() == taken.json().keys()
        assert fresh.json()["user"].keys() == taken.json()["user"].keys()
        assert fresh.json()["token"]["details"].keys() == taken.json()["token"]["details"].keys()
        fresh_email = fresh.json()["user"]["email"]
        # one message to each address either way: the new ones get their confirmation link, the
        # taken one's owner a note
        assert [to for to, _, _ in sent] == [owner.email, fresh_email, owner.email]
        assert ["/confirm-email/" in text for _, _, text in sent] == [True, True, False]
        client.cookies.set("bw_csrf", "test-csrf-cookie-value")
        page_fresh = client.post(
            "/signup", data=with_csrf(app, {"email": unique_email(), **body}), follow_redirects=False
        )
        client.cookies.clear()
        client.cookies.set("bw_csrf", "test-csrf-cookie-value")
        page_taken = client.post(
            "/signup", data=with_csrf(app, {"email": owner.email, **body}), follow_redirects=False
        )
        assert page_fresh.status_code == page_taken.status_code == 303
        assert page_fresh.headers["location"] == page_taken.headers["location"]


def _limited(response: Any, field: str) -> None:
    assert response.status_code == 429, response.text[:300]
    assert int(response.headers["retry-after"]) > 0


def test_sign_ups_reset_requests_and_free_pdfs_are_rate_limited(database_url: str) -> None:
    limits = app_with(database_url, signups_per_hour=2, reset_requests_per_hour=2, free_pdfs_per_hour=1)
    with limits as (app, client, _):
        for _ in range(2):
            api_sign_up(client)
        signup = client.post(
            "/api/v1/auth/signup", json={"email": unique_email(), "password": PASSWORD, "display_name": "N"}
        )
        _limited(signup, "email")
        assert signup.json()["error"]["field"] == "email" and signup.json()["error"]["allowed"] == []
        for n in range(2):
            assert (
                client.post("/api/v1/auth/password-reset", json={"email": f"x{n}@example.org"}).status_code
                == 202
            )
        _limited(client.post("/api/v1/auth/password-reset", json={"email": "y@example.org"}), "email")
        client.cookies.set("bw_csrf", "test-csrf-cookie-value")
        pdf = with_csrf(app, {"weeks": "oops"})
        assert client.post("/free-workout/pdf", data=pdf).status_code == 422
        refused = client.post("/free-workout/pdf", data=pdf)
        _limited(refused, "")
        assert "too many" in refused.text.lower()


def test_sign_out_deletes_the_host_cookie_with_the_attributes_it_was_set_with(database_url: str) -> None:
    production = app_with(database_url, env="production", secret_key="k" * 40, cheap_password_hashing=False)
    with production as (app, client, _):
        ctx = ctx_of(app)
        now = datetime.now(UTC)
        member = accounts.sign_up(
            ctx.uow(),
            ctx.rules,
            email=unique_email(),
            password=PASSWORD,
            display_name="M",
            role=Role.MEMBER,
            now=now,
        )
        session = accounts.start_web_session(ctx.uow(), ctx.rules, member.user_id, now)
        client.cookies.set("__Host-bw_session", session)
        client.cookies.set("__Host-bw_csrf", "test-csrf-cookie-value")
        out = client.post("/signout", data=with_csrf(app), follow_redirects=False)
        cookie = out.headers["set-cookie"]
        assert cookie.startswith("__Host-bw_session=") and "Max-Age=0" in cookie
        assert "Secure" in cookie and "Path=/" in cookie and "HttpOnly" in cookie and "Domain" not in cookie
