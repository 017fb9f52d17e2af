"""Account pages: details, tokens, coach access, audit log, export download and deletion."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dbsupport import PASSWORD
from websupport import api_member, api_sign_up, sign_in_pages, with_csrf


def test_grant_by_invite_link_then_revoke(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    invite = client.get(f"/invite/{code}")
    assert "Coach Cara invites you" in invite.text
    granted = client.post("/account/coaches", data=with_csrf(app, {"code": code}), follow_redirects=True)
    assert "Your coach can now see" in granted.text and "Coach Cara" in granted.text
    client.get(f"/api/v1/coach/clients/{member.user_id}", headers=coach.headers)
    audit = client.get("/account/audit")
    assert "Coach Cara" in audit.text and "viewed your profile" in audit.text
    revoked = client.post(
        f"/account/coaches/{coach.user_id}/revoke", data=with_csrf(app), follow_redirects=True
    )
    assert "can no longer see your data" in revoked.text


def test_a_wrong_invite_code_is_explained(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    response = client.post("/account/coaches", data=with_csrf(app, {"code": "NOPE1234"}))
    assert response.status_code == 422 and "unknown or has expired" in response.text


def test_export_downloads_json_and_delete_removes_everything(client: TestClient, app: FastAPI) -> None:
    member = api_member(client, conditions=["low_back_pain"])
    sign_in_pages(client, app, member.user_id)
    export = client.get("/account/export")
    assert export.headers["content-disposition"].startswith("attachment")
    assert json.loads(export.text)["profile"]["conditions"] == ["low_back_pain"]
    wrong = client.post("/account/delete", data=with_csrf(app, {"password": "nope nope nope"}))
    assert wrong.status_code == 401 and "not right" in wrong.text
    done = client.post("/account/delete", data=with_csrf(app, {"password": PASSWORD}), follow_redirects=False)
    assert done.headers["location"] == "/?notice=deleted"
    assert client.get("/api/v1/me", headers=member.headers).status_code == 401


def test_a_new_token_is_shown_once(client: TestClient, app: FastAPI) -> None:
    member = api_sign_up(client)
    sign_in_pages(client, app, member.user_id)
    page = client.post("/account/tokens", data=with_csrf(app, {"name": "laptop"}))
    token = page.text.split('<code class="token">')[1].split("</code>")[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/account").text


def test_sign_out_ends_the_session(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    assert client.get("/today").status_code == 200
    client.post("/signout", data=with_csrf(app), follow_redirects=False)
    assert client.get("/today", follow_redirects=False).status_code == 303
