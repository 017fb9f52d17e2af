"""Each role's day in Chromium at 390 px (a phone) and 1280 px (issue 13): no page scrolls
sideways, no link answers 404, no engine word is visible, axe finds nothing serious, and the
member's logging, the check-in, the readiness, the invite and the coach's swaps work."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flows import PASSWORD, shot, sign_in, sign_up
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bumpwise.domain.exercise import SAFETY_ATTRIBUTES
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.plain_words import plain
from bumpwise.domain.profile import Profile, parse_profile
from bumpwise.domain.stage import stage_now
from bumpwise.domain.suggestions import swap_choices
from bumpwise.domain.vocab import Pattern
from bumpwise.services.demo import DEMO_PASSWORD, demo_members
from cisupport import missing

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)
AXE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
MAYA, LENA = "maya@example.com", "lena@example.com"  # the demo's pregnant and caesarean members
COACH, ADMIN = "coach@example.com", "admin@example.com"
VISITOR_PAGES = (
    "/",
    "/free-workout",
    "/learn",
    "/exercises",
    "/exercises?q=kegel",
    "/exercises/glute-bridge",
    "/rules",
    "/signin",
    "/signup",
    "/no-such-page",
)
MEMBER_PAGES = (
    "/today",
    "/week",
    "/check-in",
    "/summary",
    "/exercises",
    "/exercises/walking",
    "/account",
    "/onboarding/result",
    "/learn",
    "/rules",
    "/no-such-page",
)
COACH_PAGES = ("/coach", "/coach/imports", "/coach/articles", "/account", "/exercises", "/no-such-page")
ADMIN_PAGES = ("/admin", "/account", "/exercises", "/no-such-page")
PREGNANCY_ONLY_SIGNS = ("Fluid leaking from the vagina", "contractions", "Baby moving less")
EXERCISE_NAMES = " ".join(e.name.lower() for e in default_knowledge().exercises.values())
ENGINE_WORDS = sorted(
    {p.value for p in Pattern if "_" in p.value}
    | {
        spaced
        for p in Pattern
        if "_" in p.value
        and (spaced := p.value.replace("_", " ")) != plain(p)
        and spaced not in EXERCISE_NAMES  # "hip abduction" names an exercise in plain English
    }
    | {a for a in SAFETY_ATTRIBUTES if "_" in a}
    | {"consult_provider", "seek_care_now", "not_cleared", "front-of-thigh work", "push and pull"}
)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into .cache/axe (ignored by git)."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm is missing: install Node.js to fetch axe-core for the accessibility checks")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), "axe-core@4"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url, viewport=PHONE, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def desktop(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, bypass_csp=True)
    yield context
    context.close()


def _signed_in(context: BrowserContext, email: str) -> Page:
    page = context.new_page()
    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def _links(page: Page) -> set[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = {h.split("#")[0] for h in hrefs if h.startswith("/") and not h.startswith("//")}
    return paths - {""}


def _serious_axe_violations(page: Page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _walk(
    page: Page, paths: tuple[str, ...], axe: str, checked: set[str], *, engine_words: bool
) -> list[str]:
    """Visit each page: collect what is wrong (sideways scroll, engine words, axe, 404 links)."""
    problems: list[str] = []
    for path in paths:
        page.goto(path)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{path}: scrolls sideways ({width} px wide)")
        if engine_words:
            text = page.evaluate("document.body.innerText")
            problems += [f"{path}: shows the engine word {w!r}" for w in ENGINE_WORDS if w in text]
        problems += [f"{path}: {v}" for v in _serious_axe_violations(page, axe)]
        for link in sorted(_links(page) - checked):
            checked.add(link)
            if link.endswith((".pdf", ".ics", ".csv", ".json", ".atom")) or link == "/signout":
                continue
            status = page.request.get(link).status
            if status == 404 or status >= 500:
                problems.append(f"{path}: the link {link} answers {status}")
    return problems


def _coach_client_pages(page: Page) -> tuple[str, ...]:
    page.goto("/coach")
    clients = page.eval_on_selector_all(
        "a[href^='/coach/clients/']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert clients, "the demo coach has clients"
    return tuple(dict.fromkeys(clients)) + tuple(f"{c}/summary" for c in dict.fromkeys(clients))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_roles_pages_fit_link_and_pass_axe(
    request: pytest.FixtureRequest, viewport: str, axe_source: str
) -> None:
    context: BrowserContext = request.getfixturevalue(viewport)
    checked: set[str] = set()
    visitor = context.new_page()
    problems = _walk(visitor, VISITOR_PAGES, axe_source, checked, engine_words=False)
    visitor.close()
    for email in (MAYA, LENA):
        page = _signed_in(context, email)
        problems += _walk(page, MEMBER_PAGES, axe_source, checked, engine_words=True)
        page.context.clear_cookies()
    coach = _signed_in(context, COACH)
    problems += _walk(coach, COACH_PAGES + _coach_client_pages(coach), axe_source, checked, engine_words=True)
    context.clear_cookies()
    admin = _signed_in(context, ADMIN)
    problems += _walk(admin, ADMIN_PAGES, axe_source, checked, engine_words=False)
    assert not problems, "\n".join(problems)


def test_screenshots_of_each_role_at_390_and_1280(phone: BrowserContext, desktop: BrowserContext) -> None:
    """For a person to look at: tests/browser/artifacts/day-*.png."""
    for name, context in (("390", phone), ("1280", desktop)):
        visitor = context.new_page()
        for path, label in (("/", "home"), ("/exercises?q=c-section", "library")):
            visitor.goto(path)
            shot(visitor, f"day-{name}-visitor-{label}")
        visitor.close()
        for email, who in ((MAYA, "pregnant"), (LENA, "caesarean")):
            page = _signed_in(context, email)
            for path, label in (
                ("/today", "today"),
                ("/week", "week"),
                ("/check-in", "check-in"),
                ("/onboarding/result", "result"),
            ):
                page.goto(path)
                shot(page, f"day-{name}-{who}-{label}")
            context.clear_cookies()
        coach = _signed_in(context, COACH)
        shot(coach, f"day-{name}-coach-roster")
        coach.goto(_coach_client_pages(coach)[1])
        shot(coach, f"day-{name}-coach-client")
        context.clear_cookies()


def test_a_caesarean_members_check_in_lists_no_pregnancy_sign(phone: BrowserContext) -> None:
    lena = _signed_in(phone, LENA)
    lena.goto("/check-in")
    labels = lena.locator("fieldset.checks label").all_inner_texts()
    assert any("Caesarean wound" in text for text in labels)
    assert not [t for t in labels for sign in PREGNANCY_ONLY_SIGNS if sign in t]
    phone.clear_cookies()
    maya = _signed_in(phone, MAYA)
    maya.goto("/check-in")
    labels = maya.locator("fieldset.checks label").all_inner_texts()
    assert all(any(sign in t for t in labels) for sign in PREGNANCY_ONLY_SIGNS)
    assert not any("aesarean" in t for t in labels)


def test_the_readiness_to_run_is_shown_after_the_birth(phone: BrowserContext) -> None:
    lena = _signed_in(phone, LENA)
    lena.goto("/onboarding/result")
    running = lena.locator("#running")
    expect(running).to_contain_text("Return to running: not yet")
    expect(running).to_contain_text("running can start from week 16 after birth")


def _in_view(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """s => { const r = document.querySelector(s).getBoundingClientRect();
                      return r.top >= -1 && r.bottom <= window.innerHeight + 1; }""",
            selector,
        )
    )


def _new_member(context: BrowserContext, name: str) -> Page:
    page = context.new_page()
    sign_up(page, name)
    page.get_by_label("Due date").fill((date.today() + timedelta(weeks=14)).isoformat())
    page.get_by_label("Dumbbells").check()
    page.get_by_role("button", name="Next: a few health questions").click()
    page.get_by_role("button", name="See my result").click()
    page.goto("/today")
    return page


def test_logging_answers_where_the_eye_is(phone: BrowserContext) -> None:
    page = _new_member(phone, "Rae")
    first = page.locator("input[name=items_done]").first
    first.check()
    page.get_by_label("Effort, 6–20").fill("40")
    page.evaluate("document.getElementById('log').noValidate = true")  # the server must refuse it too
    page.get_by_role("button", name="Log session").click()
    expect(page.locator(".error").first).to_contain_text("Effort (RPE):")
    expect(page.locator("input[name=items_done]").first).to_be_checked()
    page.get_by_label("Effort, 6–20").fill("13")
    page.get_by_label("Minutes", exact=True).fill("25")
    page.get_by_role("button", name="Log session").click()
    expect(page.locator("#log-done")).to_have_text("Session logged. Well done.")
    assert _in_view(page, "#log-done"), "the confirmation is in view after logging"
    shot(page, "day-390-logged")
    page.locator("input[name=items_done]").first.check()
    page.get_by_role("button", name="Log session").click()
    expect(page.locator("#duplicate")).to_contain_text("Already logged")
    expect(page.locator("input[name=items_done]").first).to_be_checked()
    shot(page, "day-390-duplicate")
    page.get_by_role("button", name="Yes, I did it twice: log it again").click()
    expect(page.locator(".logged li")).to_have_count(2)
    page.get_by_label("Day").select_option((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Log session").click()
    expect(page.locator("#log-done")).to_be_visible()
    page.goto("/week")
    expect(page.locator(".done-totals")).to_contain_text("Sessions logged")


def test_an_invite_survives_sign_up(browser: Browser, base_url: str) -> None:
    coach_context = browser.new_context(base_url=base_url, viewport=DESKTOP, bypass_csp=True)
    coach = _signed_in(coach_context, COACH)
    coach.get_by_role("button", name="New invite code").click()
    link = coach.locator("input[id^=invite-]").last.input_value()
    assert link.startswith("http") and "/invite/" in link
    visitor = browser.new_context(base_url=base_url, viewport=PHONE).new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Coach Robin invites you")).to_be_visible()
    visitor.get_by_role("link", name="Create an account").click()
    name = f"Ines {secrets.token_hex(2)}"
    visitor.get_by_label("Your name").fill(name)
    visitor.get_by_label("E-mail").fill(f"ines-{secrets.token_hex(3)}@example.org")
    visitor.get_by_label("Password").fill(PASSWORD)
    visitor.get_by_role("button", name="Sign up").click()
    expect(visitor.get_by_role("heading", name="Coach Robin invites you")).to_be_visible()
    visitor.get_by_role("button", name="Give Coach Robin access").click()
    expect(visitor.get_by_role("status")).to_contain_text("Your coach can now see")
    coach.goto("/coach")
    expect(coach.get_by_role("link", name=name)).to_be_visible()
    coach_context.close()
    visitor.context.close()


def test_the_swap_list_holds_only_what_the_clients_rules_allow(desktop: BrowserContext) -> None:
    coach = _signed_in(desktop, COACH)
    coach.goto("/coach")
    coach.get_by_role("link", name="Lena").click()
    options = coach.locator("#to_exercise option")
    offered = set(options.evaluate_all("els => els.map(e => e.value)"))
    kb = default_knowledge()
    usable = swap_choices(_demo_profile(LENA, kb), kb)
    assert offered == {v.exercise.id for v in usable} and 0 < len(offered) < len(kb.exercises)
    adapted = {v.exercise.name for v in usable if v.status == "modified"}
    assert {f"{name} (adapted for this client)" for name in adapted} <= set(options.all_inner_texts())


def _demo_profile(email: str, kb: KnowledgeBase) -> Profile:
    """The demo member's profile today, as the server builds it from the same demo data."""
    member = next(m for m in demo_members(date.today()) if m.email == email)
    details = member.details
    stage = stage_now(
        details.stage_kind,
        due_date=details.due_date,
        birth_date=details.birth_date,
        delivery=details.delivery,
        today=date.today(),
    )
    return parse_profile(
        {
            "stage": stage.as_profile_stage(),
            "conditions": member.screening.conditions,
            "symptoms": list(member.symptoms),
            "activity_level": details.activity_level.value,
            "equipment": [e.value for e in details.equipment],
            "days_per_week": details.days_per_week,
            "minutes_per_session": details.minutes_per_session,
        },
        kb,
    )
