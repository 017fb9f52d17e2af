"""The session player in Chromium at phone size (390×844): a whole session played to the end with
the timers on a fast clock, logged and found in the database; a session logged offline and sent
once when the connection returns; a warning sign that stops the session at once; keyboard and
screen-reader labels checked by axe-core. Screenshots of the player go to artifacts/."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from flows import onboard, shot, sign_in, sign_up
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bumpwise.services.demo import DEMO_PASSWORD
from cisupport import missing
from conftest import serve
from dbsupport import PASSWORD, unique_email

PHONE = ViewportSize(width=390, height=844)
TIME_SCALE = 300
"""A 30-second hold lasts a tenth of a second; a minute's rest a fifth."""
AXE = Path(__file__).parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("player")
    with serve(home) as url:
        yield url, home / "bumpwise.db"


@pytest.fixture
def phone(browser: Browser, server: tuple[str, Path]) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=server[0], viewport=PHONE, device_scale_factor=1, has_touch=True)
    context.add_init_script(f"window.BUMPWISE_TIME_SCALE = {TIME_SCALE};")
    yield context
    context.close()


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def logs_of(db: Path, email: str) -> list[tuple[Any, ...]]:
    return rows(
        db,
        "SELECT l.items_done, l.sets_done, l.minutes, l.rpe, l.notes FROM session_logs l "
        "JOIN users u ON u.id = l.user_id WHERE u.email = ? ORDER BY l.id",
        email,
    )


def new_member(page: Page, weeks_to_due: int = 14) -> str:
    email = sign_up(page)
    onboard(page, weeks_to_due=weeks_to_due, condition=None)
    return email


def play_to_the_end(page: Page, *, skip_second: bool = False) -> int:
    """Press what a person presses until the log form shows; returns how many exercises."""
    total = page.locator("[data-step]").count()
    main = page.locator('[data-action="main"]')
    skipped = not skip_second
    deadline = time.monotonic() + 90
    while not page.locator("[data-log]").is_visible():
        assert time.monotonic() < deadline, "the session did not reach its end"
        if not skipped and page.locator("#step-2").is_visible():
            page.get_by_role("button", name="Skip").click()
            page.get_by_role("button", name="Too hard today").click()
            skipped = True
            continue
        label = main.inner_text()
        if label in ("Pause", "Skip the rest"):
            page.wait_for_timeout(40)
        else:
            main.click()
    return total


