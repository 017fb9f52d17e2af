"""The API's published contract (issue 17): one error model on every operation, readable
operation ids, and one way to page every list, enforced as documented."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from bumpwise.web.api.paging import MAX_LIMIT
from websupport import api_admin, api_member, api_sign_up

SCHEMA = "/api/v1/openapi.json"
ERROR_REF = "#/components/schemas/Error"


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    paths = schema["paths"].items()
    return [(method.upper(), path, op) for path, item in paths for method, op in item.items()]


def list_operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every GET whose answer is a page (``items`` and ``next``)."""
    pages = []
    for method, path, op in operations(schema):
        ref = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
        name = ref.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        properties = schema["components"]["schemas"].get(name, {}).get("properties", {})
        if method == "GET" and {"items", "next", "limit"} <= properties.keys():
            pages.append((path, op))
    return pages


def test_every_error_status_of_every_operation_is_the_one_error_model(client: TestClient) -> None:
    schema = client.get(SCHEMA).json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for method, path, op in operations(schema):
        errors = {code: answer for code, answer in op["responses"].items() if code.startswith(("4", "5"))}
        assert "422" in errors, f"{method} {path}"
        for code, answer in errors.items():
            documented = answer["content"]["application/json"]["schema"]
            assert documented == {"$ref": ERROR_REF}, (method, path, code)
        if any(s.get("HTTPBearer") is not None for s in op.get("security", [])):
            assert "401" in errors, f"{method} {path}"
        if "{" in path:
            assert "404" in errors, f"{method} {path}"
        if "requestBody" in op:
            assert {"400", "413"} <= errors.keys(), f"{method} {path}"
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]


def test_operation_ids_are_the_route_names_and_unique(client: TestClient) -> None:
    schema = client.get(SCHEMA).json()
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids))
    assert {"list_logs", "log_session", "list_exercises", "read_exercise", "roster", "sign_up"} <= set(ids)
    assert all(op.get("tags") for _, _, op in operations(schema))


def test_an_error_answer_has_the_documented_shape(client: TestClient) -> None:
    unauthorised = client.get("/api/v1/me/logs")
    assert unauthorised.status_code == 401
    assert set(unauthorised.json()["error"]) == {"field", "message", "allowed"}
    assert unauthorised.headers["WWW-Authenticate"] == "Bearer"
    missing = client.get("/api/v1/exercises/no-such-exercise")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "exercise_id"


def test_every_list_pages_the_same_way_and_refuses_a_limit_out_of_range(client: TestClient) -> None:
    schema = client.get(SCHEMA).json()
    pages = list_operations(schema)
    assert {path for path, _ in pages} >= {
        "/api/v1/me/logs",
        "/api/v1/me/symptoms",
        "/api/v1/me/sessions",
        "/api/v1/me/tokens",
        "/api/v1/me/coaches",
        "/api/v1/me/audit",
        "/api/v1/coach/clients",
        "/api/v1/coach/invites",
        "/api/v1/imports",
        "/api/v1/admin/users",
        "/api/v1/admin/coach-invitations",
        "/api/v1/exercises",
    }
    admin = api_admin(client)
    for path, op in pages:
        limit = next(p for p in op["parameters"] if p["name"] == "limit")["schema"]
        assert (limit["minimum"], limit["maximum"]) == (1, MAX_LIMIT), path
        for wrong in ("0", str(MAX_LIMIT + 1), "ten"):
            refused = client.get(path, params={"limit": wrong}, headers=admin.headers)
            assert refused.status_code == 422, (path, wrong, refused.text)
            assert refused.json()["error"]["field"] == "limit", path
        forged = client.get(path, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=admin.headers)
        assert forged.status_code in (403, 422), path
        if forged.status_code == 422:
            assert forged.json()["error"]["field"] == "cursor"


