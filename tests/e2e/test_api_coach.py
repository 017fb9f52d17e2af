"""The coach API: invites and consent, roster alerts, client detail, swaps within the rules,
the member's audit log, leads as CSV and imported exercises awaiting confirmation."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from websupport import ApiAccount, api_confirmed_lead, api_member, api_sign_up


def _granted(client: TestClient, **screening: Any) -> tuple[ApiAccount, ApiAccount]:
    coach = api_sign_up(client, "coach", "Coach Cara")
    member = api_member(client, **screening)
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    granted = client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers)
    assert granted.status_code == 201
    return coach, member


def test_roster_lists_consenting_clients_with_stage_and_alerts(client: TestClient) -> None:
    coach, member = _granted(client)
    client.post("/api/v1/me/symptoms", json={"warning_signs": ["headache"]}, headers=member.headers)
    roster = client.get("/api/v1/coach/clients", headers=coach.headers).json()
    [row] = roster["items"]
    assert row["member_id"] == member.user_id and row["stage_week"] == 24
    assert [a["kind"] for a in row["alerts"]] == ["warning_sign"]


def test_client_detail_is_audited_and_visible_to_the_member(client: TestClient) -> None:
    coach, member = _granted(client)
    detail = client.get(f"/api/v1/coach/clients/{member.user_id}", headers=coach.headers)
    assert detail.status_code == 200 and detail.json()["week"]["days"]
    audit = client.get("/api/v1/me/audit", headers=member.headers).json()["items"]
    assert audit[0]["actor"] == "Coach Cara" and "viewed" in audit[0]["action"]


def test_swap_to_excluded_exercise_is_refused_with_the_reason(client: TestClient) -> None:
    coach, member = _granted(client, conditions=["pelvic_girdle_pain"])
    response = client.post(
        f"/api/v1/coach/clients/{member.user_id}/swaps",
        json={"from_exercise": "goblet-squat", "to_exercise": "walking-lunge"},
        headers=coach.headers,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "to_exercise" and "excluded for this client" in error["message"]


def test_revoked_coach_loses_access(client: TestClient) -> None:
    coach, member = _granted(client)
    assert client.delete(f"/api/v1/me/coaches/{coach.user_id}", headers=member.headers).status_code == 204
    assert client.get(f"/api/v1/coach/clients/{member.user_id}", headers=coach.headers).status_code == 404


def test_leads_export_as_csv_with_consent(client: TestClient) -> None:
    coach = api_sign_up(client, "coach")
    handle = client.get("/api/v1/coach/page", headers=coach.headers).json()["handle"]
    app: FastAPI = client.app  # type: ignore[assignment]
    api_confirmed_lead(client, app, "lead@example.org", handle)
    csv = client.get("/api/v1/coach/leads.csv", headers=coach.headers)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "email,consented_at,consent_text,source"
    assert lines[1].startswith("lead@example.org,") and "unsubscribe" in lines[1]


def test_imported_exercises_wait_for_a_coach_to_confirm(client: TestClient) -> None:
    coach = api_sign_up(client, "coach")
    rows = [
        {
            "source": "free-exercise-db",
            "source_id": "Barbell_Squat",
            "name": "Barbell Squat",
            "position": "standing",
            "asymmetric_lower_body": False,
            "wide_stance": False,
            "impact": "low",
            "spinal_flexion": False,
            "confidence": 0.4,
            "review_needed": True,
        }
    ]
    assert client.post("/api/v1/imports", json=rows, headers=coach.headers).json() == {"stored": 1}
    [pending] = client.get("/api/v1/imports", headers=coach.headers).json()["items"]
    confirmed = client.post(
        f"/api/v1/imports/{pending['id']}/confirm",
        json={
            "position": "standing",
            "asymmetric_lower_body": False,
            "wide_stance": True,
            "impact": "low",
            "spinal_flexion": False,
        },
        headers=coach.headers,
    )
    assert confirmed.status_code == 200 and confirmed.json()["review_needed"] is False
    assert confirmed.json()["data"]["wide_stance"] is True
    assert client.get("/api/v1/imports", headers=coach.headers).json()["items"] == []


def test_the_importers_own_output_is_stored_as_it_is(client: TestClient) -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    bumpwise = Path(sys.executable).parent / "bumpwise"
    sample = Path(__file__).parents[1] / "data" / "wger_sample.json"
    output = subprocess.run(
        [str(bumpwise), "exercises", "import", "--from", "wger", str(sample), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = json.loads(output)
    coach = api_sign_up(client, "coach")
    stored = client.post("/api/v1/imports", json=rows, headers=coach.headers)
    assert stored.status_code == 201 and stored.json() == {"stored": len(rows)}
    everything = {"pending_only": "false"}
    listed = client.get("/api/v1/imports", params=everything, headers=coach.headers).json()["items"]
    assert {r["source_id"] for r in listed} == {r["source_id"] for r in rows}
    pending = [r for r in listed if r["review_needed"]]
    assert len(pending) == sum(1 for r in rows if r["review_needed"])
