"""What a person does in the browser, step by step, for the browser tests."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "correct horse battery"


def shot(page: Page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_up(page: Page, name: str = "Ada") -> str:
    email = f"{name.lower()}-{secrets.token_hex(3)}@example.org"
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    return email


def onboard(page: Page, weeks_to_due: int = 14, condition: str | None = "Pelvic girdle pain") -> None:
    page.get_by_label("I am pregnant").check()
    due = date.today() + timedelta(weeks=weeks_to_due)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Active: I exercised most weeks").check()
    page.get_by_label("Dumbbells").check()
    page.get_by_label("Chair").check()
    page.get_by_label("Days a week").select_option("4")
    page.get_by_role("button", name="Next: a few health questions").click()
    expect(page.get_by_role("heading", name="A few health questions")).to_be_visible()
    if condition:
        page.get_by_label(condition).check()
    page.get_by_role("button", name="See my result").click()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