def test_following_next_walks_a_list_once_without_gaps_or_repeats(client: TestClient) -> None:
    member = api_member(client)
    start = date.today() - timedelta(days=10)
    for day in range(5):
        body = {
            "session_date": (start + timedelta(days=day)).isoformat(),
            "session_kind": "strength",
            "items_done": [],
            "rpe": 11,
            "minutes": 10 + day,
        }
        assert client.post("/api/v1/me/logs", json=body, headers=member.headers).status_code == 201
    seen: list[int] = []
    link: str | None = "/api/v1/me/logs?limit=2"
    pages = 0
    while link is not None:
        page = client.get(link, headers=member.headers).json()
        assert page["limit"] == 2 and len(page["items"]) <= 2
        seen += [log["minutes"] for log in page["items"]]
        link = page["next"]
        pages += 1
    assert seen == [14, 13, 12, 11, 10] and pages == 3
    past_the_end = client.get("/api/v1/me/logs", params={"cursor": "p999"}, headers=member.headers).json()
    assert past_the_end["items"] == [] and past_the_end["next"] is None


def test_the_exercise_list_pages_and_filters_together(client: TestClient) -> None:
    whole = client.get("/api/v1/exercises", params={"limit": MAX_LIMIT}).json()
    assert whole["next"] is None and len(whole["items"]) == whole["total"]
    first = client.get("/api/v1/exercises", params={"limit": 5}).json()
    second = client.get(first["next"]).json()
    assert [e["id"] for e in first["items"] + second["items"]] == [e["id"] for e in whole["items"][:10]]
    seated = client.get("/api/v1/exercises", params={"position": "seated", "equipment": "chair"}).json()
    assert seated["items"] and all(
        e["position"] == "seated" and "chair" in e["equipment"] for e in seated["items"]
    )
    glutes = client.get("/api/v1/exercises", params={"muscle": "glutes", "q": "bridge"}).json()
    assert glutes["items"] and all(
        "glutes" in e["primary_muscles"] + e["secondary_muscles"] for e in glutes["items"]
    )
    unknown = client.get("/api/v1/exercises", params={"pattern": "juggling"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "pattern"
    assert "lunge" in unknown.json()["error"]["allowed"]


def test_safe_for_me_keeps_only_what_the_rules_allow_this_member_now(client: TestClient) -> None:
    later = api_member(client, "Late")
    mine: dict[str, str | int] = {"safe_for_me": "true", "limit": MAX_LIMIT}
    safe = client.get("/api/v1/exercises", params=mine, headers=later.headers)
    rows = safe.json()
    assert rows["safe_for_me"] and rows["stage"] and rows["total"] > 0
    listed = {e["id"] for e in rows["items"]}
    everything = client.get("/api/v1/exercises", params={"limit": MAX_LIMIT}).json()["items"]
    for exercise in everything:
        page = client.get(f"/api/v1/exercises/{exercise['id']}", headers=later.headers).json()
        assert (page["verdict"]["prescribed"] is not None) == (exercise["id"] in listed), exercise["id"]
    assert len(listed) < len(everything)
    coach = api_sign_up(client, "coach", "Cara")
    assert (
        client.get("/api/v1/exercises", params={"safe_for_me": "true"}, headers=coach.headers).json()[
            "safe_for_me"
        ]
        is False
    )


def test_a_json_boolean_is_true_or_false_and_nothing_like_it(client: TestClient) -> None:
    member = api_member(client)
    for almost in (0, 1, "yes", "true", "off"):
        answer = client.put(
            "/api/v1/me/profile/screening", json={"provider_cleared": almost}, headers=member.headers
        )
        assert answer.status_code == 422, almost
        assert answer.json()["error"] == {
            "field": "provider_cleared",
            "message": "must be true or false",
            "allowed": ["true", "false"],
        }
    nested = {"return_to_running_tests": {"hop_test": 1}}
    refused = client.put("/api/v1/me/profile/screening", json=nested, headers=member.headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "return_to_running_tests.hop_test"
    cleared = {"provider_cleared": True}
    taken = client.put("/api/v1/me/profile/screening", json=cleared, headers=member.headers)
    assert taken.status_code == 200 and taken.json()["clearance"] == "cleared"
