"""Conditional GETs on the member's today and week and on exercise pages: an ETag of the exact
answer, 304 without a body while it holds, a new answer as soon as anything in it changes, and
never one member's answer for another's tag."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from websupport import api_member

LOG = {"session_kind": "strength", "items_done": ["glute-bridge"], "rpe": 13, "minutes": 20}


def test_today_and_week_answer_304_while_unchanged_and_200_once_a_log_changes_them(
    client: TestClient,
) -> None:
    account = api_member(client)
    for path in ("/api/v1/me/today", "/api/v1/me/week"):
        first = client.get(path, headers=account.headers)
        assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
        etag = first.headers["etag"]
        again = client.get(path, headers={**account.headers, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        weak = client.get(path, headers={**account.headers, "If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304
    paths = ("/api/v1/me/today", "/api/v1/me/week")
    tags = {p: client.get(p, headers=account.headers).headers["etag"] for p in paths}
    body = {**LOG, "session_date": date.today().isoformat()}
    logged = client.post("/api/v1/me/logs", json=body, headers=account.headers)
    assert logged.status_code == 201
    for path, etag in tags.items():
        changed = client.get(path, headers={**account.headers, "If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert [log["minutes"] for log in changed.json()["logs"]] == [20]


def test_a_tag_never_answers_for_another_member_or_without_a_token(client: TestClient) -> None:
    mia, ana = api_member(client, "Mia"), api_member(client, "Ana")
    etag = client.get("/api/v1/me/today", headers=mia.headers).headers["etag"]
    other = client.get("/api/v1/me/today", headers={**ana.headers, "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    anonymous = client.get("/api/v1/me/today", headers={"If-None-Match": etag})
    assert anonymous.status_code == 401
    unknown = {"Authorization": "Bearer bw_unknown", "If-None-Match": etag}
    revoked = client.get("/api/v1/me/today", headers=unknown)
    assert revoked.status_code == 401


def test_an_exercise_page_has_an_etag_that_depends_on_who_asks(client: TestClient) -> None:
    public = client.get("/api/v1/exercises/glute-bridge")
    assert public.status_code == 200 and public.json()["exercise"]["id"] == "glute-bridge"
    etag = public.headers["etag"]
    assert client.get("/api/v1/exercises/glute-bridge", headers={"If-None-Match": etag}).status_code == 304
    member = api_member(client)
    mine = client.get("/api/v1/exercises/glute-bridge", headers={**member.headers, "If-None-Match": etag})
    assert mine.status_code == 200 and mine.json()["verdict"] is not None
    assert client.get("/api/v1/exercises/no-such-exercise").status_code == 404
