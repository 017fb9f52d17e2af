"""A member's and a coach's day over HTTP (issue 13): nothing broken, stage-true questions,
logging that answers, plain words, the library search."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.web import csrf
from dbsupport import PASSWORD
from websupport import (
    CSRF_VALUE,
    ApiAccount,
    api_member,
    api_onboard,
    api_sign_up,
    ctx_of,
    sign_in_pages,
    with_csrf,
)

CAESAREAN_9_WEEKS = {
    "stage_kind": "postpartum",
    "birth_date": (date.today() - timedelta(weeks=9)).isoformat(),
    "delivery": "caesarean",
}
VAGINAL_14_WEEKS = {
    "stage_kind": "postpartum",
    "birth_date": (date.today() - timedelta(weeks=14)).isoformat(),
    "delivery": "vaginal",
}
PREGNANCY_ONLY = ("amniotic_fluid_leak", "regular_painful_contractions", "reduced_fetal_movement")


def _member(
    client: TestClient, app: FastAPI, details: dict[str, str] | None = None, **screening: object
) -> ApiAccount:
    account = api_sign_up(client, "member", "Mia")
    api_onboard(client, account, details, **screening)
    sign_in_pages(client, app, account.user_id)
    return account


def _checkbox_values(html: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" value="([a-z0-9_]+)"', html))


def test_the_design_choice_source_leads_to_the_rules_page(client: TestClient, app: FastAPI) -> None:
    _member(client, app)
    today = client.get("/today").text
    assert "docs/safety-rules.md" not in today
    rules = client.get("/rules")
    assert rules.status_code == 200
    assert 'id="design-choices"' in rules.text and "not medical advice" in rules.text
    links = set(re.findall(r'href="(/rules[^"#]*)', today))
    assert all(client.get(href).status_code == 200 for href in links)


def test_check_in_after_a_caesarean_asks_nothing_about_pregnancy(client: TestClient, app: FastAPI) -> None:
    _member(client, app, CAESAREAN_9_WEEKS)
    signs = _checkbox_values(client.get("/check-in").text, "warning_signs")
    assert not signs & set(PREGNANCY_ONLY)
    assert {"wound_pain_or_discharge", "increasing_postpartum_bleeding"} <= signs


def test_check_in_after_a_vaginal_birth_has_no_caesarean_wound(client: TestClient, app: FastAPI) -> None:
    _member(client, app, VAGINAL_14_WEEKS)
    page = client.get("/check-in").text
    assert "wound_pain_or_discharge" not in _checkbox_values(page, "warning_signs")
    assert "aesarean" not in page
    screening = client.get("/onboarding/screening").text
    assert "wound_pain_or_discharge" not in _checkbox_values(screening, "warning_signs")
    assert "amniotic_fluid_leak" not in _checkbox_values(screening, "warning_signs")
    refused = client.post("/check-in", data=with_csrf(app, {"warning_signs": ["wound_pain_or_discharge"]}))
    assert refused.status_code == 422 and "Warning signs:" in refused.text
    assert "after a caesarean birth" in refused.text


def test_check_in_in_pregnancy_has_no_wound_or_postpartum_bleeding(client: TestClient, app: FastAPI) -> None:
    _member(client, app)
    signs = _checkbox_values(client.get("/check-in").text, "warning_signs")
    assert set(PREGNANCY_ONLY) <= signs
    assert not signs & {"wound_pain_or_discharge", "increasing_postpartum_bleeding"}


def test_after_a_vaginal_birth_no_caesarean_words_reach_today(client: TestClient, app: FastAPI) -> None:
    _member(client, app, {**VAGINAL_14_WEEKS, "birth_date": (date.today() - timedelta(weeks=3)).isoformat()})
    for path in ("/today", "/week"):
        visible = re.sub(r"<[^>]+>", " ", client.get(path).text)
        assert "caesarean" not in visible.lower(), path


def test_after_a_caesarean_the_stage_forms_say_what_to_do_about_the_scar(
    client: TestClient, app: FastAPI
) -> None:
    _member(client, app, {**CAESAREAN_9_WEEKS, "birth_date": (date.today() - timedelta(weeks=3)).isoformat()})
    assert "scar" in client.get("/week").text


def test_the_postpartum_screening_result_shows_running_readiness(client: TestClient, app: FastAPI) -> None:
    _member(client, app, VAGINAL_14_WEEKS, return_to_running_tests={"walk_30_min": True})
    result = client.get("/onboarding/result").text
    assert "Return to running: not yet" in result
    assert "You passed 1 of the 11 return-to-running tests" in result
    assert "Test still to do: Jog on the spot" in result


def test_summary_before_onboarding_leads_to_onboarding(client: TestClient, app: FastAPI) -> None:
    account = api_sign_up(client)
    sign_in_pages(client, app, account.user_id)
    for path in ("/summary", "/today", "/week"):
        assert client.get(path, follow_redirects=False).headers["location"] == "/onboarding", path


def test_an_error_page_keeps_the_signed_in_menu_and_speaks_in_sentences(
    client: TestClient, app: FastAPI
) -> None:
    _member(client, app)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "<title>Page not found · bumpwise</title>" in missing.text
    assert "There is nothing at this address." in missing.text
    assert 'href="/today"' in missing.text and "Sign out" in missing.text
    assert 'href="/signup"' not in missing.text
    forbidden = client.get("/admin")
    assert forbidden.status_code == 403 and "<title>Not allowed" in forbidden.text
    assert "Sign out" in forbidden.text


def _planned_today(client: TestClient) -> str:
    """An exercise of today's session (the member logs what her plan holds)."""
    found = re.findall(r'name="items_done" value="([a-z0-9-]+)"', client.get("/today").text)
    assert found, "today's plan has exercises to tick"
    return found[0]


