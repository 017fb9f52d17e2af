"""The weekly summary over the API: the member's own, a consenting client's for a coach (audited),
nobody else's; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from websupport import ApiAccount, api_member, api_sign_up


def _granted(client: TestClient) -> tuple[ApiAccount, ApiAccount]:
    coach = api_sign_up(client, "coach", "Coach Cara")
    member = api_member(client)
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    return coach, member


def _log(client: TestClient, member: ApiAccount, days_ago: int, minutes: int) -> None:
    entry = {
        "session_date": (date.today() - timedelta(days=days_ago)).isoformat(),
        "session_kind": "cardio",
        "minutes": minutes,
        "rpe": 13,
    }
    assert client.post("/api/v1/me/logs", json=entry, headers=member.headers).status_code == 201


def test_member_summary_counts_the_logged_minutes_week_by_week(client: TestClient) -> None:
    member = api_member(client)
    _log(client, member, 0, 40)
    _log(client, member, 14, 25)
    response = client.get("/api/v1/me/summary", params={"weeks": 6}, headers=member.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["weeks"]) == 6 and body["targets"]["moderate_minutes"] == 150
    assert sum(w["moderate_minutes"] for w in body["weeks"]) == 65
    assert body["weeks"][-1]["moderate_minutes"] == 40
    assert "not medical advice" in body["disclaimer"]


def test_summary_weeks_out_of_range_are_refused(client: TestClient) -> None:
    member = api_member(client)
    for weeks in (3, 13):
        response = client.get("/api/v1/me/summary", params={"weeks": weeks}, headers=member.headers)
        assert response.status_code == 422


def test_coach_reads_a_consenting_clients_summary_and_it_is_audited(client: TestClient) -> None:
    coach, member = _granted(client)
    _log(client, member, 0, 30)
    response = client.get(f"/api/v1/coach/clients/{member.user_id}/summary", headers=coach.headers)
    assert response.status_code == 200 and response.json()["weeks"][-1]["moderate_minutes"] == 30
    audit = client.get("/api/v1/me/audit", headers=member.headers).json()["items"]
    assert audit[0]["actor"] == "Coach Cara" and audit[0]["action"] == "viewed your weekly summary"


def test_a_coach_without_the_grant_and_a_member_cannot_read_a_clients_summary(client: TestClient) -> None:
    _, member = _granted(client)
    stranger = api_sign_up(client, "coach", "Stranger")
    other = api_member(client, "Other")
    url = f"/api/v1/coach/clients/{member.user_id}/summary"
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.get(url, headers=other.headers).status_code == 403
    assert client.get("/api/v1/me/summary", headers=stranger.headers).status_code == 403
