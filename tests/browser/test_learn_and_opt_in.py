"""Issue 16 in a real browser: a visitor reads an article and follows it to the free workout;
a contraindication answered "yes" gets "talk to your provider" and no workout; a postpartum
visitor, through a coach's article, gets a workout, opts in, confirms from the e-mail read back
from a local SMTP server (STARTTLS), and unsubscribes; the coach sees the lead appear and go.
The article and free-workout pages are also looked at on a phone (390 px) and a desktop."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flows import shot, sign_in
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from conftest import serve
from smtpsupport import Inbox, certificate, smtp_server
from websupport import plain_text

DEMO_PASSWORD = "bumpwise-demo"


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Inbox]]:
    """A server of its own whose mail goes to a local SMTP server that requires STARTTLS."""
    folder = tmp_path_factory.mktemp("smtp")
    with smtp_server(folder) as (inbox, port):
        home = tmp_path_factory.mktemp("mail-server")
        mail = {"BUMPWISE_SMTP_PORT": str(port), "BUMPWISE_SMTP_CA_FILE": str(certificate(folder))}
        with serve(home, BUMPWISE_SMTP_HOST="127.0.0.1", **mail) as url:
            yield url, inbox


def _context(browser: Browser, url: str, width: int = 1280) -> BrowserContext:
    return browser.new_context(base_url=url, viewport=ViewportSize(width=width, height=900))


def _link_in(inbox: Inbox, to: str, pattern: str) -> str:
    body = plain_text(inbox.to(to)[-1])
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


def test_a_visitor_reads_an_article_and_a_contraindication_gets_no_workout(page: Page) -> None:
    page.goto("/learn")
    page.get_by_role("link", name="Why the back of your body needs training in pregnancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why the back of your body needs training in pregnancy"
    )
    expect(page.locator(".article-exercises")).to_contain_text("Glute bridge")
    expect(page.locator(".disclaimer")).to_contain_text("not medical advice")
    page.get_by_role("link", name="Get my free workout").click()
    page.get_by_label("I am pregnant").check()
    page.get_by_role("button", name="Next: safety questions").click()
    page.get_by_label("Expecting twins").check()
    page.get_by_label("or weeks pregnant").fill("22")
    page.get_by_role("button", name="Check my answers and build my workout").click()
    expect(page.get_by_role("heading", name="Before you exercise")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Talk to your provider first")
    expect(page.locator(".session")).to_have_count(0)
    expect(page.get_by_role("button", name="Download this workout (PDF)")).to_have_count(0)


def test_a_postpartum_visitor_opts_in_confirms_and_unsubscribes(
    browser: Browser, mail_site: tuple[str, Inbox]
) -> None:
    url, inbox = mail_site
    coach = _context(browser, url).new_page()
    sign_in(coach, "coach@example.com", DEMO_PASSWORD)
    handle_link = re.search(r"/c/([a-z0-9-]+)/free-workout", coach.content())
    assert handle_link is not None
    handle = handle_link.group(1)
    coach.goto("/coach/articles")
    coach.get_by_label("Title").fill("Getting strong again after birth")
    coach.get_by_label("Summary").fill("How I start my clients in the months after birth.")
    coach.get_by_role("group", name="Written for").get_by_label("After birth").check()
    coach.get_by_label("Strength training").check()
    coach.get_by_label("Article (Markdown)").fill(
        "## Start gently\n\nWalk, breathe, and train your **pelvic floor** first."
    )
    coach.get_by_label("Publish on my public page").check()
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_text("Getting strong again after birth")).to_be_visible()

    visitor = _context(browser, url, width=390).new_page()
    visitor.goto(f"/c/{handle}")
    visitor.get_by_role("link", name="Getting strong again after birth").click()
    expect(visitor.locator(".article-body strong")).to_have_text("pelvic floor")
    shot(visitor, "16-coach-article-phone")
    visitor.get_by_role("link", name="Get my free workout").click()
    visitor.get_by_label("I have had my baby").check()
    visitor.get_by_role("button", name="Next: safety questions").click()
    expect(visitor.get_by_label("Fluid leaking from the vagina")).to_have_count(0)  # a pregnancy question
    visitor.get_by_label("or weeks since the birth").fill("14")
    visitor.get_by_label("Vaginal birth").check()
    visitor.get_by_label("Resistance band").check()
    visitor.get_by_label("Your e-mail").fill("new-mum@example.org")
    visitor.get_by_label("Yes, Coach Robin (a coach on bumpwise) may e-mail me").check()
    shot(visitor, "17-free-workout-postpartum-form-phone")
    visitor.get_by_role("button", name="Check my answers and build my workout").click()
    expect(visitor.get_by_role("heading", name="Your workout after birth")).to_be_visible()
    expect(visitor.locator(".session.kind-strength")).to_be_visible()
    expect(visitor.get_by_role("status")).to_contain_text("Check your e-mail")
    shot(visitor, "18-free-workout-postpartum-phone")
    sideways = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert visitor.evaluate(sideways) <= 0, "the workout page scrolls sideways on a phone"

    coach.goto("/coach")
    expect(coach.locator("ul.leads")).to_have_count(0)  # not confirmed: not the coach's yet

    confirm = _link_in(inbox, "new-mum@example.org", r"http://\S+/free-workout/confirm/\S+")
    assert inbox.encrypted and all(inbox.encrypted)
    visitor.goto(confirm)
    visitor.get_by_role("button", name="Yes, confirm and send my workout").click()
    expect(visitor.get_by_role("heading", name="Your e-mail is confirmed")).to_be_visible()
    workout_mail = inbox.to("new-mum@example.org")[-1]
    assert [a.get_content_type() for a in workout_mail.iter_attachments()] == ["application/pdf"]

    coach.goto("/coach")
    expect(coach.locator("ul.leads")).to_contain_text("new-mum@example.org")

    unsubscribe = _link_in(inbox, "new-mum@example.org", r"http://\S+/unsubscribe/\S+")
    visitor.goto(unsubscribe)
    visitor.get_by_role("button", name="Unsubscribe and delete my address").click()
    expect(visitor.get_by_role("heading", name="You are unsubscribed")).to_be_visible()

    coach.goto("/coach")
    expect(coach.get_by_text("new-mum@example.org")).to_have_count(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_article_pages_read_well_on_a_phone_and_a_desktop(
    browser: Browser, base_url: str, width: int
) -> None:
    page = _context(browser, base_url, width).new_page()
    page.goto("/learn/pelvic-girdle-pain")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    shot(page, f"19-article-{width}")
    page.goto("/learn")
    shot(page, f"20-learn-{width}")
    page.goto("/free-workout?stage=postpartum")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shot(page, f"21-free-workout-form-{width}")
