"""The summary pages and the downloads over HTTP (no browser): charts as <img> data URIs with
their tables, PDFs, the .ics, CSV and JSON, the coach's audited copies, the private calendar
address (stored hashed, replaceable, revocable) and the free workout PDF; SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import re
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from bumpwise.persistence.models import CalendarFeed, Lead
from websupport import (
    CSRF_VALUE,
    ApiAccount,
    api_member,
    api_sign_up,
    ctx_of,
    granted_coach,
    sign_in_pages,
    with_csrf,
)

CHART_IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+"')


def _logged_member(client: TestClient) -> ApiAccount:
    member = api_member(client)
    entry = {"session_date": date.today().isoformat(), "session_kind": "strength", "minutes": 30, "rpe": 13}
    assert client.post("/api/v1/me/logs", json=entry, headers=member.headers).status_code == 201
    assert client.post("/api/v1/me/symptoms", json={"symptoms": ["back_pain"]}, headers=member.headers)
    return member


def test_summary_page_shows_charts_as_images_with_tables_and_the_disclaimer(
    client: TestClient, app: FastAPI
) -> None:
    member = _logged_member(client)
    sign_in_pages(client, app, member.user_id)
    page = client.get("/summary", params={"weeks": 8})
    assert page.status_code == 200
    assert len(CHART_IMAGE.findall(page.text)) == 4
    assert "<svg" not in page.text and 'class="chart-data"' in page.text
    assert page.text.count("<tr>") > 8 and "not medical advice" in page.text
    assert 'href="/summary.pdf?weeks=8"' in page.text


def _chart_svgs(html: str) -> list[str]:
    found = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(data).decode() for data in found]


def test_summary_page_shows_progress_and_marks_weeks_outside_the_aim(
    client: TestClient, app: FastAPI
) -> None:
    member = _logged_member(client)  # a stored plan from onboarding, one 30-minute strength session
    sign_in_pages(client, app, member.user_id)
    page = client.get("/summary", params={"weeks": 4}).text
    progress = page[page.index('<section id="progress">') :]
    assert "Planned sessions done" in progress and "Plan streak" in progress
    assert "every session your plan set for that week was done" in progress
    assert "30 ▼ low" in page  # this week's minutes in the table, in words as well as bold
    assert "Marks: ▼ low is below the aim" in page
    minutes = next(svg for svg in _chart_svgs(page) if "Moderate activity" in svg)
    assert minutes.count('class="bw-mark">▼ low</text>') == 4  # every week is under 150 minutes
    assert "▼ low: under 150 (in red)" in minutes  # and the legend says what the mark means


def test_member_downloads_each_export(client: TestClient, app: FastAPI) -> None:
    member = _logged_member(client)
    sign_in_pages(client, app, member.user_id)
    for path in ("/today.pdf", "/week.pdf", "/summary.pdf?weeks=5"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF"), path
    ics = client.get("/week.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert events and all(str(e["UID"]).startswith(f"member-{member.user_id}-") for e in events)
    assert client.get("/logs.csv").text.splitlines()[0].startswith("session_date,session_kind,")
    assert "back" in client.get("/symptoms.csv").text
    data = json.loads(client.get("/logs.json").content)
    assert len(data["session_logs"]) == 1 and len(data["symptom_reports"]) == 1


def test_today_pdf_for_a_held_plan_prints_what_to_do_instead(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    client.post("/api/v1/me/symptoms", json={"warning_signs": ["headache"]}, headers=member.headers)
    sign_in_pages(client, app, member.user_id)
    response = client.get("/today.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_coach_sees_the_clients_summary_and_downloads_audited(client: TestClient, app: FastAPI) -> None:
    member = _logged_member(client)
    coach = granted_coach(client, member)
    sign_in_pages(client, app, coach.user_id)
    base = f"/coach/clients/{member.user_id}"
    assert f'href="{base}/summary"' in client.get(base).text
    page = client.get(f"{base}/summary")
    assert page.status_code == 200 and len(CHART_IMAGE.findall(page.text)) == 4
    csv = client.get(f"{base}/logs.csv")
    assert csv.status_code == 200 and csv.text.startswith("session_date,session_kind,")
    assert f"bumpwise-sessions-{member.user_id}.csv" in csv.headers["content-disposition"]
    assert client.get(f"{base}/week.pdf").content.startswith(b"%PDF")
    actions = [e["action"] for e in client.get("/api/v1/me/audit", headers=member.headers).json()["items"]]
    assert "viewed your weekly summary" in actions
    assert "downloaded your sessions.csv" in actions and "downloaded your week.pdf" in actions


def test_a_coach_without_the_grant_gets_nothing(client: TestClient, app: FastAPI) -> None:
    member = _logged_member(client)
    stranger = api_sign_up(client, "coach", "Stranger")
    sign_in_pages(client, app, stranger.user_id)
    for path in ("summary", "logs.csv", "summary.pdf"):
        assert client.get(f"/coach/clients/{member.user_id}/{path}").status_code == 404


def test_calendar_address_is_hashed_replaceable_and_revocable(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    first = _calendar_path(client.post("/account/calendar", data=with_csrf(app)).text)
    feed = client.get(first)
    assert feed.status_code == 200 and feed.headers["cache-control"].startswith("private")
    calendar = Calendar.from_ical(feed.content)
    assert calendar.walk("VEVENT") and "REFRESH-INTERVAL" in calendar
    with ctx_of(app).uow() as uow:
        [row] = uow.session.scalars(select(CalendarFeed)).all()
        assert row.user_id == member.user_id and row.token_hash not in first
    second = _calendar_path(client.post("/account/calendar", data=with_csrf(app)).text)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    revoked = client.post("/account/calendar/revoke", data=with_csrf(app), follow_redirects=False)
    assert revoked.headers["location"].startswith("/account?notice=calendar-off")
    assert client.get(second).status_code == 404


def test_the_calendar_feed_needs_no_session(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    path = _calendar_path(client.post("/account/calendar", data=with_csrf(app)).text)
    client.cookies.clear()
    assert client.get(path).status_code == 200


def _calendar_path(html: str) -> str:
    found = re.search(r'id="calendar-url">http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)<', html)
    assert found, "no calendar address on the page"
    return found.group(1)


def test_free_workout_pdf_from_the_same_answers_saves_no_lead(client: TestClient, app: FastAPI) -> None:
    client.cookies.set("bw_csrf", CSRF_VALUE)
    form = {"weeks": "20", "equipment": ["chair"], "email": "lead@example.org", "consent": "on"}
    page = client.post("/free-workout", data=with_csrf(app, form))
    assert 'action="/free-workout/pdf"' in page.text and "lead@example.org" not in page.text
    response = client.post("/free-workout/pdf", data=with_csrf(app, form))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with ctx_of(app).uow() as uow:
        assert len(uow.session.scalars(select(Lead)).all()) == 1
