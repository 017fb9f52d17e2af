"""A coach's roster and client detail, and the public free workout page, in a real browser."""

from __future__ import annotations

import re

from flows import shot, sign_in
from playwright.sync_api import Browser, Page, expect

DEMO_PASSWORD = "bumpwise-demo"


def test_coach_roster_client_detail_and_a_swap_list_the_rules_filter(page: Page) -> None:
    sign_in(page, "coach@example.com", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Your clients")).to_be_visible()
    roster = page.locator("table.roster")
    for name in ("Maya", "Lena", "Sam"):
        expect(roster).to_contain_text(name)
    expect(roster).to_contain_text("Week 28 of pregnancy")
    expect(roster.locator(".alert-symptom_trend")).to_be_visible()
    shot(page, "07-coach-roster")
    page.get_by_role("link", name="Maya").click()
    expect(page.get_by_role("heading", name="Maya")).to_be_visible()
    expect(page.get_by_text("This visit is recorded in Maya's audit log.")).to_be_visible()
    # Maya has pelvic girdle pain at 28 weeks: the swap list offers only what her rules allow,
    # so no lunge (guidelines.md §8: no one-leg or split-stance work); issue 12 point 1.
    offered = page.get_by_label("With").locator("option")
    expect(offered.first).to_be_attached()
    values = offered.evaluate_all("options => options.map(o => o.value)")
    lunges = {"walking-lunge", "reverse-lunge", "forward-lunge", "static-split-squat"}
    assert values and not lunges & set(values)
    replaced = page.get_by_label("Replace").input_value()
    page.get_by_label("With").select_option(next(v for v in values if v != replaced))
    page.get_by_role("button", name="Swap").click()
    expect(page).to_have_url(re.compile(r"notice=swapped"))
    shot(page, "08-client-detail-swap")


def test_free_workout_page_builds_a_printable_workout(page: Page) -> None:
    page.goto("/free-workout")
    page.get_by_label("I am pregnant").check()
    page.get_by_role("button", name="Next: safety questions").click()
    page.get_by_label("or weeks pregnant").fill("30")
    page.get_by_label("Resistance band").check()
    page.get_by_label("Pelvic pain flare-up").check()
    page.get_by_label("Your e-mail").fill("visitor@example.org")
    page.get_by_label("Yes, bumpwise may e-mail me my workout").check()
    page.get_by_role("button", name="Check my answers and build my workout").click()
    expect(page.get_by_role("heading", name="Your workout in pregnancy")).to_be_visible()
    expect(page.get_by_text("Week 30 of pregnancy")).to_be_visible()
    expect(page.locator(".session.kind-strength")).to_be_visible()
    expect(page.locator(".disclaimer")).to_contain_text("not medical advice")
    expect(page.get_by_role("status")).to_contain_text("Check your e-mail")
    shot(page, "09-free-workout")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    shot(page, "10-free-workout-print")
    page.emulate_media(media="screen")
    page.get_by_role("status").get_by_role("link", name="/unsubscribe/").click()
    expect(page.get_by_text("visitor@example.org")).to_be_visible()
    page.get_by_role("button", name="Unsubscribe and delete my address").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()


def test_a_coach_shares_their_own_free_workout_page(page: Page) -> None:
    sign_in(page, "coach@example.com", DEMO_PASSWORD)
    page.get_by_role("link", name="/free-workout").click()
    expect(page.get_by_text("Coach Robin's free workout page")).to_be_visible()
    page.get_by_label("I have had my baby").check()
    page.get_by_role("button", name="Next: safety questions").click()
    expect(page.get_by_label("Yes, Coach Robin (a coach on bumpwise) may e-mail me")).to_be_visible()


def test_an_admin_invites_a_coach_who_signs_up_with_the_link(browser: Browser, base_url: str) -> None:
    admin = browser.new_context(base_url=base_url).new_page()
    sign_in(admin, "admin@example.com", DEMO_PASSWORD)
    admin.get_by_role("link", name="Admin").click()
    admin.get_by_label("Their e-mail").fill("new-coach@example.org")
    admin.get_by_role("button", name="Send the invitation").click()
    link = admin.locator("code.token").inner_text()
    shot(admin, "15-admin-invites-a-coach")
    coach = browser.new_context(base_url=base_url).new_page()
    coach.goto("/coach-invitation/" + link.split("/coach-invitation/")[1])
    coach.get_by_label("Your name").fill("Coach Noor")
    coach.get_by_label("Password").fill("correct horse battery")
    coach.get_by_role("button", name="Sign up as a coach").click()
    expect(coach.get_by_role("heading", name="Your clients")).to_be_visible()
    expect(coach.get_by_role("status")).to_contain_text("now a coach account")


def test_pages_work_with_javascript_off(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/free-workout")
    page.get_by_label("I am pregnant").check()
    page.get_by_role("button", name="Next: safety questions").click()
    page.get_by_label("or weeks pregnant").fill("22")
    page.get_by_role("button", name="Check my answers and build my workout").click()
    expect(page.get_by_role("heading", name="Your workout in pregnancy")).to_be_visible()
    shot(page, "11-no-javascript")
    context.close()
