"""A member in a real browser: sign up, onboard, today's session, logging, a warning sign."""

from __future__ import annotations

import re

from flows import onboard, shot, sign_up
from playwright.sync_api import Page, expect


def test_sign_up_onboard_and_see_todays_session(page: Page) -> None:
    sign_up(page)
    shot(page, "01-onboarding-details")
    onboard(page)
    expect(page.get_by_role("heading", name="You are cleared for exercise")).to_be_visible()
    expect(page.get_by_text("Pelvic girdle pain: your plan keeps both feet")).to_be_visible()
    shot(page, "02-screening-result")
    page.get_by_role("link", name="See today's session").click()
    expect(page.get_by_role("heading", name=re.compile("^Today"))).to_be_visible()
    expect(page.get_by_text("Week 26 of pregnancy (trimester 2)")).to_be_visible()
    expect(page.locator(".disclaimer")).to_contain_text("not medical advice")
    expect(page.locator(".item").first).to_contain_text("Why:")
    shot(page, "03-today")


def test_log_todays_session(page: Page) -> None:
    sign_up(page, "Bea")
    onboard(page, condition=None)
    page.goto("/today")
    boxes = page.locator("input[name=items_done]")
    expect(boxes.first).to_be_visible()
    boxes.first.check()
    page.get_by_label("Effort, 6–20").fill("13")
    page.get_by_label("Minutes").fill("25")
    page.get_by_label("Notes").fill("Felt strong")
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("status")).to_have_text("Session logged. Well done.")
    expect(page.locator(".logged")).to_contain_text("25 min")
    shot(page, "04-session-logged")


def test_a_warning_sign_shows_the_stop_page_and_holds_the_plan(page: Page) -> None:
    sign_up(page, "Cleo")
    onboard(page, condition=None)
    page.goto("/check-in")
    page.get_by_label("Pain or swelling in a calf").check()
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("heading", name="Stop and seek care now")).to_be_visible()
    expect(page.get_by_text("Do not exercise.")).to_be_visible()
    shot(page, "05-stop-page")
    page.goto("/today")
    expect(page.locator(".clearance-seek_care_now")).to_be_visible()
    expect(page.locator("input[name=items_done]")).to_have_count(0)
    page.get_by_role("link", name="What to do, and mark it resolved").click()
    page.get_by_label("It has been checked and resolved").check()
    page.get_by_role("button", name="Resume my plan").click()
    expect(page.get_by_role("status")).to_contain_text("Your plan has resumed")
    expect(page.locator("input[name=items_done]").first).to_be_visible()
    shot(page, "06-plan-resumed")