def test_a_duplicate_log_asks_first_and_keeps_the_answers(client: TestClient, app: FastAPI) -> None:
    _member(client, app)
    done = _planned_today(client)
    entry = {"session_kind": "strength", "minutes": "20", "items_done": [done]}
    first = client.post("/today/log", data=with_csrf(app, entry), follow_redirects=False)
    assert first.headers["location"].endswith("#log-done")
    again = client.post("/today/log", data=with_csrf(app, entry))
    assert again.status_code == 409 and "Already logged" in again.text
    assert f'value="{done}" checked' in again.text and 'name="minutes"' in again.text
    assert 'value="20"' in again.text
    twice = client.post("/today/log", data=with_csrf(app, {**entry, "again": "true"}), follow_redirects=True)
    logged = twice.text.split("Logged today", 1)[1].split("</ul>", 1)[0]
    assert twice.status_code == 200 and logged.count("20 min") == 2


def test_ticks_and_figures_are_kept_after_an_error(client: TestClient, app: FastAPI) -> None:
    _member(client, app)
    done = _planned_today(client)
    entry = {"session_kind": "strength", "rpe": "40", "items_done": [done], f"kg:{done}": "8"}
    refused = client.post("/today/log", data=with_csrf(app, entry))
    assert refused.status_code == 422 and "Effort (RPE):" in refused.text
    assert f'value="{done}" checked' in refused.text


def test_yesterday_can_be_logged_with_sets_reps_and_weight(client: TestClient, app: FastAPI) -> None:
    member = _member(client, app)
    done = _planned_today(client)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    entry = {
        "session_kind": "strength",
        "session_date": yesterday,
        "items_done": [done],
        f"sets:{done}": "3",
        f"reps:{done}": "10",
        f"kg:{done}": "8.5",
    }
    assert 'value="' + yesterday + '"' in client.get("/today").text
    client.post("/today/log", data=with_csrf(app, entry), follow_redirects=False)
    logs = client.get("/api/v1/me/logs", headers=member.headers).json()
    rows = logs["items"]
    assert rows[0]["session_date"] == yesterday
    assert rows[0]["records"] == [{"exercise": done, "sets": 3, "reps": 10, "weight_kg": 8.5}]