def test_a_whole_session_is_played_on_a_fast_clock_and_its_log_is_stored(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    page = phone.new_page()
    email = new_member(page)
    page.goto("/today")
    page.locator("a", has_text="Start").first.click()
    expect(page.locator("[data-progress]")).to_have_text(
        f"Exercise 1 of {page.locator('[data-step]').count()}"
    )
    expect(page.locator("#step-1")).to_be_visible()
    expect(page.locator("#step-2")).to_be_hidden()
    expect(page.locator("[data-set]")).to_contain_text("Set 1 of")
    shot(page, "player-step-1")
    total = play_to_the_end(page, skip_second=page.locator("[data-step]").count() > 2)
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text(f"of {total} exercises")
    assert int(page.locator("#sets_done").input_value()) > 0
    assert int(page.locator("#minutes").input_value()) >= 1
    if total > 2:
        assert "Skipped:" in page.locator("#notes").input_value()
    shot(page, "player-log")
    page.get_by_label("Effort, 6–20").fill("13")
    page.get_by_role("button", name="Log session").click()
    page.wait_for_url("**/today?notice=logged**")
    stored = logs_of(server[1], email)
    assert len(stored) == 1
    items, sets, minutes, rpe, notes = stored[0]
    assert rpe == 13 and sets > 0 and minutes >= 1
    assert items != "[]"
    if total > 2:
        assert "too hard today" in notes


KEPT_EVERYTHING = """async () => {
    const list = await (await fetch('/today/play/offline.json')).json();
    const cache = await caches.open('bumpwise-v1');
    const kept = await Promise.all(list.urls.map(url => cache.match(url)));
    return list.urls.filter((url, i) => !kept[i]);
}"""


def wait_for_offline_copy(page: Page) -> None:
    """Until a page is controlled by the service worker and it keeps every file of the week's list.
    A page loaded while the worker was still installing is not controlled: load it again, as the
    next visit would. Polled with ``evaluate`` (the CSP forbids ``wait_for_function``'s eval)."""
    deadline = time.monotonic() + 60
    while True:
        controlled = page.evaluate("navigator.serviceWorker.controller !== null")
        missing = page.evaluate(KEPT_EVERYTHING)
        if controlled and not missing:
            return
        assert time.monotonic() < deadline, f"not offline in 60 s: controlled {controlled}, {missing}"
        page.wait_for_timeout(300)
        if not controlled:
            page.reload()


def test_a_session_logged_offline_is_stored_once_when_the_connection_returns(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    page = phone.new_page()
    email = new_member(page)
    page.goto("/today/play")
    wait_for_offline_copy(page)
    phone.set_offline(True)
    page.reload()  # the player comes from the phone's copy
    expect(page.locator("#step-1")).to_be_visible()
    figure = page.locator("#step-1 img")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", figure.element_handle())
    play_to_the_end(page)
    page.get_by_label("Effort, 6–20").fill("12")
    page.get_by_role("button", name="Log session").click()
    expect(page.locator("[data-status]")).to_contain_text("Logged on this phone")
    assert logs_of(server[1], email) == []
    shot(page, "player-offline-logged")
    phone.set_offline(False)
    expect(page.locator("[data-status]")).to_contain_text("Sent what you saved", timeout=15000)
    assert len(logs_of(server[1], email)) == 1
    page.goto("/today/play")  # a new page flushes the outbox again: nothing is left to send twice
    page.wait_for_timeout(500)
    assert len(logs_of(server[1], email)) == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin?notice=signed-out")
    assert page.evaluate("caches.keys()") == []  # a shared phone keeps no copy of her plan


def test_a_warning_sign_stops_the_session_at_once(phone: BrowserContext, server: tuple[str, Path]) -> None:
    page = phone.new_page()
    email = new_member(page)
    page.goto("/today/play")
    page.get_by_role("link", name="Something feels wrong").click()
    dialog = page.locator("[data-check-dialog]")
    expect(dialog).to_be_visible()
    dialog.locator("input[name=warning_signs]").first.check()
    dialog.get_by_role("button", name="Check in").click()
    stopped = page.locator("[data-stopped]")
    expect(stopped).to_be_visible()
    expect(stopped).to_contain_text("Stop and seek care now")
    expect(page.locator("[data-log-form]")).to_be_hidden()
    expect(stopped.get_by_role("link", name="What to do now")).to_be_visible()
    shot(page, "player-stopped")
    warnings = rows(
        server[1],
        "SELECT r.has_warning FROM symptom_reports r JOIN users u ON u.id = r.user_id WHERE u.email = ?",
        email,
    )
    assert warnings == [(1,)]
    page.goto("/today/play")
    expect(page.locator("[data-step]")).to_have_count(0)


def test_the_player_is_usable_by_keyboard_and_axe_finds_no_serious_problem(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    if not AXE.exists():
        missing(f"{AXE} is missing: run `make install-axe` (npm install axe-core)")
    page = phone.new_page()
    new_member(page)
    page.goto("/today/play")
    expect(page.locator(".player-name").first).to_be_focused()
    for _ in range(12):
        if page.evaluate("document.activeElement.dataset.action") == "main":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "main"
    page.keyboard.press("Enter")
    expect(page.locator("[data-set]")).to_be_visible()
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;typeof axe")  # devtools evaluation: outside the CSP
    for state in ("playing", "check-in"):
        if state == "check-in":
            page.get_by_role("link", name="Something feels wrong").click()
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert results["testEngine"]["name"] == "axe-core"
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def api_member_signed_in(page: Page, base_url: str, details: dict[str, Any], **screening: Any) -> None:
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "display_name": "Mia"}
    answer = httpx.post(f"{base_url}/api/v1/auth/signup", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
    headers = {"Authorization": f"Bearer {answer.json()['token']['token']}"}
    for part, sent in (("details", details), ("screening", screening)):
        answer = httpx.put(f"{base_url}/api/v1/me/profile/{part}", json=sent, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
    sign_in(page, email, PASSWORD)


@pytest.mark.parametrize(
    ("name", "details", "stage_text"),
    [
        (
            "pregnant-30-weeks",
            {"stage_kind": "pregnant", "due_date": (date.today() + timedelta(weeks=10)).isoformat()},
            "stage=pregnant&week=30",
        ),
        (
            "postpartum-10-weeks-caesarean",
            {
                "stage_kind": "postpartum",
                "birth_date": (date.today() - timedelta(weeks=10)).isoformat(),
                "delivery": "caesarean",
            },
            "stage=postpartum&week=10",
        ),
    ],
)
def test_screenshots_of_the_player_for_two_stages(
    phone: BrowserContext, server: tuple[str, Path], name: str, details: dict[str, Any], stage_text: str
) -> None:
    page = phone.new_page()
    given = {
        "activity_level": "active",
        "equipment": ["chair"],
        "days_per_week": 4,
        "minutes_per_session": 30,
    }
    api_member_signed_in(page, server[0], {**given, **details}, provider_cleared=True)
    page.goto("/today/play")
    shot(page, f"player-{name}")
    steps = page.locator("[data-step]")
    if steps.count():
        assert stage_text in (page.locator("#step-1 img").get_attribute("src") or "")
        page.locator('[data-action="main"]').click()
        page.screenshot(path=str(Path(__file__).parent / "artifacts" / f"player-{name}-screen.png"))


def check_ins_of(db: Path, email: str) -> list[tuple[Any, ...]]:
    return rows(
        db,
        "SELECT r.has_warning, r.note FROM symptom_reports r JOIN users u ON u.id = r.user_id "
        "WHERE u.email = ? ORDER BY r.id",
        email,
    )


def sent_once_back_online(phone: BrowserContext, page: Page) -> None:
    """Back online: the page sends what it kept, says so, and a new page sends nothing more."""
    phone.set_offline(False)
    expect(page.locator("[data-status]")).to_contain_text("Sent what you saved", timeout=15000)


def test_a_check_in_made_offline_on_the_plain_page_is_stored_once_when_the_connection_returns(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    page = phone.new_page()
    email = new_member(page)
    before = check_ins_of(server[1], email)
    page.goto("/check-in")
    phone.set_offline(True)
    page.locator("input[name=symptoms]").first.check()
    page.get_by_label("Anything else?").fill("tired after a short night")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Saved on this phone: it will be sent when you are back online."
    )
    expect(page.locator("form[data-outbox]")).to_be_hidden()
    expect(page.locator("[data-offline-stop]")).to_be_hidden()
    shot(page, "check-in-offline-saved")
    assert check_ins_of(server[1], email) == before
    sent_once_back_online(phone, page)
    after = check_ins_of(server[1], email)
    assert after == [*before, (0, "tired after a short night")]
    page.goto("/today")  # a new page flushes the outbox again: nothing is left to send twice
    page.wait_for_timeout(500)
    assert check_ins_of(server[1], email) == after


def test_a_warning_sign_ticked_offline_on_the_check_in_page_says_stop_at_once(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    page = phone.new_page()
    email = new_member(page)
    before = check_ins_of(server[1], email)
    page.goto("/check-in")
    phone.set_offline(True)
    page.locator("input[name=warning_signs]").first.check()
    page.get_by_role("button", name="Check in").click()
    stop = page.locator("[data-offline-stop]")
    expect(stop).to_be_visible()
    expect(stop).to_contain_text("call your local emergency number")
    expect(page.locator("[data-status]")).to_contain_text("Saved on this phone")
    shot(page, "check-in-offline-warning")
    sent_once_back_online(phone, page)
    assert [warning for warning, _ in check_ins_of(server[1], email)] == [w for w, _ in before] + [1]


def test_a_log_made_offline_on_the_today_page_is_stored_once_when_the_connection_returns(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    page = phone.new_page()
    email = new_member(page)
    page.goto("/today")
    phone.set_offline(True)
    page.locator("input[name=items_done]").first.check()
    page.locator("#rpe").fill("12")
    page.locator("#minutes").fill("25")
    page.get_by_role("button", name="Log session").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Saved on this phone: it will be sent when you are back online."
    )
    shot(page, "today-offline-logged")
    assert logs_of(server[1], email) == []
    sent_once_back_online(phone, page)
    stored = logs_of(server[1], email)
    assert len(stored) == 1 and stored[0][2:4] == (25, 12)
    page.goto("/today")
    page.wait_for_timeout(500)
    assert logs_of(server[1], email) == stored
    expect(page.locator(".logged li")).to_have_count(1)


def test_without_javascript_the_plain_forms_post_as_before(
    browser: Browser, server: tuple[str, Path]
) -> None:
    context = browser.new_context(base_url=server[0], viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        email = new_member(page)
        page.goto("/today")
        page.locator("#rpe").fill("13")
        page.get_by_role("button", name="Log session").click()
        page.wait_for_url("**/today?notice=logged**")
        assert len(logs_of(server[1], email)) == 1
        before = check_ins_of(server[1], email)
        page.goto("/check-in")
        page.get_by_role("button", name="Check in").click()
        page.wait_for_url("**/today?notice=**")
        assert [warning for warning, _ in check_ins_of(server[1], email)] == [w for w, _ in before] + [0]
    finally:
        context.close()


def test_an_exercise_from_the_coachs_library_is_played_without_a_figure(
    phone: BrowserContext, server: tuple[str, Path]
) -> None:
    """Issue 17: the demo coach writes an exercise, confirms it and swaps it into a client's plan;
    the client's player shows it with its steps and attribution and the timer under its dose."""
    base = server[0]

    def token(email: str, password: str) -> dict[str, str]:
        body = {"email": email, "password": password, "name": "browser test"}
        answer = httpx.post(f"{base}/api/v1/auth/tokens", json=body, timeout=30)
        assert answer.status_code == 201, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    coach = token("coach@example.com", DEMO_PASSWORD)
    steps = ["Stand with the feet hip-width apart.", "Sit the hips back and down a little, then stand tall."]
    written = httpx.post(
        f"{base}/api/v1/coach/library",
        json={"name": "Coach's easy squat", "steps": steps},
        headers=coach,
        timeout=30,
    )
    assert written.status_code == 201, written.text
    entry = written.json()
    safe = {
        "pattern": "squat", "position": "standing", "asymmetric_lower_body": False, "wide_stance": False,
        "impact": "low", "spinal_flexion": False, "load": "none", "abdominal_pressure": "low",
        "balance_demanding": False, "high_effort": False, "running": False, "presses_on_abdomen": False,
    }  # fmt: skip
    confirmed = httpx.post(
        f"{base}/api/v1/coach/library/{entry['id']}/confirm", json=safe, headers=coach, timeout=30
    )
    assert confirmed.status_code == 200, confirmed.text
    code = httpx.post(f"{base}/api/v1/coach/invites", headers=coach, timeout=30).json()["code"]

    email = unique_email()
    signed = httpx.post(
        f"{base}/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "display_name": "Mia"},
        timeout=30,
    )
    assert signed.status_code == 201, signed.text
    member = {"Authorization": f"Bearer {signed.json()['token']['token']}"}
    details = {
        "stage_kind": "pregnant", "due_date": (date.today() + timedelta(weeks=30)).isoformat(),
        "activity_level": "active", "equipment": [], "days_per_week": 7, "minutes_per_session": 30,
    }  # fmt: skip
    for part, sent in (("details", details), ("screening", {})):
        answer = httpx.put(f"{base}/api/v1/me/profile/{part}", json=sent, headers=member, timeout=30)
        assert answer.status_code == 200, answer.text
    granted = httpx.post(f"{base}/api/v1/me/coaches", json={"code": code}, headers=member, timeout=30)
    assert granted.status_code == 201, granted.text
    today = httpx.get(f"{base}/api/v1/me/today", headers=member, timeout=30).json()
    planned = [i["exercise"]["id"] for s in today["day"]["sessions"] for i in s["items"]]
    if entry["exercise_id"] not in planned:
        swap = {"from_exercise": planned[0], "to_exercise": entry["exercise_id"]}
        member_id = signed.json()["user"]["id"]
        added = httpx.post(
            f"{base}/api/v1/coach/clients/{member_id}/swaps", json=swap, headers=coach, timeout=30
        )
        assert added.status_code == 201, added.text
        today = httpx.get(f"{base}/api/v1/me/today", headers=member, timeout=30).json()
    index = next(
        n
        for n, s in enumerate(today["day"]["sessions"])
        if entry["exercise_id"] in [i["exercise"]["id"] for i in s["items"]]
    )

    page = phone.new_page()
    sign_in(page, email, PASSWORD)
    page.goto(f"/today/play?session={index}")
    step = page.locator(f'[data-step][data-exercise="{entry["exercise_id"]}"]')
    expect(step).to_have_count(1)
    while not step.is_visible():
        page.get_by_role("button", name="Next exercise").click()
    expect(step.locator("picture, img")).to_have_count(0)
    expect(step.locator(".player-cues")).to_contain_text(steps[0])
    expect(step.locator(".attribution")).to_contain_text("From your coach's library: written by")
    expect(step.locator(".player-dose + [data-controls]")).to_be_visible()
    expect(step.locator('[data-action="main"]')).to_be_visible()
    shot(page, "player-coach-exercise")
