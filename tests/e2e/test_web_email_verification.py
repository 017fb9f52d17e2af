"""E-mail verification, through the API and the pages, on both databases.

Free-workout leads are keyed only by an e-mail, so an account sees (export) and removes (delete)
the leads of its address only once it has proved it reads that address's mail: by the link mailed
at sign-up, by a password-reset link, or by confirming an e-mail change.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from bumpwise.persistence.models import Lead
from bumpwise.services.account_data import LEADS_LEFT_OUT
from dbsupport import PASSWORD, unique_email
from websupport import (
    CSRF_VALUE,
    ApiAccount,
    api_coach_invitation,
    ctx_of,
    mail_outbox,
    mailed_token,
    sent_mail,
    with_csrf,
)

CONFIRM = "/confirm-email/"


def _sign_up(client: TestClient, email: str) -> ApiAccount:
    body = {"email": email, "password": PASSWORD, "display_name": "Mia"}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 201, response.text
    return ApiAccount(response.json()["user"]["id"], email, response.json()["token"]["token"])


def _leave_email(client: TestClient, email: str) -> None:
    response = client.post("/api/v1/free-workout", json={"weeks": 20, "email": email, "consent": True})
    assert response.status_code == 200, response.text


def _lead_emails(app: FastAPI) -> list[str]:
    with ctx_of(app).uow() as uow:
        return list(uow.session.scalars(select(Lead.email).order_by(Lead.id)).all())


def _confirm(client: TestClient, token: str) -> dict[str, object]:
    response = client.post("/api/v1/auth/email-verification/confirm", json={"token": token})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _verified_at(client: TestClient, account: ApiAccount) -> object:
    return client.get("/api/v1/me", headers=account.headers).json()["email_verified_at"]


def _delete(client: TestClient, account: ApiAccount) -> None:
    response = client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=account.headers)
    assert response.status_code == 204, response.text


def test_a_stranger_with_someone_elses_address_neither_sees_nor_deletes_its_leads(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    _leave_email(client, "ann@example.org")
    with mail_outbox(app, tmp_path):
        stranger = _sign_up(client, "ann@example.org")
    # the link went to Ann's mailbox, which the stranger cannot read
    assert [to for to, _ in sent_mail(tmp_path)] == ["ann@example.org"]
    assert _verified_at(client, stranger) is None
    exported = client.get("/api/v1/me/export", headers=stranger.headers).json()
    assert exported["free_workout_leads"] == []
    assert exported["free_workout_leads_left_out"] == LEADS_LEFT_OUT
    assert "confirm" in LEADS_LEFT_OUT and "/api/v1/me/email/verification" in LEADS_LEFT_OUT
    _delete(client, stranger)
    assert _lead_emails(app) == ["ann@example.org"]


def test_the_owner_who_opens_the_link_exports_and_deletes_their_leads(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    _leave_email(client, "ann@example.org")
    _leave_email(client, "bob@example.org")
    with mail_outbox(app, tmp_path):
        owner = _sign_up(client, "ann@example.org")
    confirmed = _confirm(client, mailed_token(tmp_path, "ann@example.org", CONFIRM))
    assert confirmed["email"] == "ann@example.org" and confirmed["email_verified_at"] is not None
    assert _verified_at(client, owner) == confirmed["email_verified_at"]
    exported = client.get("/api/v1/me/export", headers=owner.headers).json()
    assert [lead["email"] for lead in exported["free_workout_leads"]] == ["ann@example.org"]
    assert exported["free_workout_leads_left_out"] is None
    assert exported["account"]["email_verified_at"] == confirmed["email_verified_at"]
    _delete(client, owner)
    assert _lead_emails(app) == ["bob@example.org"]


def test_a_confirmation_link_works_once(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    email = unique_email()
    with mail_outbox(app, tmp_path):
        _sign_up(client, email)
    token = mailed_token(tmp_path, email, CONFIRM)
    _confirm(client, token)
    again = client.post("/api/v1/auth/email-verification/confirm", json={"token": token})
    assert again.status_code == 404
    assert again.json()["error"]["field"] == "token" and "used" in again.json()["error"]["message"]


def test_a_forged_or_mangled_link_is_refused(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    email = unique_email()
    with mail_outbox(app, tmp_path):
        account = _sign_up(client, email)
    token = mailed_token(tmp_path, email, CONFIRM)
    for bad in ("x", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token + "x"):
        response = client.post("/api/v1/auth/email-verification/confirm", json={"token": bad})
        assert response.status_code == 404 and response.json()["error"]["field"] == "token"
    assert _verified_at(client, account) is None


def test_a_password_reset_link_confirms_the_address(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    _leave_email(client, "ann@example.org")
    account = _sign_up(client, "ann@example.org")
    with mail_outbox(app, tmp_path):
        assert client.post("/api/v1/auth/password-reset", json={"email": account.email}).status_code == 202
    token = mailed_token(tmp_path, account.email, "/reset/")
    new_password = PASSWORD + "-new"
    reset = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": new_password}
    )
    assert reset.status_code == 204
    signed_in = client.post("/api/v1/auth/tokens", json={"email": account.email, "password": new_password})
    fresh = ApiAccount(account.user_id, account.email, signed_in.json()["token"])
    assert _verified_at(client, fresh) is not None
    leads = client.get("/api/v1/me/export", headers=fresh.headers).json()["free_workout_leads"]
    assert [lead["email"] for lead in leads] == ["ann@example.org"]


def test_confirming_an_email_change_confirms_the_new_address(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    _leave_email(client, "ann@example.org")
    account = _sign_up(client, unique_email())
    change = {"email": "ann@example.org", "current_password": PASSWORD}
    with mail_outbox(app, tmp_path):
        assert client.patch("/api/v1/me", json=change, headers=account.headers).status_code == 200
    token = mailed_token(tmp_path, "ann@example.org", "/account/email/")
    changed = client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == "ann@example.org" and changed.json()["email_verified_at"] is not None
    leads = client.get("/api/v1/me/export", headers=account.headers).json()["free_workout_leads"]
    assert [lead["email"] for lead in leads] == ["ann@example.org"]


def test_the_sign_up_link_of_a_former_address_no_longer_confirms(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    old = unique_email()
    with mail_outbox(app, tmp_path):
        account = _sign_up(client, old)
        change = {"email": "ann@example.org", "current_password": PASSWORD}
        assert client.patch("/api/v1/me", json=change, headers=account.headers).status_code == 200
    sign_up_link = mailed_token(tmp_path, old, CONFIRM)
    change_link = mailed_token(tmp_path, "ann@example.org", "/account/email/")
    assert client.post("/api/v1/auth/email-change/confirm", json={"token": change_link}).status_code == 200
    stale = client.post("/api/v1/auth/email-verification/confirm", json={"token": sign_up_link})
    assert stale.status_code == 404


def test_resending_the_link_is_limited_like_reset_requests(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    email = unique_email()
    account = _sign_up(client, email)
    per_account = ctx_of(app).rules.requests.resets_per_email_per_hour
    with mail_outbox(app, tmp_path):
        for _ in range(per_account):
            sent = client.post("/api/v1/me/email/verification", headers=account.headers)
            assert sent.status_code == 202, sent.text
        refused = client.post("/api/v1/me/email/verification", headers=account.headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["field"] == "email"
    assert [to for to, _ in sent_mail(tmp_path)] == [email] * per_account
    _confirm(client, mailed_token(tmp_path, email, CONFIRM))
    done = client.post("/api/v1/me/email/verification", headers=account.headers)
    assert done.status_code == 409 and "already confirmed" in done.json()["error"]["message"]


def test_the_pages_confirm_with_a_button_and_say_so_only_on_the_account_page(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    email = unique_email()
    client.cookies.set("bw_csrf", CSRF_VALUE)
    form = with_csrf(app, {"email": email, "password": PASSWORD, "display_name": "Mia"})
    with mail_outbox(app, tmp_path):
        assert client.post("/signup", data=form, follow_redirects=False).status_code == 303
        account = client.get("/account")
        assert "not confirmed yet" in account.text and "Send the confirmation link again" in account.text
        assert "not confirmed" not in client.get("/exercises").text
        resent = client.post("/account/email-verification", data=with_csrf(app), follow_redirects=False)
        assert resent.headers["location"] == "/account?notice=verification-sent"
    token = mailed_token(tmp_path, email, CONFIRM)
    assert len([to for to, _ in sent_mail(tmp_path) if to == email]) == 2
    # opening the link (as a mail scanner would) changes nothing; the button does
    opened = client.get(CONFIRM + token)
    assert opened.status_code == 200 and "this address is mine" in opened.text
    assert "not confirmed yet" in client.get("/account").text
    done = client.post(CONFIRM + token, data=with_csrf(app), follow_redirects=False)
    assert done.headers["location"] == "/account?notice=email-confirmed"
    assert "Your e-mail address is confirmed." in client.get("/account").text
    again = client.post(CONFIRM + token, data=with_csrf(app))
    assert again.status_code == 404 and "used or expired" in again.text


def test_a_coach_signing_up_with_an_invitation_gets_a_confirmation_link_too(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    """The invitation link may have been passed on by hand, so it does not prove the mailbox."""
    by_api, by_page = unique_email("coach"), unique_email("coach")
    api_invitation, page_invitation = (
        api_coach_invitation(client, by_api),
        api_coach_invitation(client, by_page),
    )
    body = {"password": PASSWORD, "display_name": "Coach Cara", "coach_invitation": api_invitation}
    client.cookies.set("bw_csrf", CSRF_VALUE)
    form = with_csrf(app, {"password": PASSWORD, "display_name": "Coach Dora"})
    with mail_outbox(app, tmp_path):
        made = client.post("/api/v1/auth/signup", json={**body, "email": by_api})
        assert made.status_code == 201 and made.json()["user"]["email_verified_at"] is None
        page = client.post(f"/coach-invitation/{page_invitation}", data=form, follow_redirects=False)
        assert page.status_code == 303
    for email in (by_api, by_page):
        confirmed = _confirm(client, mailed_token(tmp_path, email, CONFIRM))
        assert confirmed["role"] == "coach" and confirmed["email_verified_at"] is not None
