"""A coach's library in Chromium at 390 px and 1280 px (issue 17): the coach uploads the real
wger fixtures (six files at once), opens an exercise to review, sees the importer's evidence
beside each attribute, confirms, and no page scrolls sideways. Screenshots:
tests/browser/artifacts/library-*.png."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flows import shot, sign_in
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bumpwise.services.demo import DEMO_PASSWORD
from cisupport import missing

REPO = Path(__file__).resolve().parents[2]
DUMP = ("exercise-base-data", "translations", "categories", "muscles", "equipment", "licenses")
SIZES = {"390": ViewportSize(width=390, height=844), "1280": ViewportSize(width=1280, height=900)}


def wger_files() -> list[str]:
    configured = os.environ.get("BUMPWISE_SHARED_DIR")
    folder = (Path(configured) if configured else REPO / ".." / "shared") / "data" / "wger"
    if not (folder / "translations.json").is_file():
        missing(f"the shared wger fixtures are missing: {folder}")
    return [str(folder / f"{name}.json") for name in DUMP]


@pytest.fixture(params=sorted(SIZES))
def context(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=base_url, viewport=SIZES[request.param], bypass_csp=True)
    yield made
    made.close()


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_coach_uploads_the_wger_fixtures_and_reviews_an_exercise(context: BrowserContext) -> None:
    page = context.new_page()
    size = page.viewport_size
    width = str(size["width"]) if size is not None else "default"
    sign_in(page, "coach@example.com", DEMO_PASSWORD)
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", name="Your exercise library")).to_be_visible()
    page.get_by_label("Library", exact=True).select_option("wger")
    page.get_by_label("File or files").set_input_files(wger_files())
    fits(page)
    shot(page, f"library-{width}-upload")
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile(r"show=to-review"))
    expect(page.get_by_role("status")).to_contain_text("Review each exercise")
    fits(page)
    shot(page, f"library-{width}-to-review")
    first = page.locator("table.library tbody a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.locator(".attribution")).to_contain_text("licence")
    expect(page.locator("#attr-position .evidence")).to_contain_text("Importer's guess")
    fits(page)
    shot(page, f"library-{width}-review")
    page.locator("#value-asymmetric_lower_body").select_option("yes")
    page.locator("#confirm-asymmetric_lower_body").check()
    page.get_by_role("button", name="Confirm the ticked attributes").click()
    expect(page.get_by_role("status")).to_contain_text("Attributes confirmed")
    expect(page.locator("#attr-asymmetric_lower_body .state")).to_contain_text("Confirmed")
    expect(page.locator("#attr-impact .state")).to_contain_text("Not confirmed")  # only what was ticked
    fits(page)
    shot(page, f"library-{width}-confirmed")
