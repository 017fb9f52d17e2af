"""Figures in Chromium: every item of today's session and the exercise page show their drawing,
the animated one normally and the still one (positions side by side) when the browser asks for
reduced motion; the CSP lets the images load."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flows import onboard, shot, sign_up
from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def still_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, reduced_motion="reduce")
    yield context.new_page()
    context.close()


def loaded_figures(page: Page) -> list[dict[str, object]]:
    """Each item's figure: whether it is there, loaded, its alt and the source the browser chose.
    The images load lazily, so each is scrolled into view first."""
    expect(page.locator(".item").first).to_be_visible()
    images = page.locator(".item picture.figure img")
    assert images.count() == page.locator(".item").count()
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        images.nth(i).evaluate("img => img.decode().catch(() => null)")
    return page.eval_on_selector_all(
        ".item",
        """items => items.map(item => {
            const img = item.querySelector('picture.figure img');
            return img && {loaded: img.complete && img.naturalWidth > 0, alt: img.alt, src: img.currentSrc};
        })""",
    )


def csp_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return errors


def frames_over_time(page: Page, selector: str, count: int = 4, step_ms: int = 1100) -> set[bytes]:
    """Screenshots of one image across a whole animation cycle (4.4 s for two positions)."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    shots = set()
    for _ in range(count):
        shots.add(image.screenshot(animations="allow"))
        page.wait_for_timeout(step_ms)
    return shots


def test_todays_items_each_show_an_animated_figure(page: Page) -> None:
    errors = csp_errors(page)
    sign_up(page, "Fay")
    onboard(page, condition=None)
    page.goto("/today")
    figures = loaded_figures(page)
    assert figures and all(f and f["loaded"] and str(f["alt"]).startswith("Drawing of ") for f in figures)
    assert all("/figure.svg?" in str(f["src"]) and "motion=reduce" not in str(f["src"]) for f in figures)
    assert all("week=26" in str(f["src"]) for f in figures)
    assert errors == []
    shot(page, "figures-01-today")


def test_todays_items_show_the_still_figure_when_reduced_motion_is_asked(still_page: Page) -> None:
    sign_up(still_page, "Gil")
    onboard(still_page, condition=None)
    still_page.goto("/today")
    figures = loaded_figures(still_page)
    assert figures and all(f and f["loaded"] and str(f["src"]).endswith("&motion=reduce") for f in figures)
    shot(still_page, "figures-02-today-reduced-motion")


def test_exercise_page_animates_normally_and_holds_still_for_reduced_motion(
    page: Page, still_page: Page
) -> None:
    for each in (page, still_page):
        each.goto("/exercises/bodyweight-squat?week=30")
        expect(each.locator(".figure-view picture img")).to_be_visible()
        each.wait_for_load_state("networkidle")
    assert len(frames_over_time(page, ".figure-view picture img")) > 1
    assert len(frames_over_time(still_page, ".figure-view picture img")) == 1
    source = still_page.eval_on_selector(".figure-view picture img", "img => img.currentSrc")
    assert source.endswith("week=30&motion=reduce")
    still_page.set_viewport_size({"width": 390, "height": 844})
    shot(still_page, "figures-03-exercise-phone-reduced-motion")
