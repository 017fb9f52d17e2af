"""A member's pages read their caller once (web/hot.KeptJson, persistence.callers): a token unused
for over an hour, or a browser session idle for over a minute, is still answered and its use
recorded, whether the read records it (a server database) or the full check does (SQLite); an
expired token is refused and never stamped, and a session idle past the limit is ended."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bumpwise.persistence.models import ApiToken, WebSession
from bumpwise.services.rendered import digest
from bumpwise.web.deps import get_now, session_cookie
from websupport import api_member, bearer, ctx_of, new_token, refused_for_the_token, sign_in_pages


def _last_used(engine: Engine, token: str) -> datetime | None:
    with engine.connect() as connection:
        found = connection.scalar(select(ApiToken.last_used_at).where(ApiToken.token_hash == digest(token)))
    return None if found is None else found.replace(tzinfo=UTC)


@pytest.mark.parametrize("page", ["/api/v1/me/today", "/api/v1/me/week"])
def test_a_page_asked_for_after_an_hour_answers_and_records_the_use(
    client: TestClient, app: FastAPI, engine: Engine, page: str
) -> None:
    mia = api_member(client)
    _, token = new_token(client, mia, expires_in_days=1)
    assert client.get(page, headers=bearer(token)).status_code == 200
    later = datetime.now(UTC) + timedelta(hours=2)
    app.dependency_overrides[get_now] = lambda: later
    try:
        answer = client.get(page, headers=bearer(token))
        assert answer.status_code == 200 and answer.json()["header"]["disclaimer"]
        assert _last_used(engine, token) == later
        app.dependency_overrides[get_now] = lambda: later + timedelta(days=1)
        assert refused_for_the_token(client.get(page, headers=bearer(token)))
        assert _last_used(engine, token) == later
    finally:
        app.dependency_overrides.pop(get_now)


def _last_seen(engine: Engine, token: str) -> datetime | None:
    with engine.connect() as connection:
        found = connection.scalar(
            select(WebSession.last_seen_at).where(WebSession.token_hash == digest(token))
        )
    return None if found is None else found.replace(tzinfo=UTC)


def test_the_today_page_after_a_minute_answers_and_records_the_activity_and_an_idle_session_ends(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    mia = api_member(client)
    sign_in_pages(client, app, mia.user_id)
    first = client.get("/today", follow_redirects=False)
    assert first.status_code == 200 and "not medical advice" in first.text
    token = client.cookies[session_cookie(ctx_of(app))]
    for minutes in (2, 4):
        later = datetime.now(UTC) + timedelta(minutes=minutes)
        app.dependency_overrides[get_now] = lambda at=later: at
        try:
            again = client.get("/today", follow_redirects=False)
        finally:
            app.dependency_overrides.pop(get_now)
        assert again.status_code == 200 and _without_keys(again.text) == _without_keys(first.text)
        assert _last_seen(engine, token) == later
    an_hour_on = datetime.now(UTC) + timedelta(hours=1)
    app.dependency_overrides[get_now] = lambda: an_hour_on
    try:
        assert client.get("/today", follow_redirects=False).status_code == 303, "idle: signed out"
    finally:
        app.dependency_overrides.pop(get_now)
    assert _last_seen(engine, token) is None


def _without_keys(page: str) -> str:
    return re.sub(r'name="idempotency_key" value="[^"]+"', "", page)
