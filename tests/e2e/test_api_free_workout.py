"""The public free workout: planner-built, stage-aware, with the disclaimer and recorded consent."""

from __future__ import annotations

from fastapi.testclient import TestClient

from websupport import due_in


def test_a_visitor_gets_a_workout_for_their_week(client: TestClient) -> None:
    response = client.post(
        "/api/v1/free-workout", json={"due_date": due_in(8), "equipment": ["resistance_band"]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stage"].startswith("Week 32") and body["clearance"] == "cleared"
    kinds = [s["kind"] for s in body["sessions"]]
    assert "strength" in kinds and "pelvic_floor" in kinds
    items = [i for s in body["sessions"] for i in s["items"]]
    assert not any(i["exercise"]["position"] == "supine" for i in items)
    assert "not medical advice" in body["disclaimer"]


def test_symptoms_shape_the_free_workout(client: TestClient) -> None:
    body = client.post("/api/v1/free-workout", json={"weeks": 20, "symptoms": ["pelvic_pain_flare"]}).json()
    items = [i for s in body["sessions"] for i in s["items"]]
    assert not any(i["exercise"]["asymmetric_lower_body"] or i["exercise"]["wide_stance"] for i in items)


def test_a_warning_sign_gets_no_workout_but_what_to_do(client: TestClient) -> None:
    body = client.post(
        "/api/v1/free-workout", json={"weeks": 30, "warning_signs": ["vaginal_bleeding"]}
    ).json()
    assert body["clearance"] == "seek_care_now" and body["sessions"] == []


def test_an_email_needs_the_explicit_opt_in(client: TestClient) -> None:
    refused = client.post("/api/v1/free-workout", json={"weeks": 20, "email": "x@example.org"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "consent"
    accepted = client.post(
        "/api/v1/free-workout", json={"weeks": 20, "email": "x@example.org", "consent": True}
    )
    assert accepted.json()["lead_saved"] is True


def test_due_date_or_weeks_is_required(client: TestClient) -> None:
    response = client.post("/api/v1/free-workout", json={})
    assert response.status_code == 422 and response.json()["error"]["field"] == "due_date"
