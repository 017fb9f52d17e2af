"""The member API: onboarding result, today's session, the week, logging, check-ins, library."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from websupport import api_member, api_onboard, api_sign_up


def test_onboarding_answers_with_clearance_reasons_and_sources(client: TestClient) -> None:
    account = api_sign_up(client)
    result = api_onboard(client, account, conditions=["pelvic_girdle_pain"])
    assert result["clearance"] == "cleared"
    assert result["reasons"] and all(r["source"] for r in result["reasons"])
    assert result["disclaimer"]


def test_today_has_doses_cues_modifications_and_why(client: TestClient) -> None:
    account = api_member(client)
    week = client.get("/api/v1/me/week", headers=account.headers).json()
    assert week["header"]["clearance"] == "cleared"
    items = [i for d in week["week"]["days"] for s in d["sessions"] for i in s["items"]]
    assert all(i["dose"]["text"] and i["why"] and i["cues"]["setup"] for i in items)
    today = client.get("/api/v1/me/today", headers=account.headers).json()
    assert today["date"] == date.today().isoformat()
    assert today["day"]["date"] == date.today().isoformat()


def test_logging_a_session_shows_up_today(client: TestClient) -> None:
    account = api_member(client)
    body = {
        "session_date": date.today().isoformat(),
        "session_kind": "strength",
        "items_done": ["glute-bridge"],
        "rpe": 13,
        "minutes": 28,
        "notes": "felt good",
    }
    created = client.post("/api/v1/me/logs", json=body, headers=account.headers)
    assert created.status_code == 201
    today = client.get("/api/v1/me/today", headers=account.headers).json()
    assert [log["minutes"] for log in today["logs"]] == [28]
    bad = client.post("/api/v1/me/logs", json={**body, "rpe": 25}, headers=account.headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "rpe"


def test_a_warning_sign_stops_and_holds_the_plan_until_resolved(client: TestClient) -> None:
    account = api_member(client)
    stop = client.post(
        "/api/v1/me/symptoms", json={"warning_signs": ["calf_pain_or_swelling"]}, headers=account.headers
    )
    assert stop.status_code == 201
    body = stop.json()
    assert body["stop"] is True and "Do not exercise" in body["what_to_do"]
    held = client.get("/api/v1/me/today", headers=account.headers).json()
    assert held["header"]["held"] and held["day"] is None
    resolved = client.post(f"/api/v1/me/symptoms/{body['report']['id']}/resolve", headers=account.headers)
    assert resolved.status_code == 200
    assert client.get("/api/v1/me/today", headers=account.headers).json()["header"]["held"] is False


def test_a_non_urgent_symptom_adapts_the_next_sessions(client: TestClient) -> None:
    account = api_member(client)
    result = client.post(
        "/api/v1/me/symptoms", json={"symptoms": ["urinary_leakage"]}, headers=account.headers
    )
    assert result.json()["stop"] is False and result.json()["adapted"] is True
    week = client.get("/api/v1/me/week", headers=account.headers).json()["week"]
    items = [i for d in week["days"] for s in d["sessions"] for i in s["items"]]
    assert not any(i["exercise"]["impact"] == "high" for i in items)
    assert any(
        "leak" in r["text"].lower() or "pelvic" in r["text"].lower()
        for r in client.get("/api/v1/me/week", headers=account.headers).json()["header"]["reasons"]
    )


def test_library_filters_and_safe_for_me(client: TestClient) -> None:
    account = api_member(client, conditions=["pelvic_girdle_pain"])
    everything = client.get("/api/v1/exercises").json()
    lunges = client.get("/api/v1/exercises", params={"pattern": "lunge"}).json()
    assert 0 < lunges["total"] < everything["total"]
    assert all(e["pattern"] == "lunge" for e in lunges["items"])
    mine = client.get("/api/v1/exercises", params={"safe_for_me": "true"}, headers=account.headers).json()
    assert mine["safe_for_me"] and mine["total"] < everything["total"]
    assert not any(e["asymmetric_lower_body"] for e in mine["items"])
    assert client.get("/api/v1/exercises", params={"safe_for_me": "true"}).status_code == 401
    searched = client.get("/api/v1/exercises", params={"q": "bridge", "position": "supine"}).json()
    assert all(e["position"] == "supine" for e in searched["items"])


def test_exercise_page_gives_this_members_verdict(client: TestClient) -> None:
    account = api_member(client, conditions=["pelvic_girdle_pain"])
    page = client.get("/api/v1/exercises/reverse-lunge", headers=account.headers).json()
    assert page["verdict"]["verdict"] == "excluded" and page["verdict"]["reasons"]
    anonymous = client.get("/api/v1/exercises/reverse-lunge").json()
    assert anonymous["verdict"] is None and anonymous["exercise"]["cues"]["setup"]
    assert client.get("/api/v1/exercises/no-such-thing").status_code == 404
