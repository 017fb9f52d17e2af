"""Issue 10, points 1 and 7, over HTTP on both databases: coaches are vetted by an admin, a coach
sees only their own page's leads and their own imports, leads are in the person's export and
deletion, and every lead can unsubscribe."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from builders import SUMO_ATTRIBUTES
from bumpwise.persistence.models import CoachInvitation, Lead, User
from dbsupport import PASSWORD, unique_email
from websupport import (
    ApiAccount,
    api_admin,
    api_coach_invitation,
    api_confirmed_lead,
    api_member,
    api_sign_up,
    ctx_of,
    form_token,
    mail_outbox,
    mailed_token,
    sent_mail,
    sign_in_pages,
    with_csrf,
)


def _users_with(app: FastAPI, email: str) -> list[User]:
    with ctx_of(app).uow() as uow:
        return list(uow.session.scalars(select(User).where(User.email == email)).all())


def _leads(app: FastAPI) -> list[Lead]:
    with ctx_of(app).uow() as uow:
        return list(uow.session.scalars(select(Lead).order_by(Lead.id)).all())


def _handle(client: TestClient, coach: ApiAccount) -> str:
    response = client.get("/api/v1/coach/page", headers=coach.headers)
    assert response.status_code == 200, response.text
    handle: str = response.json()["handle"]
    return handle


def _leave_email(client: TestClient, email: str, handle: str | None = None) -> dict[str, object]:
    """An e-mail left on a page and confirmed from the confirmation e-mail (double opt-in)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    return api_confirmed_lead(client, app, email, handle)


# --- point 1: who becomes a coach ---


@pytest.mark.parametrize("role", ["coach", "admin", "wizard"])
def test_api_sign_up_refuses_any_role_but_member_naming_role_and_storing_nothing(
    client: TestClient, app: FastAPI, role: str
) -> None:
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "display_name": "Eve", "role": role}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "role"
    assert response.json()["error"]["allowed"] == ["member"]
    assert _users_with(app, email) == []


def test_sign_up_page_offers_no_coach_role_and_refuses_one(client: TestClient, app: FastAPI) -> None:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    assert 'value="coach"' not in client.get("/signup").text
    email = unique_email()
    form = {"email": email, "password": PASSWORD, "display_name": "Eve", "role": "coach"}
    response = client.post("/signup", data=with_csrf(app, form))
    assert response.status_code == 422 and "an admin invites coaches" in response.text
    assert _users_with(app, email) == []


