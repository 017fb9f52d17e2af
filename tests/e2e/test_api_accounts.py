"""The account API: sign-up, tokens, errors as JSON naming the field, export and deletion."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dbsupport import PASSWORD
from websupport import api_member, api_sign_up


def test_sign_up_returns_a_working_token(client: TestClient) -> None:
    account = api_sign_up(client)
    me = client.get("/api/v1/me", headers=account.headers)
    assert me.status_code == 200
    assert me.json()["email"] == account.email and me.json()["role"] == "member"


def test_requests_without_a_token_get_401_with_a_json_error(client: TestClient) -> None:
    response = client.get("/api/v1/me/today")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["field"] == "Authorization"
    bad = client.get("/api/v1/me/today", headers={"Authorization": "Bearer bw_not-a-real-token"})
    assert bad.status_code == 401


def test_errors_name_the_field_and_the_allowed_values(client: TestClient) -> None:
    account = api_sign_up(client)
    response = client.put(
        "/api/v1/me/profile/details", json={"stage_kind": "expecting"}, headers=account.headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "stage_kind" and error["allowed"] == ["pregnant", "postpartum"]
    unknown = client.put(
        "/api/v1/me/profile/screening", json={"conditions": ["flu"]}, headers=account.headers
    )
    assert unknown.status_code in (404, 422)


def test_unknown_condition_is_refused_with_the_allowed_list(client: TestClient) -> None:
    account = api_member(client)
    response = client.put(
        "/api/v1/me/profile/screening", json={"conditions": ["flu"]}, headers=account.headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "conditions[0]" and "pelvic_girdle_pain" in error["allowed"]


def test_a_second_token_is_issued_for_the_password_and_can_be_revoked(client: TestClient) -> None:
    account = api_sign_up(client)
    issued = client.post(
        "/api/v1/auth/tokens", json={"email": account.email, "password": PASSWORD, "name": "cli"}
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    listed = client.get("/api/v1/me/tokens", headers=account.headers).json()["items"]
    assert {t["name"] for t in listed} == {"API token", "cli"}
    token_id = issued.json()["details"]["id"]
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=account.headers).status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_export_then_delete_leaves_nothing_behind(client: TestClient) -> None:
    account = api_member(client, conditions=["diastasis_recti"])
    client.post("/api/v1/me/symptoms", json={"symptoms": ["abdominal_doming"]}, headers=account.headers)
    exported = client.get("/api/v1/me/export", headers=account.headers)
    assert exported.status_code == 200
    data = exported.json()
    assert data["profile"]["conditions"] == ["diastasis_recti"]
    assert data["symptom_reports"][0]["symptoms"] == ["abdominal_doming"]
    refused = client.post("/api/v1/me/delete", json={"password": "wrong password"}, headers=account.headers)
    assert refused.status_code == 401
    deleted = client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=account.headers)
    assert deleted.status_code == 204
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401


def test_without_smtp_or_outbox_no_reset_link_reaches_the_log(client: TestClient, caplog: object) -> None:
    import logging

    import pytest

    assert isinstance(caplog, pytest.LogCaptureFixture)
    account = api_sign_up(client)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/api/v1/auth/password-reset", json={"email": account.email})
    assert response.status_code == 202
    assert "/reset/" not in caplog.text and account.email not in caplog.text
    assert "was not sent" in caplog.text and f"{account.email[0]}***@example.org" in caplog.text
