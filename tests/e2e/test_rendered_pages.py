"""The member's pages kept rendered (services.rendered), on SQLite and PostgreSQL: after every kind
of write, through the API and through the pages, the next read is what a fresh render gives (never
the kept body), a warning sign shows the stop state at once, and a revoked token or ended session
is refused at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.services.rendered import PAGES
from bumpwise.web.deps import get_today
from websupport import ApiAccount, api_member, granted_coach, sign_in_pages, with_csrf

API_PAGES = ("/api/v1/me/today", "/api/v1/me/week")
LOG = {"session_kind": "strength", "items_done": ["glute-bridge"], "rpe": 13, "minutes": 20}


def _reads(client: TestClient, member: ApiAccount, html: bool) -> dict[str, Any]:
    """What the member is shown: today and week as JSON, and the HTML today page (its per-answer
    idempotency keys blanked)."""
    seen: dict[str, Any] = {}
    for path in API_PAGES:
        answer = client.get(path, headers=member.headers)
        seen[path] = (answer.status_code, answer.json() if answer.status_code == 200 else None)
    if html:
        page = client.get("/today", follow_redirects=False)
        seen["/today"] = (page.status_code, re.sub(r'name="idempotency_key" value="[^"]+"', "", page.text))
    return seen


def _kept_then_fresh(client: TestClient, member: ApiAccount, html: bool = True) -> tuple[Any, Any]:
    served = _reads(client, member, html)
    PAGES.clear()
    return served, _reads(client, member, html)


def _warm(client: TestClient, member: ApiAccount, html: bool = True) -> dict[str, Any]:
    """Read every page twice, so the second read (and the next) comes from the kept bodies."""
    first = _reads(client, member, html)
    kept = len(PAGES)
    assert _reads(client, member, html) == first
    assert kept >= len(API_PAGES) + html, "the pages are kept"
    return first


def _member(client: TestClient, app: FastAPI, name: str = "Mia") -> ApiAccount:
    member = api_member(client, name)
    sign_in_pages(client, app, member.user_id)
    return member


def test_a_repeat_read_is_the_kept_body_and_equals_a_fresh_render(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    before = _warm(client, member)
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh == before


def test_a_warning_sign_through_the_api_shows_the_stop_state_at_once_and_resolving_resumes(
    client: TestClient, app: FastAPI
) -> None:
    member = _member(client, app)
    _warm(client, member)
    checked = client.post(
        "/api/v1/me/symptoms", json={"warning_signs": ["calf_pain_or_swelling"]}, headers=member.headers
    )
    assert checked.status_code == 201
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh
    assert served["/api/v1/me/today"][1]["header"]["held"] is True
    assert served["/api/v1/me/week"][1]["header"]["held"] is True
    _warm(client, member)
    report = checked.json()["report"]["id"]
    assert client.post(f"/api/v1/me/symptoms/{report}/resolve", headers=member.headers).status_code == 200
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh and served["/api/v1/me/today"][1]["header"]["held"] is False


def test_a_warning_sign_on_the_check_in_page_shows_the_stop_state_on_today_at_once(
    client: TestClient, app: FastAPI
) -> None:
    member = _member(client, app)
    before = _warm(client, member)
    assert "Stop and seek care now" not in before["/today"][1]
    client.post("/check-in", data=with_csrf(app, {"warning_signs": ["chest_pain"]}), follow_redirects=False)
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh and "Stop and seek care now" in served["/today"][1]
    assert served["/api/v1/me/today"][1]["header"]["held"] is True


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda client, app, member: client.post(
                "/api/v1/me/logs",
                json={**LOG, "session_date": date.today().isoformat()},
                headers=member.headers,
            ),
            id="api-log",
        ),
        pytest.param(
            lambda client, app, member: client.post(
                "/api/v1/me/logs",
                json={**LOG, "session_date": date.today().isoformat()},
                headers={**member.headers, "Idempotency-Key": "a-key-of-this-log-0001"},
            ),
            id="api-log-with-idempotency-key",
        ),
        pytest.param(
            lambda client, app, member: client.post(
                "/today/log", data=with_csrf(app, {"session_kind": "strength", "minutes": "25"})
            ),
            id="page-log",
        ),
        pytest.param(
            lambda client, app, member: client.post(
                "/api/v1/me/symptoms", json={"symptoms": ["urinary_leakage"]}, headers=member.headers
            ),
            id="api-symptom",
        ),
        pytest.param(
            lambda client, app, member: client.post(
                "/check-in", data=with_csrf(app, {"symptoms": ["abdominal_doming"]})
            ),
            id="page-symptom",
        ),
        pytest.param(
            lambda client, app, member: client.put(
                "/api/v1/me/profile/details",
                json={"stage_kind": "pregnant", "due_date": (date.today() + timedelta(weeks=8)).isoformat()},
                headers=member.headers,
            ),
            id="api-profile",
        ),
        pytest.param(
            lambda client, app, member: client.patch(
                "/api/v1/me", json={"language": "es"}, headers=member.headers
            ),
            id="api-language",
        ),
        pytest.param(
            lambda client, app, member: client.post(
                "/account/details", data=with_csrf(app, {"display_name": "Mia Renamed", "language": "es"})
            ),
            id="page-name-and-language",
        ),
    ],
)
def test_after_each_write_the_next_read_is_a_fresh_render(
    client: TestClient, app: FastAPI, write: Callable[[TestClient, FastAPI, ApiAccount], Any]
) -> None:
    member = _member(client, app)
    before = _warm(client, member)
    assert write(client, app, member).status_code < 400
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh
    assert served != before, "the write changed what the member sees"


def test_editing_and_deleting_a_log_show_at_once(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    body = {**LOG, "session_date": date.today().isoformat()}
    log_id = client.post("/api/v1/me/logs", json=body, headers=member.headers).json()["id"]
    _warm(client, member)
    assert (
        client.patch(f"/api/v1/me/logs/{log_id}", json={"minutes": 35}, headers=member.headers).status_code
        == 200
    )
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh and [x["minutes"] for x in served["/api/v1/me/today"][1]["logs"]] == [35]
    _warm(client, member)
    deleted = client.post(
        f"/logs/{log_id}/delete", data=with_csrf(app, {"confirm": "yes"}), follow_redirects=False
    )
    assert deleted.headers["location"] == "/logs?notice=log-deleted"
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh and served["/api/v1/me/today"][1]["logs"] == []


def test_a_coach_s_swap_and_its_removal_show_in_the_member_s_pages_at_once(
    client: TestClient, app: FastAPI
) -> None:
    member = _member(client, app)
    coach = granted_coach(client, member, "Cora")
    before = _warm(client, member)
    swap = {"from_exercise": "goblet-squat", "to_exercise": "chair-supported-squat"}
    added = client.post(f"/api/v1/coach/clients/{member.user_id}/swaps", json=swap, headers=coach.headers)
    assert added.status_code == 201, added.text
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh
    planned = '"goblet-squat"' in json.dumps(before["/api/v1/me/week"])  # the plan is seeded by the id
    assert (served["/api/v1/me/week"] != before["/api/v1/me/week"]) is planned
    swapped = _warm(client, member)
    swap_id = added.json()["id"]
    removed = client.delete(f"/api/v1/coach/clients/{member.user_id}/swaps/{swap_id}", headers=coach.headers)
    assert removed.status_code == 204
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh
    assert (served["/api/v1/me/week"] != swapped["/api/v1/me/week"]) is planned


def test_granting_and_revoking_a_coach_never_leaves_a_kept_page(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    _warm(client, member)
    coach = granted_coach(client, member, "Cora")
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh
    _warm(client, member)
    assert client.delete(f"/api/v1/me/coaches/{coach.user_id}", headers=member.headers).status_code == 204
    served, fresh = _kept_then_fresh(client, member)
    assert served == fresh


def test_a_revoked_token_and_an_ended_session_are_refused_at_once(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    _warm(client, member)
    tokens = client.get("/api/v1/me/tokens", headers=member.headers).json()["items"]
    assert len(tokens) == 1
    assert client.delete(f"/api/v1/me/tokens/{tokens[0]['id']}", headers=member.headers).status_code == 204
    for path in API_PAGES:
        assert client.get(path, headers=member.headers).status_code == 401
    assert client.get("/today", follow_redirects=False).status_code == 200
    client.post("/account/sign-out-everywhere", data=with_csrf(app), follow_redirects=False)
    signed_out = client.get("/today", follow_redirects=False)
    assert (
        signed_out.status_code in (302, 303) and "/today" not in signed_out.headers["location"].split("?")[0]
    )


def test_two_members_never_see_each_other_s_kept_page(client: TestClient, app: FastAPI) -> None:
    mia, ana = api_member(client, "Mia"), api_member(client, "Ana", warning_signs=["chest_pain"])
    for _ in range(2):
        mine = client.get("/api/v1/me/today", headers=mia.headers).json()
        hers = client.get("/api/v1/me/today", headers=ana.headers).json()
        assert mine["header"]["held"] is False and hers["header"]["held"] is True


def test_a_new_day_is_a_new_page(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    before = _warm(client, member)
    tomorrow = date.today() + timedelta(days=1)
    app.dependency_overrides[get_today] = lambda: tomorrow
    try:
        served, fresh = _kept_then_fresh(client, member)
    finally:
        app.dependency_overrides.pop(get_today)
    assert served == fresh and served["/api/v1/me/today"][1]["date"] == tomorrow.isoformat()
    assert served != before


def test_each_answer_of_the_kept_html_page_has_its_own_idempotency_keys(
    client: TestClient, app: FastAPI
) -> None:
    _member(client, app)
    pages = [client.get("/today").text for _ in range(3)]
    keys = [re.findall(r'name="idempotency_key" value="([^"]+)"', page) for page in pages]
    assert all(keys) and len({k for found in keys for k in found}) == sum(len(found) for found in keys)
