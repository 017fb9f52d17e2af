"""Security: strict headers, request size limit, CSRF on forms, login rate limit, cookies, logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.config import Settings
from bumpwise.web.middleware import CSP
from dbsupport import PASSWORD
from websupport import api_member, api_sign_up, ctx_of, form_token, sign_in_pages, with_csrf


@pytest.mark.parametrize("path", ["/", "/api/v1/exercises", "/api/v1/me", "/static/app.css", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "frame-ancestors 'none'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    if path == "/api/v1/exercises":  # the public library: kept, and asked again with its ETag
        assert headers["cache-control"] == "public, no-cache" and headers["etag"]
    elif not path.startswith("/static/"):
        assert headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/signup", "/signin", "/free-workout", "/exercises", "/exercises/glute-bridge"):
        html = client.get(path).text
        assert "<script" not in html and "style=" not in html and "<style" not in html


def test_oversized_bodies_are_refused_with_413(client: TestClient, app: FastAPI) -> None:
    limit = ctx_of(app).settings.max_request_bytes
    response = client.post(
        "/api/v1/free-workout", content=b"x" * (limit + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("the request body is over")

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 1024 + 2):
            yield b" " * 1024

    streamed = client.post(
        "/api/v1/free-workout", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    page = client.post(
        "/account/branding", content=b"x" * (limit + 1), headers={"content-type": "text/plain"}
    )
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "too large" in page.text and f"{limit // 1024} kB" in page.text


def test_a_form_post_without_the_csrf_token_is_refused(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    refused = client.post("/check-in", data={"symptoms": "back_pain"}, follow_redirects=False)
    assert refused.status_code == 403
    forged = client.post(
        "/check-in", data={"symptoms": "back_pain", "csrf_token": "forged"}, follow_redirects=False
    )
    assert forged.status_code == 403
    accepted = client.post(
        "/check-in", data=with_csrf(app, {"symptoms": "back_pain"}), follow_redirects=False
    )
    assert accepted.status_code == 303


def test_signup_and_signin_forms_need_the_csrf_token_too(client: TestClient, app: FastAPI) -> None:
    assert client.post("/signin", data={"email": "a@example.org", "password": "x"}).status_code == 403
    page = client.get("/signup")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"email": "new@example.org", "password": PASSWORD, "display_name": "New", "csrf_token": token}
    assert client.post("/signup", data=form, follow_redirects=False).status_code == 303


def test_sign_in_is_rate_limited_after_five_failures(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    wrong = {"email": account.email, "password": "not it", "csrf_token": form_token(app)}
    statuses = [client.post("/signin", data=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5
    right = {**wrong, "password": PASSWORD}
    limited = client.post("/signin", data=right)
    assert limited.status_code == 429 and "too many" in limited.text.lower()
    api = client.post("/api/v1/auth/tokens", json={"email": account.email, "password": PASSWORD})
    assert api.status_code == 429 and api.headers["retry-after"]


def test_session_cookie_is_httponly_lax_and_secure_outside_development(
    client: TestClient, app: FastAPI
) -> None:
    account = api_sign_up(client)
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    form = {"email": account.email, "password": PASSWORD, "csrf_token": form_token(app)}
    response = client.post("/signin", data=form, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    production = Settings(env="production", secret_key="k" * 40, database_url="sqlite://")
    assert production.secure_cookies


def test_unsafe_settings_are_refused_outside_development() -> None:
    with pytest.raises(ValueError, match="BUMPWISE_SECRET_KEY"):
        Settings(env="production", secret_key="changethis", database_url="sqlite://")
    with pytest.raises(ValueError, match="tests only"):
        Settings(env="production", secret_key="k" * 40, database_url="sqlite://", cheap_password_hashing=True)


def test_no_health_data_reaches_the_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        member = api_member(client, conditions=["pelvic_girdle_pain"])
        client.post(
            "/api/v1/me/symptoms",
            json={"warning_signs": ["vaginal_bleeding"], "note": "spotting"},
            headers=member.headers,
        )
        client.get("/api/v1/me/today", headers=member.headers)
    for secret in ("pelvic_girdle_pain", "vaginal_bleeding", "spotting", member.token):
        assert secret not in caplog.text


def test_openapi_is_served_and_documents_bearer_auth(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me/today" in spec["paths"] and "/api/v1/coach/clients/{member_id}/swaps" in spec["paths"]
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())
    assert not any(path.startswith("/today") for path in spec["paths"])


def test_every_page_form_route_refuses_a_post_without_the_csrf_token(
    client: TestClient, app: FastAPI
) -> None:
    from fastapi.routing import iter_route_contexts

    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    posts = [
        str(c.path)
        for c in iter_route_contexts(app.routes)
        if "POST" in (getattr(c.original_route, "methods", None) or set())
        and not str(c.path).startswith("/api/")
        # RFC 8058 one-click unsubscribe and the opt-in confirmation link: the secret token in
        # the path is the credential
        and str(c.path)
        not in (
            "/unsubscribe/{lead_token}",
            "/unsubscribe/mail/{mail_token}",
            "/free-workout/confirm/{confirm_token}",
        )
    ]
    assert len(posts) > 20
    for path in posts:
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        response = client.post(url, data={"anything": "x"}, follow_redirects=False)
        assert response.status_code == 403, f"{path}: {response.status_code}"
