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

from bumpwise.persistence.models import WebSession
from bumpwise.services.rendered import digest
from bumpwise.web.deps import session_cookie
from websupport import (
    api_member,
    bearer,
    clock_at,
    ctx_of,
    new_token,
    refused_for_the_token,
    sign_in_pages,
    token_last_used,
)


@pytest.mark.parametrize("page", ["/api/v1/me/today", "/api/v1/me/week"])
def test_a_page_asked_for_after_an_hour_answers_and_records_the_use(
    client: TestClient, app: FastAPI, engine: Engine, page: str
) -> None:
    mia = api_member(client)
    _, token = new_token(client, mia, expires_in_days=1)
    assert client.get(page, headers=bearer(token)).status_code == 200
    later = datetime.now(UTC) + timedelta(hours=2)
    with clock_at(app, later):
        answer = client.get(page, headers=bearer(token))
    assert answer.status_code == 200 and answer.json()["header"]["disclaimer"]
    assert token_last_used(engine, token) == later
    with clock_at(app, later + timedelta(days=1)):
        assert refused_for_the_token(client.get(page, headers=bearer(token)))
    assert token_last_used(engine, token) == later


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
        with clock_at(app, later):
            again = client.get("/today", follow_redirects=False)
        assert again.status_code == 200 and _without_keys(again.text) == _without_keys(first.text)
        assert _last_seen(engine, token) == later
    with clock_at(app, datetime.now(UTC) + timedelta(hours=1)):
        assert client.get("/today", follow_redirects=False).status_code == 303, "idle: signed out"
    assert _last_seen(engine, token) is None


def _without_keys(page: str) -> str:
    return re.sub(r'name="idempotency_key" value="[^"]+"', "", page)