def test_only_an_admin_invites_and_the_link_is_mailed_shown_once_and_stored_as_a_digest(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    member, coach, admin = api_member(client), api_sign_up(client, "coach"), api_admin(client)
    email = unique_email("future-coach")
    for refused in (member, coach):
        answer = client.post(
            "/api/v1/admin/coach-invitations", json={"email": email}, headers=refused.headers
        )
        assert answer.status_code == 403
    with mail_outbox(app, tmp_path):
        made = client.post("/api/v1/admin/coach-invitations", json={"email": email}, headers=admin.headers)
    assert made.status_code == 201 and made.json()["mailed"] is True
    link = made.json()["link"]
    token = link.rsplit("/", 1)[-1]
    assert f"/coach-invitation/{token}" in link
    assert [(to, link in body) for to, body in sent_mail(tmp_path)] == [(email, True)]
    listed = client.get("/api/v1/admin/coach-invitations", headers=admin.headers).json()["items"]
    assert [i["email"] for i in listed] == [email] and token not in str(listed)
    with ctx_of(app).uow() as uow:
        row = uow.session.scalars(select(CoachInvitation).where(CoachInvitation.email == email)).one()
        assert token not in str([row.email, row.token_hash]) and len(row.token_hash) == 64


def test_an_invited_person_signs_up_as_a_coach_once_with_the_invited_address(
    client: TestClient, app: FastAPI
) -> None:
    email = unique_email("coach")
    token = api_coach_invitation(client, email)
    signup = {"password": PASSWORD, "display_name": "Coach Cara", "coach_invitation": token}
    other = client.post("/api/v1/auth/signup", json={**signup, "email": unique_email()})
    assert other.status_code == 422 and other.json()["error"]["field"] == "email"
    made = client.post("/api/v1/auth/signup", json={**signup, "email": email})
    assert made.status_code == 201 and made.json()["user"]["role"] == "coach"
    again = client.post("/api/v1/auth/signup", json={**signup, "email": unique_email()})
    assert again.status_code == 404 and again.json()["error"]["field"] == "invitation"


def test_an_existing_member_accepts_by_signing_in_on_the_invitation_page(
    client: TestClient, app: FastAPI
) -> None:
    member = api_member(client, "Dana")
    token = api_coach_invitation(client, member.email)
    page = client.get(f"/coach-invitation/{token}")
    assert page.status_code == 200 and member.email in page.text and "Sign in" in page.text
    client.cookies.clear()
    sign_in_pages(client, app, member.user_id)
    assert "Become a coach" in client.get(f"/coach-invitation/{token}").text
    accepted = client.post(f"/coach-invitation/{token}/accept", data=with_csrf(app), follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/coach")
    assert client.get("/api/v1/me", headers=member.headers).json()["role"] == "coach"
    assert client.get(f"/coach-invitation/{token}").status_code == 404  # used up


def test_a_member_with_another_address_cannot_use_someone_elses_invitation(client: TestClient) -> None:
    member, stranger = api_member(client), api_member(client, "Eve")
    token = api_coach_invitation(client, member.email)
    refused = client.post("/api/v1/me/coach-invitation", json={"invitation": token}, headers=stranger.headers)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "email"
    assert client.get("/api/v1/me", headers=stranger.headers).json()["role"] == "member"


def test_the_admin_page_invites_a_coach_and_changes_a_role(client: TestClient, app: FastAPI) -> None:
    admin, member = api_admin(client), api_member(client, "Dana")
    sign_in_pages(client, app, admin.user_id)
    email = unique_email("coach")
    shown = client.post("/admin/coach-invitations", data=with_csrf(app, {"email": email}))
    assert shown.status_code == 200 and "/coach-invitation/" in shown.text and email in shown.text
    assert "/coach-invitation/" not in client.get("/admin").text  # shown once
    changed = client.post(
        f"/admin/users/{member.user_id}/role", data=with_csrf(app, {"role": "coach"}), follow_redirects=False
    )
    assert changed.status_code == 303
    assert client.get("/api/v1/me", headers=member.headers).json()["role"] == "coach"
    assert client.get("/api/v1/coach/page", headers=member.headers).status_code == 200


# --- point 1: leads belong to a coach's page; imports to their importer ---


def test_a_coach_sees_only_the_leads_of_their_own_page(client: TestClient, app: FastAPI) -> None:
    cara, dina, admin = (
        api_sign_up(client, "coach", "Cara"),
        api_sign_up(client, "coach", "Dina"),
        api_admin(client),
    )
    _leave_email(client, "for-cara@example.org", _handle(client, cara))
    _leave_email(client, "for-dina@example.org", _handle(client, dina))
    _leave_email(client, "general@example.org")

    def listed(account: ApiAccount) -> str:
        return client.get("/api/v1/coach/leads.csv", headers=account.headers).text

    assert "for-cara@" in listed(cara) and "for-dina@" not in listed(cara) and "general@" not in listed(cara)
    assert "for-dina@" in listed(dina) and "for-cara@" not in listed(dina) and "general@" not in listed(dina)
    assert "general@" in listed(admin) and "for-cara@" not in listed(admin)
    sign_in_pages(client, app, cara.user_id)
    page_csv = client.get("/coach/leads.csv").text
    assert "for-cara@" in page_csv and "for-dina@" not in page_csv


def test_the_coach_page_link_stores_the_lead_with_the_coachs_consent_words(
    client: TestClient, app: FastAPI
) -> None:
    cara = api_sign_up(client, "coach", "Coach Cara")
    handle = _handle(client, cara)
    sign_in_pages(client, app, cara.user_id)
    assert f"/c/{handle}/free-workout" in client.get("/coach").text
    form_page = client.get(f"/c/{handle}/free-workout?stage=pregnant")
    assert form_page.status_code == 200 and f'action="/c/{handle}/free-workout"' in form_page.text
    assert "shows it to Coach Cara only" in form_page.text
    form = {"weeks": "18", "email": "fan@example.org", "consent": "on"}
    made = client.post(f"/c/{handle}/free-workout", data=with_csrf(app, form))
    assert made.status_code == 200 and "/unsubscribe/" in made.text
    [lead] = _leads(app)
    assert lead.coach_id == cara.user_id and "shows it to Coach Cara only" in lead.consent_text


def test_an_unknown_coach_handle_is_a_404_and_stores_nothing(client: TestClient, app: FastAPI) -> None:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    body = {"weeks": 20, "email": "fan@example.org", "consent": True}
    api = client.post("/api/v1/c/nobody-here/free-workout", json=body)
    assert api.status_code == 404 and api.json()["error"]["field"] == "handle"
    form = {"weeks": "20", "email": "fan@example.org", "consent": "on", "csrf_token": form_token(app)}
    assert client.post("/c/nobody-here/free-workout", data=form).status_code == 404
    assert client.get("/c/nobody-here/free-workout").status_code == 404
    assert _leads(app) == []


def test_a_former_coachs_page_is_gone(client: TestClient) -> None:
    cara, admin = api_sign_up(client, "coach", "Cara"), api_admin(client)
    handle = _handle(client, cara)
    demoted = client.patch(
        f"/api/v1/admin/users/{cara.user_id}", json={"role": "member"}, headers=admin.headers
    )
    assert demoted.status_code == 200
    assert client.post(f"/api/v1/c/{handle}/free-workout", json={"weeks": 20}).status_code == 404


def test_a_coach_sees_reviews_and_confirms_only_their_own_imports(client: TestClient, app: FastAPI) -> None:
    cara, dina = api_sign_up(client, "coach", "Cara"), api_sign_up(client, "coach", "Dina")
    row = {"source": "free-exercise-db", "source_id": "Sumo", "name": "Sumo Deadlift", "position": "standing"}
    assert client.post("/api/v1/imports", json=[row], headers=cara.headers).status_code == 201
    assert client.get("/api/v1/imports", headers=dina.headers).json()["items"] == []
    import_id = client.get("/api/v1/imports", headers=cara.headers).json()["items"][0]["id"]
    values = SUMO_ATTRIBUTES
    stolen = client.post(f"/api/v1/imports/{import_id}/confirm", json=values, headers=dina.headers)
    assert stolen.status_code == 404
    sign_in_pages(client, app, dina.user_id)
    assert "Sumo Deadlift" not in client.get("/coach/imports").text
    # the same library row imported by the second coach is a row of their own
    assert client.post("/api/v1/imports", json=[row], headers=dina.headers).status_code == 201
    own = client.get("/api/v1/imports", headers=dina.headers).json()["items"]
    assert [r["name"] for r in own] == ["Sumo Deadlift"] and own[0]["id"] != import_id
    confirmed = client.post(f"/api/v1/imports/{import_id}/confirm", json=values, headers=cara.headers)
    assert confirmed.status_code == 200 and confirmed.json()["review_needed"] is False


# --- point 7: leads in the person's data rights ---


def test_the_account_export_holds_and_deletion_removes_every_lead_with_the_accounts_confirmed_email(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    """Only once the address is confirmed (tests/e2e/test_web_email_verification.py: a stranger who
    signs up with someone else's address sees and deletes nothing)."""
    cara = api_sign_up(client, "coach", "Coach Cara")
    with mail_outbox(app, tmp_path):
        member = api_member(client, "Maya")
    token = mailed_token(tmp_path, member.email, "/confirm-email/")
    assert client.post("/api/v1/auth/email-verification/confirm", json={"token": token}).status_code == 200
    _leave_email(client, member.email)
    _leave_email(client, member.email, _handle(client, cara))
    _leave_email(client, "someone-else@example.org")
    exported = client.get("/api/v1/me/export", headers=member.headers).json()["free_workout_leads"]
    assert sorted(lead["page"] for lead in exported) == ["Coach Cara (coach on bumpwise)", "bumpwise"]
    assert all(lead["email"] == member.email and lead["consent_text"] for lead in exported)
    deleted = client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=member.headers)
    assert deleted.status_code == 204
    assert [lead.email for lead in _leads(app)] == ["someone-else@example.org"]


def test_a_coachs_own_list_goes_with_the_coachs_account(client: TestClient, app: FastAPI) -> None:
    cara = api_sign_up(client, "coach", "Coach Cara")
    _leave_email(client, "fan@example.org", _handle(client, cara))
    assert (
        client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=cara.headers).status_code == 204
    )
    assert _leads(app) == []


# --- point 7: a working unsubscribe ---


def test_the_opt_in_shows_a_link_whose_page_has_one_button_that_deletes_the_lead(
    client: TestClient, app: FastAPI
) -> None:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    form = {"weeks": "18", "email": "fan@example.org", "consent": "on", "csrf_token": form_token(app)}
    made = client.post("/free-workout", data=form)
    path = "/unsubscribe/" + made.text.split("/unsubscribe/")[1].split('"')[0]
    page = client.get(path)
    assert page.status_code == 200 and "fan@example.org" in page.text and page.text.count("<button") == 1
    client.cookies.clear()  # no session, no CSRF cookie: the link is the credential
    done = client.post(path)
    assert done.status_code == 200 and "unsubscribed" in done.text
    assert _leads(app) == []
    assert client.get(path).status_code == 404 and client.post(path).status_code == 404


def test_rfc8058_one_click_post_unsubscribes(client: TestClient, app: FastAPI) -> None:
    path = str(_leave_email(client, "fan@example.org")["unsubscribe_path"])
    one_click = client.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200 and _leads(app) == []


def test_leaving_the_email_again_replaces_the_link(client: TestClient, app: FastAPI) -> None:
    first = str(_leave_email(client, "fan@example.org")["unsubscribe_path"])
    second = str(_leave_email(client, "fan@example.org")["unsubscribe_path"])
    assert first != second and len(_leads(app)) == 1
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_the_unsubscribe_form_mails_fresh_links_with_the_same_answer_for_anyone(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    cara = api_sign_up(client, "coach", "Coach Cara")
    _leave_email(client, "fan@example.org")
    _leave_email(client, "fan@example.org", _handle(client, cara))
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")
    answers = []
    with mail_outbox(app, tmp_path):
        for email in ("fan@example.org", "stranger@example.org"):
            answer = client.post(
                "/unsubscribe", data={"email": email, "csrf_token": form_token(app)}, follow_redirects=False
            )
            answers.append((answer.status_code, answer.headers.get("location")))
    assert answers[0] == answers[1] == (303, "/unsubscribe?notice=unsubscribe-sent")
    sent = sent_mail(tmp_path)
    assert [to for to, _ in sent] == ["fan@example.org"]
    bodies = [body for _, body in sent]
    links = [
        line.split("http://127.0.0.1:8000", 1)[1]
        for body in bodies
        for line in body.splitlines()
        if "/unsubscribe/" in line
    ]
    assert len(links) == 2
    assert client.post(links[1]).status_code == 200
    assert [lead.coach_id for lead in _leads(app)] == [None]
