"""The busiest write, a session log, checks its token as every API route does, though by its own
dependency (web/idempotency.api_create) and with the caller read on the driver's cursor: a token
unknown, revoked or expired is refused with 401 and stores nothing, a token unused for over an
hour is stamped, and the account's language speaks in the write's errors (the write itself runs
in the group commit's thread, in the request's context)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from websupport import (
    ApiAccount,
    api_member,
    bearer,
    clock_at,
    new_token,
    refused_for_the_token,
    token_last_used,
)

LOGS = "/api/v1/me/logs"
NOT_A_LIBRARY_EXERCISE = "no-such-exercise"


def log_body(**changes: Any) -> dict[str, Any]:
    return {
        "session_date": date.today().isoformat(),
        "session_kind": "strength",
        "items_done": ["glute-bridge"],
        "minutes": 20,
        **changes,
    }


def stored_minutes(client: TestClient, member: ApiAccount) -> list[int]:
    listed = client.get(LOGS, headers=member.headers)
    assert listed.status_code == 200
    return [log["minutes"] for log in listed.json()["items"]]


def test_a_request_without_a_token_is_refused_before_its_body_is_read(client: TestClient) -> None:
    assert refused_for_the_token(client.post(LOGS, json={"rpe": 99}))
    assert refused_for_the_token(client.post(LOGS, json=log_body(), headers={"Authorization": "Basic eDp5"}))


@pytest.mark.parametrize("token", ["bw_no-such-token", "no-prefix-at-all"])
def test_an_unknown_token_is_refused_and_stores_nothing(client: TestClient, token: str) -> None:
    mia = api_member(client)

    assert refused_for_the_token(client.post(LOGS, json=log_body(), headers=bearer(token)))
    assert stored_minutes(client, mia) == []


def test_a_revoked_token_is_refused(client: TestClient) -> None:
    mia = api_member(client)
    token_id, token = new_token(client, mia)
    assert client.post(LOGS, json=log_body(minutes=11), headers=bearer(token)).status_code == 201

    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=mia.headers).status_code == 204

    assert refused_for_the_token(client.post(LOGS, json=log_body(minutes=12), headers=bearer(token)))
    assert stored_minutes(client, mia) == [11]


def test_an_expired_token_is_refused_and_one_unused_for_an_hour_is_stamped(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    mia = api_member(client)
    _, token = new_token(client, mia, expires_in_days=1)
    later = datetime.now(UTC) + timedelta(hours=2)
    with clock_at(app, later):
        assert client.post(LOGS, json=log_body(minutes=13), headers=bearer(token)).status_code == 201
    assert token_last_used(engine, token) == later
    with clock_at(app, later + timedelta(days=1)):
        assert refused_for_the_token(client.post(LOGS, json=log_body(minutes=14), headers=bearer(token)))
    assert stored_minutes(client, mia) == [13]


def test_the_accounts_language_speaks_in_the_writes_errors(client: TestClient) -> None:
    mia = api_member(client)
    assert client.patch("/api/v1/me", json={"language": "es"}, headers=mia.headers).status_code == 200

    refused = client.post(LOGS, json=log_body(items_done=[NOT_A_LIBRARY_EXERCISE]), headers=mia.headers)

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "items_done[0]"
    assert error["message"] == f"'{NOT_A_LIBRARY_EXERCISE}' no es un ejercicio de la biblioteca"
