"""Every create takes an ``Idempotency-Key``: a repeat gets the first answer and stores nothing,
the same key with another request is refused, a bad key is refused naming the header, keys
belong to their caller and expire. SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bumpwise.persistence.base import Base
from bumpwise.persistence.models import (
    ApiToken,
    CoachGrant,
    CoachInvite,
    CoachSwap,
    IdempotentRequest,
    ImportedExercise,
    Lead,
    SessionLog,
    SymptomReport,
    User,
)
from bumpwise.web.deps import get_now
from dbsupport import PASSWORD, unique_email
from websupport import ApiAccount, api_member, api_sign_up, ctx_of, sign_in_pages, with_csrf

HEADER = "Idempotency-Key"


def new_key() -> str:
    return str(uuid.uuid4())


def count(app: FastAPI, model: type[Base]) -> int:
    with ctx_of(app).uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


@dataclass
class Create:
    """One create route: how to call it for a fresh caller, and the table it writes."""

    name: str
    table: type[Base]
    prepare: Callable[[TestClient], tuple[str, Any, dict[str, str]]]


def _log(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    member = api_member(client)
    body = {
        "session_date": datetime.now(UTC).date().isoformat(),
        "session_kind": "strength",
        "rpe": 12,
        "minutes": 20,
    }
    return "/api/v1/me/logs", body, member.headers


def _check_in(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    return "/api/v1/me/symptoms", {"symptoms": ["back_pain"]}, api_member(client).headers


def _invite(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    return "/api/v1/coach/invites", None, api_sign_up(client, "coach").headers


def _grant(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    coach = api_sign_up(client, "coach")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    return "/api/v1/me/coaches", {"code": code}, api_member(client).headers


def _swap(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    coach = api_sign_up(client, "coach")
    member = api_member(client)
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    body = {"from_exercise": "goblet-squat", "to_exercise": "chair-supported-squat"}
    return f"/api/v1/coach/clients/{member.user_id}/swaps", body, coach.headers


def _sign_up(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    body = {"email": unique_email(), "password": PASSWORD, "display_name": "Mia"}
    return "/api/v1/auth/signup", body, {}


def _token(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    account = api_sign_up(client)
    return "/api/v1/auth/tokens", {"email": account.email, "password": PASSWORD, "name": "phone"}, {}


def _lead(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    return "/api/v1/free-workout", {"weeks": 20, "email": unique_email("lead"), "consent": True}, {}


def _imports(client: TestClient) -> tuple[str, Any, dict[str, str]]:
    row = {
        "source": "free-exercise-db",
        "source_id": f"Test_{uuid.uuid4().hex[:8]}",
        "name": "Test Press",
        "review_needed": True,
    }
    return "/api/v1/imports", [row], api_sign_up(client, "coach").headers


CREATES = [
    Create("session log", SessionLog, _log),
    Create("check-in", SymptomReport, _check_in),
    Create("invite", CoachInvite, _invite),
    Create("grant", CoachGrant, _grant),
    Create("swap", CoachSwap, _swap),
    Create("sign-up", User, _sign_up),
    Create("token", ApiToken, _token),
    Create("lead", Lead, _lead),
    Create("imports", ImportedExercise, _imports),
]


def send(client: TestClient, path: str, body: Any, headers: dict[str, str], key: str | None) -> Any:
    extra = {HEADER: key} if key is not None else {}
    return client.post(path, json=body, headers={**headers, **extra})


@pytest.mark.parametrize("create", CREATES, ids=lambda c: c.name)
def test_a_repeat_answers_the_first_answer_and_stores_nothing(
    client: TestClient, app: FastAPI, create: Create
) -> None:
    path, body, headers = create.prepare(client)
    before = count(app, create.table)
    key = new_key()
    first = send(client, path, body, headers, key)
    assert first.status_code in (200, 201), first.text
    assert count(app, create.table) == before + 1
    again = send(client, path, body, headers, key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert count(app, create.table) == before + 1


def test_without_a_key_a_create_still_works_and_every_send_stores(client: TestClient, app: FastAPI) -> None:
    path, body, headers = _check_in(client)
    assert send(client, path, body, headers, None).status_code == 201
    assert send(client, path, body, headers, None).status_code == 201
    assert count(app, SymptomReport) == 2 and count(app, IdempotentRequest) == 0


def test_the_same_key_with_another_request_is_refused_naming_the_header(
    client: TestClient, app: FastAPI
) -> None:
    path, body, headers = _check_in(client)
    key = new_key()
    assert send(client, path, body, headers, key).status_code == 201
    other = send(client, path, {"symptoms": ["fatigue"]}, headers, key)
    assert other.status_code == 422
    assert (
        other.json()["error"]["field"] == HEADER and "different request" in other.json()["error"]["message"]
    )
    elsewhere = client.post("/api/v1/coach/invites", headers={**headers, HEADER: key})
    assert elsewhere.status_code in (403, 422)
    assert count(app, SymptomReport) == 1


@pytest.mark.parametrize(
    "key", ["short", "x" * 129, "has space in it here", "semi;colons;are;not;allowed", "a/b/c/d/e/f/g/h/i/j"]
)
def test_a_malformed_key_is_refused_and_nothing_is_stored(client: TestClient, app: FastAPI, key: str) -> None:
    path, body, headers = _check_in(client)
    answer = send(client, path, body, headers, key)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == HEADER and "16 to 128 characters" in error["message"]
    assert count(app, SymptomReport) == 0


def test_keys_belong_to_their_caller(client: TestClient, app: FastAPI) -> None:
    key = new_key()
    for _ in range(2):
        path, body, headers = _check_in(client)
        answer = send(client, path, body, headers, key)
        assert answer.status_code == 201 and "idempotent-replayed" not in answer.headers
    assert count(app, SymptomReport) == 2


def test_a_refused_request_stores_nothing_and_its_key_can_be_used_again(
    client: TestClient, app: FastAPI
) -> None:
    path, _, headers = _check_in(client)
    key = new_key()
    refused = send(client, path, {"symptoms": ["not-a-symptom"]}, headers, key)
    assert refused.status_code == 422 and refused.json()["error"]["field"] != HEADER
    assert count(app, IdempotentRequest) == 0
    assert send(client, path, {"symptoms": ["back_pain"]}, headers, key).status_code == 201
    assert count(app, SymptomReport) == 1


def test_a_key_expires_after_a_day(client: TestClient, app: FastAPI) -> None:
    path, body, headers = _check_in(client)
    key = new_key()
    assert send(client, path, body, headers, key).status_code == 201
    later = datetime.now(UTC) + timedelta(hours=24, minutes=1)
    app.dependency_overrides[get_now] = lambda: later
    try:
        again = send(client, path, body, headers, key)
    finally:
        app.dependency_overrides.pop(get_now)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert count(app, SymptomReport) == 2 and count(app, IdempotentRequest) == 1


def test_a_replayed_sign_up_gives_the_same_working_token_which_the_table_does_not_show(
    client: TestClient, app: FastAPI
) -> None:
    path, body, _ = _sign_up(client)
    key = new_key()
    first = send(client, path, body, {}, key).json()
    again = send(client, path, body, {}, key).json()
    assert again == first
    token = first["token"]["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with ctx_of(app).uow() as uow:
        stored = uow.session.scalars(select(IdempotentRequest)).one()
        assert token.encode() not in stored.answer and key not in stored.key_digest
        assert body["email"].encode() not in stored.answer


def test_deleting_the_account_deletes_its_keys(client: TestClient, app: FastAPI) -> None:
    member: ApiAccount = api_member(client)
    answer = send(client, "/api/v1/me/symptoms", {"symptoms": ["back_pain"]}, member.headers, new_key())
    assert answer.status_code == 201 and count(app, IdempotentRequest) == 1
    deleted = client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=member.headers)
    assert deleted.status_code == 204
    assert count(app, IdempotentRequest) == 0


def test_the_header_is_documented_on_every_create(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/me/logs", "/api/v1/me/symptoms", "/api/v1/auth/signup", "/api/v1/coach/invites"):
        names = {p["name"] for p in spec["paths"][path]["post"].get("parameters", [])}
        assert HEADER in names, path


def hidden_key(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert found, "no idempotency key in the form"
    return found.group(1)


def test_a_double_submitted_form_stores_once(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    form = client.get("/check-in").text
    key = hidden_key(form)
    assert hidden_key(client.get("/check-in").text) != key
    data = with_csrf(app, {"symptoms": "back_pain", "idempotency_key": key})
    first = client.post("/check-in", data=data, follow_redirects=False)
    again = client.post("/check-in", data=data, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert (
        again.headers["location"] == first.headers["location"]
        and again.headers["idempotent-replayed"] == "true"
    )
    assert count(app, SymptomReport) == 1
    other = client.post("/check-in", data={**data, "symptoms": "fatigue"}, follow_redirects=False)
    assert other.status_code == 422 and "different request" in other.text
    bad = client.post("/check-in", data={**data, "idempotency_key": "x"}, follow_redirects=False)
    assert bad.status_code == 422 and "16 to 128 characters" in bad.text
    assert count(app, SymptomReport) == 1


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("/today", "/today/log"),
        ("/check-in", "/check-in"),
        ("/account", "/account/coaches"),
        ("/free-workout?stage=postpartum", "/free-workout"),
    ],
)
def test_forms_that_create_carry_a_key(client: TestClient, app: FastAPI, page: str, action: str) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    html = client.get(page).text
    form = html[html.index(f'action="{action}"') :]
    hidden_key(form[: form.index("</form>")])
