"""The exercise library's answers come from a per-process cache (issue 18): never another
language's, never a stale profile's, never another member's."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from websupport import ApiAccount, api_member, api_onboard

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
SAFE: dict[str, str | int] = {"safe_for_me": "true", "limit": 200}


def _safe(client: TestClient, account: ApiAccount) -> dict[str, Any]:
    response = client.get("/api/v1/exercises", params=SAFE, headers=account.headers)
    assert response.status_code == 200, response.text
    listed: dict[str, Any] = response.json()
    return listed


def _ids(listed: dict[str, Any]) -> set[str]:
    return {row["id"] for row in listed["items"]}


def test_the_public_list_answers_the_same_with_an_etag_and_304(client: TestClient) -> None:
    first = client.get("/api/v1/exercises", params={"limit": 20})
    again = client.get("/api/v1/exercises", params={"limit": 20})
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
    assert "Accept-Language" in first.headers["vary"]
    unchanged = client.get(
        "/api/v1/exercises", params={"limit": 20}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert unchanged.status_code == 304 and not unchanged.content
    other = client.get("/api/v1/exercises", params={"limit": 20, "q": "squat"})
    assert other.headers["etag"] != first.headers["etag"]
    assert other.json()["total"] < first.json()["total"]


def test_the_cached_list_is_per_language(client: TestClient) -> None:
    english = client.get("/api/v1/exercises", params={"limit": 200}).json()
    spanish = client.get("/api/v1/exercises", params={"limit": 200}, headers=SPANISH).json()
    assert [r["id"] for r in english["items"]] == [r["id"] for r in spanish["items"]]
    assert english["items"] != spanish["items"]
    again = client.get("/api/v1/exercises", params={"limit": 200}).json()
    assert again == english
    row = spanish["items"][0]
    page = client.get(f"/api/v1/exercises/{row['id']}", headers=SPANISH).json()
    assert page["exercise"]["name"] == row["name"]


def test_the_next_link_of_a_cached_page_leads_on(client: TestClient) -> None:
    first = client.get("/api/v1/exercises", params={"limit": 5}).json()
    assert first["next"]
    following = client.get(first["next"]).json()
    assert len(following["items"]) == 5 and not _ids(following) & _ids(first)


def test_safe_for_me_follows_a_profile_change_at_once(client: TestClient) -> None:
    account = api_member(client)
    before = _safe(client, account)
    assert before["safe_for_me"] and any(r["asymmetric_lower_body"] for r in before["items"])
    api_onboard(client, account, conditions=["pelvic_girdle_pain"])
    after = _safe(client, account)
    assert after["items"] and not any(r["asymmetric_lower_body"] for r in after["items"])
    for exercise_id in _ids(after):
        page = client.get(f"/api/v1/exercises/{exercise_id}", headers=account.headers).json()
        assert page["verdict"]["verdict"] != "excluded", exercise_id


def test_safe_for_me_is_empty_while_a_warning_sign_is_open_and_back_once_resolved(
    client: TestClient,
) -> None:
    account = api_member(client)
    allowed = _safe(client, account)
    assert allowed["total"] > 0
    report = client.post(
        "/api/v1/me/symptoms", json={"warning_signs": ["calf_pain_or_swelling"]}, headers=account.headers
    ).json()["report"]
    held = _safe(client, account)
    assert held["total"] == 0 and held["items"] == []
    client.post(f"/api/v1/me/symptoms/{report['id']}/resolve", headers=account.headers)
    assert _safe(client, account) == allowed


def test_two_members_never_share_a_safe_list(client: TestClient) -> None:
    careful = api_member(client, "Ana", conditions=["pelvic_girdle_pain"])
    free = api_member(client, "Bea")
    for _ in range(2):
        assert not any(r["asymmetric_lower_body"] for r in _safe(client, careful)["items"])
        assert any(r["asymmetric_lower_body"] for r in _safe(client, free)["items"])


def test_safe_for_me_follows_the_accounts_language(client: TestClient) -> None:
    account = api_member(client)
    english = _safe(client, account)
    changed = client.patch("/api/v1/me", json={"language": "es"}, headers=account.headers)
    assert changed.status_code == 200, changed.text
    spanish = _safe(client, account)
    assert _ids(spanish) == _ids(english) and spanish["items"] != english["items"]
    assert spanish["stage"] != english["stage"]


def test_a_bad_token_is_refused_even_for_the_public_list(client: TestClient) -> None:
    refused = client.get("/api/v1/exercises", headers={"Authorization": "Bearer bw_nope"})
    assert refused.status_code == 401
    assert client.get("/api/v1/exercises", params={"safe_for_me": "true"}).status_code == 401
