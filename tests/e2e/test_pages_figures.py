"""Figures on the pages: each exercise shown is drawn, for the member's own week, with a
reduced-motion source the browser picks when asked (no browser here; see tests/browser)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from websupport import api_member, api_onboard, api_sign_up, form_token, sign_in_pages

PICTURE = re.compile(
    r'<picture class="figure[^"]*">\s*<source media="\(prefers-reduced-motion: reduce\)" srcset="([^"]+)">'
    r'\s*<img src="([^"]+)" alt="([^"]+)"'
)


def figures_in(html: str) -> list[tuple[str, str, str]]:
    return [(s.replace("&amp;", "&"), i.replace("&amp;", "&"), a) for s, i, a in PICTURE.findall(html)]


def test_every_item_on_today_and_the_week_has_its_figure_for_the_members_week(
    client: TestClient, app: FastAPI
) -> None:
    member = api_member(client)  # due in 16 weeks: week 24 of pregnancy
    today = client.get("/api/v1/me/today", headers=member.headers).json()
    items = [i for s in (today["day"] or {}).get("sessions", []) for i in s["items"]]
    sign_in_pages(client, app, member.user_id)
    for path in ("/today", "/week"):
        page = client.get(path)
        drawn = figures_in(page.text)
        assert drawn, path
        for reduced, animated, alt in drawn:
            assert animated.startswith("/api/v1/exercises/") and "stage=pregnant&week=24" in animated
            assert reduced == animated + "&motion=reduce" and alt.startswith("Drawing of ")
    shown = figures_in(client.get("/today").text)
    assert len(shown) == len(items)
    for reduced, animated, _ in shown:
        assert client.get(animated).status_code == 200
        assert "@keyframes" not in client.get(reduced).text


def test_the_exercise_page_draws_the_chosen_week_and_every_variant(client: TestClient) -> None:
    page = client.get("/exercises/glute-bridge", params={"week": 34})
    drawn = figures_in(page.text)
    assert len(drawn) == 2  # the exercise and its one variant
    assert all("stage=pregnant&week=34" in animated for _, animated, _ in drawn)
    assert "variant=shoulders_elevated" in drawn[1][1]
    assert 'type="range"' in page.text and 'value="34"' in page.text
    wrong = client.get("/exercises/glute-bridge", params={"week": 99})
    assert wrong.status_code == 200 and "Please check this" in wrong.text and "Week" in wrong.text
    assert figures_in(wrong.text)


def test_the_library_shows_a_figure_on_each_card(client: TestClient) -> None:
    page = client.get("/exercises", params={"q": "squat"})
    assert page.status_code == 200
    cards = page.text.count('<li class="card">')
    assert cards and len(figures_in(page.text)) == cards


def test_the_free_workout_draws_each_item_for_the_week_given(client: TestClient, app: FastAPI) -> None:
    client.cookies.set("bw_csrf", "test-csrf-cookie-value")  # a visitor's CSRF cookie
    page = client.post("/free-workout", data={"weeks": "33", "minutes": "30", "csrf_token": form_token(app)})
    assert page.status_code == 200, page.text
    drawn = figures_in(page.text)
    assert drawn and len(drawn) == page.text.count('<li class="item">')
    assert all("stage=pregnant&week=33" in animated for _, animated, _ in drawn)


def test_the_coachs_client_view_draws_the_clients_plan(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    member = api_member(client, "Maya")  # week 24
    client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers)
    sign_in_pages(client, app, coach.user_id)
    detail = client.get(f"/coach/clients/{member.user_id}")
    drawn = figures_in(detail.text)
    assert drawn and len(drawn) == detail.text.count('<li class="item">')
    assert all("stage=pregnant&week=24" in animated for _, animated, _ in drawn)


def test_after_the_birth_the_exercise_page_offers_no_pregnancy_form_or_week(
    client: TestClient, app: FastAPI
) -> None:
    """Stage-true: goblet squat has a form for late pregnancy; a member after a caesarean is not
    offered it, nor a week of pregnancy to draw, and her figure is drawn for her own week."""
    pregnant = api_member(client)
    sign_in_pages(client, app, pregnant.user_id)
    page = client.get("/exercises/goblet-squat").text
    assert "Goblet squat for late pregnancy" in page and 'type="range"' in page
    after_birth = api_sign_up(client, "member", "Pola")
    details = {"stage_kind": "postpartum", "birth_date": (date.today() - timedelta(weeks=9)).isoformat()}
    api_onboard(client, after_birth, {**details, "delivery": "caesarean"})
    sign_in_pages(client, app, after_birth.user_id)
    page = client.get("/exercises/goblet-squat").text
    assert "Fine for you now" in page  # her verdict: the page is hers
    assert "for late pregnancy" not in page and 'type="range"' not in page
    assert "Week of pregnancy" not in page
    assert all("stage=postpartum&week=9" in animated for _, animated, _ in figures_in(page))
