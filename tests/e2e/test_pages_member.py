"""The member's pages over HTTP (no browser): forms, redirects, re-rendered errors, disclaimers."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from websupport import api_member, api_sign_up, sign_in_pages, with_csrf


def test_onboarding_by_forms_ends_on_the_screening_result(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    sign_in_pages(client, app, account.user_id)
    assert client.get("/today", follow_redirects=False).headers["location"] == "/onboarding"
    due = (date.today() + timedelta(weeks=10)).isoformat()
    details = {
        "stage_kind": "pregnant",
        "due_date": due,
        "activity_level": "inactive",
        "equipment": ["chair", "mat"],
        "days_per_week": "3",
        "minutes_per_session": "20",
    }
    response = client.post("/onboarding", data=with_csrf(app, details), follow_redirects=False)
    assert response.headers["location"] == "/onboarding/screening"
    screening = {"conditions": ["twin_pregnancy"], "symptoms": ["back_pain"]}
    response = client.post("/onboarding/screening", data=with_csrf(app, screening), follow_redirects=True)
    assert "Talk to your provider first" in response.text
    assert "Who can help" in response.text and "not medical advice" in response.text


def test_a_bad_date_is_shown_on_the_form_with_the_field(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    sign_in_pages(client, app, account.user_id)
    long_ago = (date.today() - timedelta(weeks=10)).isoformat()
    response = client.post(
        "/onboarding", data=with_csrf(app, {"stage_kind": "pregnant", "due_date": long_ago})
    )
    assert response.status_code == 422
    assert "Due date:" in response.text and "more than three weeks ago" in response.text
    assert f'value="{long_ago}"' in response.text


def test_today_page_shows_the_session_and_logs_it(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    page = client.get("/today")
    assert page.status_code == 200 and "Why:" in page.text and "not medical advice" in page.text
    logged = client.post(
        "/today/log",
        data=with_csrf(
            app, {"session_kind": "strength", "rpe": "13", "minutes": "22", "items_done": ["glute-bridge"]}
        ),
        follow_redirects=True,
    )
    assert "Session logged" in logged.text and "22 min" in logged.text
    refused = client.post("/today/log", data=with_csrf(app, {"session_kind": "strength", "rpe": "40"}))
    assert refused.status_code == 422 and "rpe" in refused.text


def test_check_in_with_a_warning_sign_goes_to_the_stop_page(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    response = client.post(
        "/check-in", data=with_csrf(app, {"warning_signs": ["chest_pain"]}), follow_redirects=False
    )
    stop_url = response.headers["location"]
    assert stop_url.startswith("/check-in/")
    stop = client.get(stop_url)
    assert "Stop and seek care now" in stop.text and "Chest pain" in stop.text
    week = client.get("/week")
    assert "Stop and seek care now" in week.text
    not_confirmed = client.post(stop_url + "/resolve", data=with_csrf(app), follow_redirects=False)
    assert not_confirmed.headers["location"] == stop_url
    resumed = client.post(
        stop_url + "/resolve", data=with_csrf(app, {"confirm": "yes"}), follow_redirects=True
    )
    assert "Your plan has resumed" in resumed.text


def test_a_symptom_check_in_adapts_and_says_so(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    response = client.post(
        "/check-in", data=with_csrf(app, {"symptoms": ["abdominal_doming"]}), follow_redirects=True
    )
    assert "adapted to what you told us" in response.text


def test_library_filters_and_exercise_verdict(client: TestClient, app: FastAPI) -> None:
    member = api_member(client, conditions=["pelvic_girdle_pain"])
    sign_in_pages(client, app, member.user_id)
    listing = client.get("/exercises", params={"pattern": "bridge", "safe_for_me": "true"})
    assert listing.status_code == 200 and "as you would do them in week" in listing.text
    verdict = client.get("/exercises/reverse-lunge")
    assert "Not for you now" in verdict.text and "Pelvic girdle pain" in verdict.text
    bad = client.get("/exercises", params={"pattern": "flying"})
    assert bad.status_code == 200 and "Please check this" in bad.text


def test_the_screening_form_asks_only_what_applies_to_the_stage(client: TestClient, app: FastAPI) -> None:
    pregnant = api_member(client, "Pia")
    sign_in_pages(client, app, pregnant.user_id)
    page = client.get("/onboarding/screening")
    assert page.status_code == 200
    assert 'value="cerclage"' in page.text and "Cervical stitch (cerclage)" in page.text
    assert 'name="passed_tests"' not in page.text
    assert "{%" not in page.text and "Undefined" not in page.text

    after_birth = api_sign_up(client, "member", "Pola")
    details = {
        "stage_kind": "postpartum",
        "birth_date": (date.today() - timedelta(weeks=14)).isoformat(),
        "delivery": "vaginal",
        "activity_level": "active",
        "days_per_week": 3,
        "minutes_per_session": 30,
    }
    response = client.put("/api/v1/me/profile/details", json=details, headers=after_birth.headers)
    assert response.status_code == 200, response.text
    sign_in_pages(client, app, after_birth.user_id)
    page = client.get("/onboarding/screening")
    assert page.status_code == 200
    assert 'value="cerclage"' not in page.text  # a pregnancy question, not asked after the birth
    assert 'name="passed_tests" value="walk_30_min"' in page.text and "Walking" in page.text
    details_page = client.get("/onboarding")
    assert 'name="equipment" value="dumbbells"' in details_page.text
