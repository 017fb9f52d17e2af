"""Issue 16, the free workout done right: pregnancy and after birth, the screening questions
first and stage-true, no workout (and no e-mail kept) for someone not cleared, and a double
opt-in through a real local SMTP server (STARTTLS): confirmation e-mail, the PDF after
confirming, one-click unsubscribe that deletes the lead, and only confirmed leads for the coach."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from bumpwise.adapters.security import digest
from bumpwise.persistence.models import Lead
from bumpwise.services import leads
from bumpwise.services.errors import NotFound
from dbsupport import opted_in
from smtpsupport import app_mail_through_smtp
from websupport import CSRF_VALUE, api_sign_up, ctx_of, plain_text, with_csrf

CONFIRM = re.compile(r"http://127\.0\.0\.1:8000(/free-workout/confirm/[A-Za-z0-9_-]+)")
UNSUBSCRIBE = re.compile(r"http://127\.0\.0\.1:8000(/unsubscribe/[A-Za-z0-9_-]+)")


def _leads(app: FastAPI) -> list[Lead]:
    with ctx_of(app).uow() as uow:
        return list(uow.session.scalars(select(Lead).order_by(Lead.id)).all())


def _handle(client: TestClient, coach_headers: dict[str, str]) -> str:
    handle: str = client.get("/api/v1/coach/page", headers=coach_headers).json()["handle"]
    return handle


def test_the_questions_are_those_of_the_visitors_stage(client: TestClient) -> None:
    chooser = client.get("/free-workout")
    assert 'name="stage" value="pregnant"' in chooser.text and 'value="postpartum"' in chooser.text
    pregnant = client.get("/free-workout?stage=pregnant").text
    after = client.get("/free-workout?stage=postpartum").text
    assert 'value="amniotic_fluid_leak"' in pregnant and 'value="amniotic_fluid_leak"' not in after
    assert 'value="placenta_previa"' in pregnant and 'value="placenta_previa"' not in after
    assert 'value="wound_pain_or_discharge"' in after and 'value="wound_pain_or_discharge"' not in pregnant
    assert 'name="delivery"' in after and 'name="delivery"' not in pregnant
    # the safety questions come before the workout details
    assert after.index('name="warning_signs"') < after.index('name="equipment"')


def test_a_question_of_the_other_stage_is_refused_naming_the_field(client: TestClient) -> None:
    after_birth = {"stage_kind": "postpartum", "weeks": 10, "delivery": "vaginal"}
    refused = client.post(
        "/api/v1/free-workout", json={**after_birth, "warning_signs": ["amniotic_fluid_leak"]}
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "warning_signs[0]" and "increasing_postpartum_bleeding" in error["allowed"]
    condition = client.post("/api/v1/free-workout", json={**after_birth, "conditions": ["placenta_previa"]})
    assert condition.status_code == 422 and condition.json()["error"]["field"] == "conditions[0]"
    no_delivery = client.post("/api/v1/free-workout", json={"stage_kind": "postpartum", "weeks": 10})
    assert no_delivery.status_code == 422 and no_delivery.json()["error"]["allowed"] == [
        "vaginal",
        "caesarean",
    ]


def test_a_contraindication_gets_advice_and_no_workout_and_no_email_kept(
    client: TestClient, app: FastAPI
) -> None:
    body = {"weeks": 24, "conditions": ["twin_pregnancy"], "email": "twins@example.org", "consent": True}
    answer = client.post("/api/v1/free-workout", json=body).json()
    assert answer["clearance"] == "consult_provider" and answer["sessions"] == []
    assert answer["lead_saved"] is False and _leads(app) == []
    client.cookies.set("bw_csrf", CSRF_VALUE)
    page = client.post("/free-workout", data=with_csrf(app, {**body, "weeks": "24", "consent": "on"}))
    assert page.status_code == 200 and "Before you exercise" in page.text
    assert "We did not keep your e-mail address" in page.text and "Download this workout" not in page.text


def test_a_postpartum_visitor_after_a_caesarean_gets_a_stage_true_workout(client: TestClient) -> None:
    body = {"stage_kind": "postpartum", "weeks": 4, "delivery": "caesarean"}
    answer = client.post("/api/v1/free-workout", json=body).json()
    assert answer["clearance"] == "cleared" and answer["stage_kind"] == "postpartum"
    assert "caesarean" in answer["stage"]
    names = {i["exercise"]["id"] for s in answer["sessions"] for i in s["items"]}
    assert names and not names & {"crunch", "sit-up", "running", "jumping-jacks"}


def test_double_opt_in_through_a_real_smtp_server(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    handle = _handle(client, coach.headers)
    form = {
        "stage_kind": "postpartum",
        "weeks": "14",
        "delivery": "vaginal",
        "equipment": ["resistance_band"],
        "email": "fan@example.org",
        "consent": "on",
    }
    client.cookies.set("bw_csrf", CSRF_VALUE)
    with app_mail_through_smtp(app, tmp_path) as inbox:
        made = client.post(f"/c/{handle}/free-workout", data=with_csrf(app, form))
        assert made.status_code == 200 and "Check your e-mail" in made.text
        [confirmation] = inbox.to("fan@example.org")
        assert inbox.encrypted == [True]  # STARTTLS was used
        text = confirmation.get_content()
        confirm = CONFIRM.search(text)
        assert confirm is not None, text
        confirm_path = confirm.group(1)
        [lead] = _leads(app)
        token = confirm_path.rsplit("/", 1)[1]
        assert (
            lead.confirmed_at is None and lead.confirm_hash == digest(token) and token not in str(vars(lead))
        )
        # unconfirmed: the coach does not see it
        assert "fan@example.org" not in client.get("/api/v1/coach/leads.csv", headers=coach.headers).text
        shown = client.get(confirm_path)
        assert shown.status_code == 200 and "fan@example.org" in shown.text
        assert _leads(app)[0].confirmed_at is None  # a GET (a mail scanner) confirms nothing
        confirmed = client.post(confirm_path)
        assert confirmed.status_code == 200 and "Your e-mail is confirmed" in confirmed.text
        [_, workout_mail] = inbox.to("fan@example.org")
    [pdf] = [part for part in workout_mail.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    assert workout_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = UNSUBSCRIBE.search(plain_text(workout_mail))
    assert unsubscribe is not None
    unsubscribe_path = unsubscribe.group(1)
    assert workout_mail["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe_path}>"
    [lead] = _leads(app)
    assert lead.confirmed_at is not None and lead.pending_answers is None and lead.confirm_hash is None
    assert "fan@example.org" in client.get("/api/v1/coach/leads.csv", headers=coach.headers).text
    assert client.post(confirm_path).status_code == 404  # a confirmation link works once
    # one-click unsubscribe deletes the lead
    assert client.post(unsubscribe_path).status_code == 200
    assert _leads(app) == []
    assert "fan@example.org" not in client.get("/api/v1/coach/leads.csv", headers=coach.headers).text


def test_an_unknown_confirmation_link_is_a_404(client: TestClient) -> None:
    assert client.get("/free-workout/confirm/not-a-real-token").status_code == 404
    assert client.post("/free-workout/confirm/not-a-real-token").status_code == 404


def test_an_unconfirmed_opt_in_expires_after_7_days_and_is_then_deleted(
    client: TestClient, app: FastAPI
) -> None:
    ctx = ctx_of(app)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    token = opted_in(ctx.uow(), "late@example.org", start)
    with pytest.raises(NotFound):
        leads.confirm_lead(ctx.uow(), token, start + timedelta(days=8))
    assert [lead.email for lead in _leads(app)] == ["late@example.org"]
    opted_in(ctx.uow(), "someone@example.org", start + timedelta(days=8))
    assert [lead.email for lead in _leads(app)] == ["someone@example.org"]  # the stale one is gone
