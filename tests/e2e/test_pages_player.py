"""The session player and what makes it work offline, on SQLite and PostgreSQL: the player page
holds today's session as steps (figures drawn for the member's week), the offline list holds the
week's figures, the player's posts are stored once per Idempotency-Key, and a log is corrected or
deleted by its owner only, with the audit trail kept."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bumpwise.persistence.models import AuditEntry, SessionLog
from websupport import ApiAccount, api_member, api_onboard, api_sign_up, ctx_of, sign_in_pages, with_csrf

HEADER = "Idempotency-Key"


def count(app: FastAPI, model: type[SessionLog] | type[AuditEntry]) -> int:
    with ctx_of(app).uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def player_member(client: TestClient, app: FastAPI) -> ApiAccount:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    return member


def test_the_player_holds_todays_session_as_steps_with_this_weeks_figures(
    client: TestClient, app: FastAPI
) -> None:
    player_member(client, app)
    today = client.get("/today").text
    assert 'href="/today/play?session=0"' in today
    html = client.get("/today/play").text
    steps = re.findall(r'data-step data-exercise="([^"]+)"', html)
    assert steps, "no step in the player"
    for exercise_id in steps:
        assert f'value="{exercise_id}"' in today, f"{exercise_id} is in the player but not on the today page"
    assert re.search(r"/api/v1/exercises/[^/\"]+/figure\.svg\?stage=pregnant&amp;week=24", html)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<script src="/static/player.js" defer></script>' in html
    assert 'action="/today/log"' in html and 'name="idempotency_key"' in html
    assert 'action="/check-in"' in html and 'name="warning_signs"' in html
    assert "Stop and seek care now" in html
    assert 'class="disclaimer"' in html


def test_the_player_names_each_session_in_the_plain_words_of_the_today_page(
    client: TestClient, app: FastAPI
) -> None:
    player_member(client, app)
    printed = re.findall(r"Print (.+?) \(PDF\)</a>", client.get("/today").text)
    assert printed, "no session today"
    for index, title in enumerate(printed):
        html = client.get(f"/today/play?session={index}").text
        heading = re.search(r"<h1>(.+?) <span", html)
        assert heading is not None and heading.group(1) == title
        assert f"<title>{title}" in html and f'<span aria-current="page">{title}</span>' in html


def test_the_offline_list_holds_the_pages_the_player_and_this_weeks_figures(
    client: TestClient, app: FastAPI
) -> None:
    player_member(client, app)
    urls = client.get("/today/play/offline.json").json()["urls"]
    assert {"/today", "/today/play", "/week", "/static/player.js"} <= set(urls)
    figures = [u for u in urls if u.endswith("figure.svg") or "figure.svg?" in u]
    assert figures and all("stage=pregnant&week=24" in u for u in figures)
    for url in figures[:3]:
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")


def test_the_service_worker_and_manifest_are_served_from_the_root(client: TestClient) -> None:
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["content-type"].startswith("text/javascript")
    assert "offline.json" in worker.text
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    assert manifest.json()["start_url"] == "/today"


def test_a_retried_player_post_with_the_same_key_answers_the_first_answer_and_stores_once(
    client: TestClient, app: FastAPI
) -> None:
    """What the offline queue sends: the form's fields (no key field) and the key as a header."""
    player_member(client, app)
    day = datetime.now(UTC).date().isoformat()
    data = with_csrf(
        app,
        {"session_kind": "pelvic_floor", "session_date": day, "rpe": "12", "minutes": "9", "sets_done": "6"},
    )
    headers = {HEADER: str(uuid.uuid4())}
    first = client.post("/today/log", data=data, headers=headers, follow_redirects=False)
    again = client.post("/today/log", data=data, headers=headers, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert count(app, SessionLog) == 1
    other = client.post("/today/log", data={**data, "rpe": "14"}, headers=headers, follow_redirects=False)
    assert other.status_code == 422 and "different request" in other.text
    assert count(app, SessionLog) == 1
    logs = client.get("/logs").text
    assert "6 sets" in logs and "9 min" in logs


def _logged(client: TestClient, member: ApiAccount) -> dict[str, object]:
    body = {
        "session_date": datetime.now(UTC).date().isoformat(),
        "session_kind": "strength",
        "rpe": 12,
        "minutes": 20,
    }
    answer = client.post("/api/v1/me/logs", json=body, headers=member.headers)
    assert answer.status_code == 201, answer.text
    log: dict[str, object] = answer.json()
    return log


def test_the_owner_edits_and_deletes_a_log_through_the_api_and_the_audit_trail_keeps_both(
    client: TestClient, app: FastAPI
) -> None:
    member = api_member(client)
    log = _logged(client, member)
    path = f"/api/v1/me/logs/{log['id']}"
    edited = client.patch(path, json={"rpe": 14, "notes": "felt strong"}, headers=member.headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["rpe"] == 14 and edited.json()["minutes"] == 20 and edited.json()["updated_at"]
    bad = client.patch(path, json={"rpe": 30}, headers=member.headers)
    assert bad.status_code == 422 and "rpe" in bad.text
    assert client.get(path, headers=member.headers).json()["rpe"] == 14
    assert client.delete(path, headers=member.headers).status_code == 204
    assert client.get(path, headers=member.headers).status_code == 404
    assert count(app, SessionLog) == 0
    with ctx_of(app).uow() as uow:
        actions = [e.action for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert any("edited session log" in a and "rpe 12 → 14" in a for a in actions)
    assert any("deleted session log" in a and "20 min" in a for a in actions)


def test_nobody_but_the_owner_edits_or_deletes_a_log(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    log = _logged(client, member)
    path = f"/api/v1/me/logs/{log['id']}"
    stranger = api_member(client, name="Other")
    coach = api_sign_up(client, "coach", "Coach")
    for caller in (stranger, coach):
        assert client.patch(path, json={"rpe": 7}, headers=caller.headers).status_code in (403, 404)
        assert client.delete(path, headers=caller.headers).status_code in (403, 404)
    assert client.get(path, headers=member.headers).json()["rpe"] == 12
    assert count(app, AuditEntry) == 0


def test_the_owner_edits_and_deletes_a_log_on_its_page(client: TestClient, app: FastAPI) -> None:
    member = player_member(client, app)
    log = _logged(client, member)
    form = client.get(f"/logs/{log['id']}/edit")
    assert form.status_code == 200 and 'name="rpe"' in form.text
    day = datetime.now(UTC).date().isoformat()
    saved = client.post(
        f"/logs/{log['id']}/edit",
        data=with_csrf(app, {"session_date": day, "rpe": "13", "minutes": "25", "notes": "ok"}),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert client.get(f"/api/v1/me/logs/{log['id']}", headers=member.headers).json()["minutes"] == 25
    refused = client.post(
        f"/logs/{log['id']}/edit",
        data=with_csrf(app, {"session_date": day, "rpe": "40"}),
        follow_redirects=False,
    )
    assert (refused.status_code == 422 and "Effort" in refused.text) or "rpe" in refused.text
    gone = client.post(
        f"/logs/{log['id']}/delete", data=with_csrf(app, {"confirm": "yes"}), follow_redirects=False
    )
    assert gone.status_code == 303 and count(app, SessionLog) == 0
    audit = client.get("/account/audit").text
    assert "edited session log" in audit and "deleted session log" in audit


def test_a_postpartum_caesarean_member_gets_a_player_drawn_for_her_week(
    client: TestClient, app: FastAPI
) -> None:
    member = api_sign_up(client)
    birth = datetime.now(UTC).date().toordinal() - 70
    from datetime import date

    api_onboard(
        client,
        member,
        {
            "stage_kind": "postpartum",
            "birth_date": date.fromordinal(birth).isoformat(),
            "delivery": "caesarean",
            "due_date": None,
        },
        provider_cleared=True,
    )
    sign_in_pages(client, app, member.user_id)
    html = client.get("/today/play").text
    assert "stage=postpartum&amp;week=10" in html or "Nothing to play today" in html
