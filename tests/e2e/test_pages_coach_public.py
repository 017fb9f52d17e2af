"""Coach pages and the public pages over HTTP: roster, client detail, swaps, imports, leads,
the free workout form, sign-in and password reset."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dbsupport import PASSWORD
from websupport import (
    api_member,
    api_sign_up,
    confirm_from_mail,
    form_token,
    mail_outbox,
    sign_in_pages,
    with_csrf,
)


def _coach_with_client(client: TestClient, app: FastAPI, **screening: object) -> tuple[int, int]:
    coach = api_sign_up(client, "coach", "Coach Cara")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    member = api_member(client, "Maya", **screening)
    client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers)
    sign_in_pages(client, app, coach.user_id)
    return coach.user_id, member.user_id


def test_roster_and_client_detail_pages(client: TestClient, app: FastAPI) -> None:
    _, member_id = _coach_with_client(client, app)
    roster = client.get("/coach")
    assert roster.status_code == 200 and "Maya" in roster.text and "Week 24 of pregnancy" in roster.text
    detail = client.get(f"/coach/clients/{member_id}")
    assert "This week&#39;s plan" in detail.text or "This week's plan" in detail.text
    assert "recorded in Maya" in detail.text


def test_swap_form_refuses_an_excluded_exercise_with_the_reason(client: TestClient, app: FastAPI) -> None:
    _, member_id = _coach_with_client(client, app, conditions=["pelvic_girdle_pain"])
    swap = {"from_exercise": "goblet-squat", "to_exercise": "reverse-lunge"}
    refused = client.post(f"/coach/clients/{member_id}/swaps", data=with_csrf(app, swap))
    assert refused.status_code == 422 and "excluded for this client" in refused.text
    allowed = {"from_exercise": "goblet-squat", "to_exercise": "bodyweight-squat"}
    saved = client.post(
        f"/coach/clients/{member_id}/swaps", data=with_csrf(app, allowed), follow_redirects=True
    )
    assert "Swap saved" in saved.text


def test_imports_page_confirms_attributes(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach")
    client.post(
        "/api/v1/imports",
        json=[{"source_id": "a1", "name": "Sumo Deadlift", "position": "standing"}],
        headers=coach.headers,
    )
    sign_in_pages(client, app, coach.user_id)
    page = client.get("/coach/imports")
    assert "Sumo Deadlift" in page.text
    import_id = client.get("/api/v1/imports", headers=coach.headers).json()["items"][0]["id"]
    form = {"position": "standing", "impact": "low", "wide_stance": "yes"}
    done = client.post(
        f"/coach/imports/{import_id}/confirm", data=with_csrf(app, form), follow_redirects=True
    )
    assert "Attributes confirmed" in done.text and "Nothing waiting for review" in done.text


def test_free_workout_form_and_lead_consent(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    token = form_token(app)
    form = {"weeks": "18", "equipment": ["resistance_band"], "email": "fan@example.org", "csrf_token": token}
    refused = client.post("/free-workout", data=form)
    assert refused.status_code == 422 and "tick the box" in refused.text
    with mail_outbox(app, tmp_path):
        made = client.post("/free-workout", data={**form, "consent": "on"})
        assert made.status_code == 200 and "Week 18 of pregnancy" in made.text
        assert "not medical advice" in made.text and "Check your e-mail" in made.text
        admin, coach = api_sign_up(client, "admin"), api_sign_up(client, "coach")
        # unconfirmed, the lead shows to no one
        assert "fan@example.org" not in client.get("/api/v1/coach/leads.csv", headers=admin.headers).text
        confirm_from_mail(client, tmp_path, "fan@example.org")
    # a lead from the general page is the operator's: in the admin's list, not in any coach's
    assert "fan@example.org" in client.get("/api/v1/coach/leads.csv", headers=admin.headers).text
    assert "fan@example.org" not in client.get("/api/v1/coach/leads.csv", headers=coach.headers).text


def test_wrong_password_on_the_sign_in_page(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    response = client.post(
        "/signin", data={"email": account.email, "password": "wrong", "csrf_token": form_token(app)}
    )
    assert response.status_code == 401 and "not right" in response.text
    ok = client.post(
        "/signin",
        data={
            "email": account.email,
            "password": PASSWORD,
            "csrf_token": form_token(app),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert ok.headers["location"] == "/today"


def test_reset_password_pages(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    account = api_sign_up(client)
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    with mail_outbox(app, tmp_path):
        sent = client.post(
            "/reset", data={"email": account.email, "csrf_token": form_token(app)}, follow_redirects=True
        )
    assert "reset link is on its way" in sent.text
    [message] = tmp_path.glob("*.eml")
    path = "/reset/" + message.read_text().split("/reset/")[1].split()[0]
    assert "Choose a new password" in client.get(path).text
    done = client.post(
        path, data={"password": "another good password", "csrf_token": form_token(app)}, follow_redirects=True
    )
    assert "Your password has been reset" in done.text
    assert "unknown, already used or expired" in client.get(path).text
