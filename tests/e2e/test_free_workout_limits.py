"""The public free workout (issue 18): limited per client address on the API and the page form (429
with Retry-After, in the reader's language), and built once per set of answers, day and language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.locale import request_scope
from bumpwise.services.answer_cache import answer_cache
from bumpwise.services.free_workout import FreeWorkoutInput, _built_free_workout, build_free_workout
from bumpwise.web.app import create_app
from dbsupport import empty_tables, settings_for
from websupport import CSRF_VALUE, ctx_of, due_in, with_csrf

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
ANSWERS = {"weeks": 24, "equipment": ["resistance_band"]}


@contextmanager
def limited_app(
    database_url: str, per_hour: int, peer: str = "testclient"
) -> Iterator[tuple[FastAPI, TestClient]]:
    application = create_app(settings_for(database_url, free_workouts_per_hour=per_hour))
    ctx = ctx_of(application)
    empty_tables(ctx.engine)
    try:
        with TestClient(application, base_url="http://testserver", client=(peer, 50000)) as client:
            yield application, client
    finally:
        ctx.engine.dispose()


def _refused(response: Any) -> None:
    assert response.status_code == 429, response.text[:300]
    assert int(response.headers["retry-after"]) > 0


def test_the_api_answers_429_with_retry_after_once_a_client_used_its_hour(database_url: str) -> None:
    with limited_app(database_url, 2) as (_, client):
        for _ in range(2):
            assert client.post("/api/v1/free-workout", json=ANSWERS).status_code == 200
        refused = client.post("/api/v1/free-workout", json=ANSWERS)
        _refused(refused)
        assert "too many requests" in refused.json()["error"]["message"]
        spanish = client.post("/api/v1/free-workout", json=ANSWERS, headers=SPANISH)
        _refused(spanish)
        assert "demasiadas solicitudes" in spanish.json()["error"]["message"]
        coach_link = client.post("/api/v1/c/nobody/free-workout", json=ANSWERS)
        assert coach_link.status_code == 404  # an unknown handle is refused first, and not counted
    with limited_app(database_url, 2, peer="192.0.2.7") as (_, other):
        assert other.post("/api/v1/free-workout", json=ANSWERS).status_code == 200


def test_the_page_form_shows_the_limit_in_the_form_with_retry_after(database_url: str) -> None:
    with limited_app(database_url, 1) as (app, client):
        client.cookies.set("bw_csrf", CSRF_VALUE)
        form = with_csrf(app, {"stage_kind": "pregnant", "weeks": "24", "minutes": "30"})
        assert client.post("/free-workout", data=form).status_code == 200
        refused = client.post("/free-workout", data=form)
        _refused(refused)
        assert "too many requests" in refused.text and 'name="weeks"' in refused.text
        spanish = client.post("/free-workout", data=form, headers=SPANISH)
        _refused(spanish)
        assert "demasiadas solicitudes" in spanish.text


def test_a_cached_workout_never_carries_a_lead_to_the_next_visitor(client: TestClient) -> None:
    with_email = {**ANSWERS, "email": "lead@example.org", "consent": True}
    assert client.post("/api/v1/free-workout", json=with_email).json()["lead_saved"] is True
    plain = client.post("/api/v1/free-workout", json=ANSWERS).json()
    assert plain["lead_saved"] is False and plain["unsubscribe_path"] is None
    again = client.post("/api/v1/free-workout", json=with_email).json()
    assert again["lead_saved"] is True and again["sessions"] == plain["sessions"]


def test_the_same_answers_give_the_same_workout_in_each_language(client: TestClient) -> None:
    english = client.post("/api/v1/free-workout", json=ANSWERS).json()
    spanish = client.post("/api/v1/free-workout", json=ANSWERS, headers=SPANISH).json()
    assert english != spanish and spanish["disclaimer"] != english["disclaimer"]
    assert client.post("/api/v1/free-workout", json=ANSWERS).json() == english
    assert client.post("/api/v1/free-workout", json=ANSWERS, headers=SPANISH).json() == spanish


def test_the_cache_key_holds_the_answers_the_day_and_the_language() -> None:
    kb = default_knowledge("en")
    today = date.today()
    by_date = FreeWorkoutInput.model_validate({"due_date": due_in(10)})
    first = build_free_workout(kb, by_date, today)
    assert build_free_workout(kb, by_date, today) is first
    a_week_on = build_free_workout(kb, by_date, today + timedelta(weeks=1))
    assert a_week_on.stage != first.stage
    assert a_week_on == _built_free_workout(kb, by_date, today + timedelta(weeks=1))
    flared = FreeWorkoutInput.model_validate({"due_date": due_in(10), "symptoms": ["pelvic_pain_flare"]})
    assert build_free_workout(kb, flared, today) == _built_free_workout(kb, flared, today)
    assert build_free_workout(kb, flared, today) != first
    with request_scope("es"):
        spanish = build_free_workout(default_knowledge("es"), by_date, today)
    assert spanish.disclaimer != first.disclaimer
    reloaded = replace(kb, memo={})  # knowledge loaded anew (another knowledge version) starts empty
    assert len(answer_cache(reloaded, "free-workout")) == 0