def test_an_invite_survives_sign_up(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    client.cookies.set(csrf.cookie_name(ctx_of(app)), CSRF_VALUE)
    invite = client.get(f"/invite/{code}")
    assert invite.status_code == 200 and "Coach Cara invites you" in invite.text
    signup_link = re.search(r'href="(/signup\?next=[^"]+)"', invite.text)
    assert signup_link is not None
    form = client.get(signup_link.group(1).replace("&amp;", "&"))
    assert f'name="next" value="/invite/{code}"' in form.text
    details = {"display_name": "Nia", "email": f"nia-{code[:6].lower()}@example.org", "password": PASSWORD}
    form_data = with_csrf(app, {**details, "next": f"/invite/{code}"})
    made = client.post("/signup", data=form_data, follow_redirects=False)
    assert made.status_code == 303, made.text[-3000:]
    assert made.headers["location"] == f"/invite/{code}"
    accept = client.get(f"/invite/{code}")
    assert "Give Coach Cara access" in accept.text
    client.post("/account/coaches", data=with_csrf(app, {"code": code, "idempotency_key": "k" * 24}))
    roster = client.get("/api/v1/coach/clients", headers=coach.headers).json()
    names = [c["display_name"] for c in roster["items"]]
    assert "Nia" in names


def test_swap_choices_hold_only_what_the_clients_rules_allow(client: TestClient, app: FastAPI) -> None:
    from bumpwise.domain.evaluation import evaluate
    from bumpwise.services.profiles import member_state

    coach = api_sign_up(client, "coach", "Coach Cara")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    member = api_member(client, "Maya", conditions=["pelvic_girdle_pain"])
    client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers)
    sign_in_pages(client, app, coach.user_id)
    page = client.get(f"/coach/clients/{member.user_id}").text
    select = page.split('id="to_exercise"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'value="([a-z0-9-]+)"', select)
    ctx = ctx_of(app)
    with ctx.uow() as uow:
        profile = member_state(uow, ctx.kb, member.user_id, date.today()).profile
    assert offered and len(offered) < len(ctx.kb.exercises)
    assert all(evaluate(profile, ctx.kb.exercises[e], ctx.kb).prescription is not None for e in offered)
    assert "reverse-lunge" not in offered


def test_invites_are_full_copyable_links(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    client.post("/api/v1/coach/invites", headers=coach.headers)
    sign_in_pages(client, app, coach.user_id)
    roster = client.get("/coach").text
    link = r'<input id="invite-1" type="text" readonly value="https?://[^"]+/invite/[A-Za-z0-9_-]+">'
    assert re.search(link, roster)


def test_the_imports_tab_leads_somewhere(client: TestClient, app: FastAPI) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    sign_in_pages(client, app, coach.user_id)
    page = client.get("/coach/imports").text
    assert "How exercises get here" in page and 'href="/exercises"' in page


def test_library_search_finds_common_names_and_synonyms(client: TestClient) -> None:
    expected = {
        "kegel": "pelvic-floor-slow-holds",
        "push up": "knee-push-up",
        "abs": "dead-bug",
        "diastasis": "transverse-abdominis-activation",
        "c-section": "walking",
    }
    for words, exercise in expected.items():
        page = client.get("/exercises", params={"q": words}).text
        assert f'href="/exercises/{exercise}"' in page, words


def test_the_library_is_paged(client: TestClient) -> None:
    first = client.get("/exercises").text
    assert first.count('class="card"') == 12 and "Page 1 of" in first
    link = re.search(r'href="(/exercises\?page=2)"', first)
    assert link is not None
    second = client.get(link.group(1)).text
    assert "13–24 of" in second
    filtered = client.get("/exercises", params={"pattern": "squat", "page": "1"}).text
    assert "Page" not in filtered.split('class="cards"', 1)[1] or "pattern=squat" in filtered


def test_no_engine_words_on_the_week_page(client: TestClient, app: FastAPI) -> None:
    _member(client, app)
    visible = re.sub(r"<[^>]+>", " ", client.get("/week").text)
    leaks = ("pull vertical", "anti extension", "anti rotation", "push horizontal", "front-of-thigh work 1")
    for word in leaks:
        assert word not in visible, word


def test_pages_are_compressed_and_carry_a_description_and_a_social_preview(client: TestClient) -> None:
    for path in ("/", "/exercises", "/rules", "/learn", "/free-workout"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("content-encoding") == "gzip", path
        html = response.text
        assert html.count('<meta name="description"') == 1, path
        assert '<meta property="og:image" content="http' in html and 'property="og:title"' in html, path
    assert client.get("/static/social-preview.png").headers["content-type"] == "image/png"
