"""A member's pages read their caller once (web/hot.KeptJson, persistence.callers): a token unused
for over an hour is still answered, and its use recorded, whether the read records it (a server
database) or the full check does (SQLite); an expired token is refused and never stamped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bumpwise.persistence.models import ApiToken
from bumpwise.services.rendered import digest
from bumpwise.web.deps import get_now
from websupport import api_member, bearer, new_token, refused_for_the_token


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
