"""Every visible string goes through translation (issue 19): a pseudo-locale catalog, made at test
time from the strings pybabel extracts, wraps every msgstr in ⟦ ⟧; the main pages rendered in it
show no text outside the markers but what people and the knowledge files wrote (names, e-mails,
exercise names and cues, rule reasons, articles), which the knowledge overlays translate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.domain import catalog
from bumpwise.domain.knowledge import knowledge_dir
from bumpwise.domain.plain_words import plain_sentence
from websupport import (
    CSRF_VALUE,
    ApiAccount,
    api_admin,
    api_member,
    api_onboard,
    api_sign_up,
    sign_in_pages,
    with_csrf,
)

ROOT = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "⟦", "⟧"


@pytest.fixture
def pseudo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Spanish pages read a pseudo catalog: every message ⟦wrapped⟧, placeholders kept."""
    from babel.messages.pofile import read_po, write_po

    from bumpwise.cli.i18n import extract

    template = tmp_path / "messages.pot"
    extract(ROOT, template)
    with template.open("rb") as handle:
        messages = read_po(handle, locale="es")
    for message in messages:
        if isinstance(message.id, tuple):  # a form for each of Spanish's plural categories
            singular, plural = (f"{OPEN}{i}{CLOSE}" for i in message.id)
            message.string = (singular, *[plural] * (messages.num_plurals - 1))
        elif message.id:
            message.string = f"{OPEN}{message.id}{CLOSE}"
    path = tmp_path / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, messages)
    monkeypatch.setattr(catalog, "catalog_dir", lambda: tmp_path / "locales")
    catalog.translations.cache_clear()
    yield "es"
    catalog.translations.cache_clear()


class Visible(HTMLParser):
    """The text a reader sees or hears: text nodes and the alt, title, placeholder, aria-label
    and value of buttons (not inside script or style)."""

    SPOKEN = ("alt", "title", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self.hidden += 1
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


def knowledge_words() -> list[str]:
    """Every text of the knowledge as its overlays translate it, and the sources' titles and
    publishers (cited as published), longest first. The English knowledge is not among them: on a
    Spanish page, an English term or sentence of the knowledge is one left untranslated."""
    folder = knowledge_dir()
    found: set[str] = set()
    sources = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    found.update(s["publisher"] for s in sources)
    found.update(s["title"] for s in sources)
    found.update(str(s["year"]) for s in sources)
    for path in (folder / "locales").glob("*/**/*.yaml"):  # the knowledge as translated
        if path.name != "language.yaml":
            found.update(strings_of(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for path in (folder / "locales").glob("*/articles/*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        found.update({meta["title"], meta["summary"]})
    found.update([plain_sentence(w) for w in found])  # session names show patterns in plain words
    found.update([w[:1].upper() + w[1:] for w in found])  # a heading capitalizes a term's words
    return sorted((w for w in found if len(w) > 2), key=len, reverse=True)


def strings_of(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for key, value in node.items() if key not in ("id", "key") for t in strings_of(value)]
    if isinstance(node, list):
        return [t for value in node for t in strings_of(value)]
    return []


def localised_dates(lang: str) -> re.Pattern[str]:
    """Day and month names as Babel writes them in ``lang`` (dates are localised, not translated)."""
    from babel.dates import get_day_names, get_month_names

    names = {n for width in ("wide", "abbreviated") for n in get_day_names(width, locale=lang).values()}
    names |= {n for width in ("wide", "abbreviated") for n in get_month_names(width, locale=lang).values()}
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r"|de)\b")


WORDS = knowledge_words()
DATES = localised_dates("es")
ENDONYMS = ("English", "Español", "RPE", "UTC")
"""A language picker names each language in itself, in every language; RPE is the effort scale's
name in every language, and UTC the time zone's."""


ARTICLE_BODY = re.compile(r'<div class="article-body">.*?</div>\s*(?=<)', re.DOTALL)
"""An article's body is knowledge, translated whole by its overlay (checked by validate-data)."""


def untranslated(html: str, *data: str) -> list[str]:
    parser = Visible()
    parser.feed(ARTICLE_BODY.sub("", html))
    left = []
    for part in parser.parts:
        text = " ".join(part.split())
        while True:
            inner = re.sub(rf"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
            if inner == text:
                break
            text = inner
        for word in [*WORDS, *data, *ENDONYMS]:
            if word in text:
                text = text.replace(word, " ")
        text = DATES.sub(" ", text)
        text = re.sub(r"\[[A-Z][A-Z0-9]*\]", " ", text)  # a citation: a source's id
        if re.search(r"[A-Za-z]{2,}", text):
            left.append(" ".join(text.split()))
    return left


MEMBER_PAGES = [
    "/today",
    "/today/play",
    "/week",
    "/check-in",
    "/account",
    "/account/reminders",
    "/account/audit",
    "/exercises",
    "/learn",
    "/logs",
    "/rules",
]
PUBLIC_PAGES = [
    "/",
    "/signin",
    "/signup",
    "/reset",
    "/learn",
    "/learn/first-six-weeks",
    "/exercises",
    "/free-workout",
    "/exercises/glute-bridge",
    "/rules",
]


def test_public_pages_show_no_string_outside_the_catalog(client: TestClient, pseudo: str) -> None:
    problems = {}
    for path in PUBLIC_PAGES:
        response = client.get(path, headers={"Accept-Language": pseudo})
        assert response.status_code == 200, path
        left = untranslated(response.text, "bumpwise")
        if left:
            problems[path] = left
    assert problems == {}


AFTER_BIRTH = {"caesarean": 9, "vaginal": 14}
"""Weeks after a birth of each kind (stage-true: each has its own cues, notes and questions)."""


def member_at(client: TestClient, stage: str) -> ApiAccount:
    """A member named Mia: pregnant (24 weeks), or some weeks after a birth of this kind."""
    if stage == "pregnant":
        return api_member(client, name="Mia")
    account = api_sign_up(client, "member", "Mia")
    details = {
        "stage_kind": "postpartum",
        "birth_date": (date.today() - timedelta(weeks=AFTER_BIRTH[stage])).isoformat(),
        "delivery": stage,
    }
    api_onboard(client, account, details)
    return account


@pytest.mark.parametrize("stage", ["pregnant", *AFTER_BIRTH])
def test_a_members_pages_show_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str, stage: str
) -> None:
    member = member_at(client, stage)
    sign_in_pages(client, app, member.user_id)
    problems = {}
    for path in MEMBER_PAGES:
        response = client.get(path, headers={"Accept-Language": pseudo})
        assert response.status_code == 200, path
        # the member's own data: her name, e-mail and API token (its name and prefix)
        left = untranslated(response.text, "bumpwise", "Mia", member.email, "API token", member.token[:10])
        if left:
            problems[path] = left
    assert problems == {}


def test_onboarding_shows_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str
) -> None:
    account = api_sign_up(client, name="Mia")
    sign_in_pages(client, app, account.user_id)
    response = client.get("/onboarding", headers={"Accept-Language": pseudo})
    left = untranslated(response.text, "bumpwise", "Mia", account.email)
    assert left == []


FREE_WORKOUTS = {
    "pregnant": {"stage_kind": "pregnant", "weeks": "24"},
    "caesarean": {"stage_kind": "postpartum", "delivery": "caesarean", "weeks": "9"},
    "vaginal": {"stage_kind": "postpartum", "delivery": "vaginal", "weeks": "14"},
}


@pytest.mark.parametrize("stage", FREE_WORKOUTS)
def test_the_free_workout_and_its_pdf_show_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str, tmp_path: Path, stage: str
) -> None:
    client.cookies.set("bw_csrf", CSRF_VALUE)
    form = with_csrf(app, {**FREE_WORKOUTS[stage], "minutes": "30"})
    page = client.post("/free-workout", data=form, headers={"Accept-Language": pseudo})
    assert page.status_code == 200 and 'action="/free-workout/pdf"' in page.text  # a workout
    assert untranslated(page.text, "bumpwise") == []
    printed = client.post("/free-workout/pdf", data=form, headers={"Accept-Language": pseudo})
    assert printed.status_code == 200
    assert pdf_untranslated(printed.content, tmp_path, "bumpwise") == []


def test_the_summary_page_shows_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str
) -> None:
    member = api_member(client, name="Mia")
    sign_in_pages(client, app, member.user_id)
    response = client.get("/summary", headers={"Accept-Language": pseudo})
    assert untranslated(response.text, "bumpwise", "Mia", member.email) == []


@pytest.mark.parametrize("stage", ["pregnant", *AFTER_BIRTH])
def test_a_members_pdfs_show_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str, tmp_path: Path, stage: str
) -> None:
    """A plan varies with its member (the id seeds the picks), and so does where a page ends: a cue
    split across two pages would come out in pieces, which is why a printed cue is kept whole."""
    member = member_at(client, stage)
    sign_in_pages(client, app, member.user_id)
    problems = {}
    for path in ("/week.pdf", "/today.pdf?session=0", "/summary.pdf"):
        response = client.get(path, headers={"Accept-Language": pseudo})
        assert response.status_code == 200, path
        left = pdf_untranslated(response.content, tmp_path, "bumpwise", "Mia", member.email)
        if left:
            problems[path] = left
    assert problems == {}


def pdf_untranslated(pdf: bytes, folder: Path, *data: str) -> list[str]:
    """``untranslated`` for a PDF's text, as ``pdftotext -raw`` reads it."""
    import subprocess

    path = folder / "out.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-raw", str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    # `-raw` gives a column's list bullets among the words of the column beside it, so they are
    # taken out before a cue is looked up
    text = re.sub(r"\s*(?:•\s*)+", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)  # citations: source and rule ids, as published
    text = re.sub(r"\b[A-Z][A-Z0-9]+\d*:", " ", text)  # the sources' ids heading their titles
    shouted = [w.upper() for w in WORDS if len(w) < 30]  # headings in capitals (CSS)
    return untranslated(text.replace("<", "‹"), *data, *shouted)


COACH_ARTICLE: dict[str, str | list[str]] = {
    "title": "Three moves for a strong back",
    "summary": "The moves I give every client from the second trimester.",
    "tags": ["strength"],
    "stages": ["pregnant"],
    "body": "## Why\n\nYour back works harder as the bump grows, so these three moves come first.\n",
    "publish": "on",
}
IMPORTED = {
    "source": "free-exercise-db",
    "source_id": "Sumo",
    "name": "Sumo Deadlift",
    "position": "standing",
}


def coach_with_a_client(client: TestClient) -> tuple[ApiAccount, ApiAccount]:
    """A coach whose client reported a warning sign (the alerts), with an import waiting."""
    coach, member = api_sign_up(client, "coach", "Cora"), api_member(client, name="Mia")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    reported = client.post(
        "/api/v1/me/symptoms", json={"warning_signs": ["headache"]}, headers=member.headers
    )
    assert reported.status_code == 201, reported.text
    assert client.post("/api/v1/imports", json=[IMPORTED], headers=coach.headers).status_code == 201
    return coach, member


def test_a_coachs_pages_and_pdfs_show_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str, tmp_path: Path
) -> None:
    coach, member = coach_with_a_client(client)
    sign_in_pages(client, app, coach.user_id)
    assert client.post("/coach/articles", data=with_csrf(app, COACH_ARTICLE)).status_code == 200
    assert client.post("/coach/invites", data=with_csrf(app)).status_code == 200
    steps = "Stand on both feet, hip-width apart.\nBend the knees, sit the hips back and down, then stand up."
    written = client.post(
        "/coach/library/write", data=with_csrf(app, {"name": "Cora's squat", "steps": steps})
    )
    assert written.status_code == 200
    entry = re.search(r"/coach/library/(\d+)", str(written.url))
    article = re.search(r'href="/coach/articles/(\d+)"', client.get("/coach/articles").text)
    assert entry and article
    pages = [  # with the notice each shows after an action
        "/coach?notice=invite",
        f"/coach/clients/{member.user_id}?notice=swapped",
        f"/coach/clients/{member.user_id}?notice=unswapped",
        f"/coach/clients/{member.user_id}?notice=shared",
        f"/coach/clients/{member.user_id}/summary",
        "/coach/library?notice=imported",
        "/coach/library?show=to-review",
        f"/coach/library/{entry.group(1)}?notice=written",
        f"/coach/library/{entry.group(1)}?notice=confirmed",
        "/coach/imports?notice=confirmed",
        "/coach/articles?notice=saved",
        f"/coach/articles/{article.group(1)}",
        "/account",
    ]
    # people's words: names, e-mails, the article, the exercise and its steps, the imported row's
    # name and source
    data: list[str] = [
        "bumpwise",
        "Cora's squat",
        "Cora",
        "Mia",
        coach.email,
        member.email,
        str(COACH_ARTICLE["title"]),
        str(COACH_ARTICLE["summary"]),
    ]
    data += [
        *steps.split("\n"),
        IMPORTED["name"],
        IMPORTED["source_id"],
        "free-exercise-db",
        "API token",
        coach.token[:10],
    ]
    problems = {}
    for path in pages:
        response = client.get(path, headers={"Accept-Language": pseudo})
        assert response.status_code == 200, path
        assert "notice=" not in path or f'role="status">{OPEN}' in response.text, path
        shown = re.sub(r"<code[^>]*>.*?</code>", " ", response.text)  # codes, ids and commands
        shown = re.sub(r"<textarea[^>]*>.*?</textarea>", " ", shown, flags=re.DOTALL)  # what she wrote
        shown = re.sub(r'<a href="([^"]*)">\1</a>', " ", shown)  # addresses shown as links
        left = untranslated(shown, *data)
        if left:
            problems[path] = left
    client_files = f"/coach/clients/{member.user_id}"
    for path in (f"{client_files}/summary.pdf", f"{client_files}/week.pdf", "/account/branding/sample.pdf"):
        response = client.get(path, headers={"Accept-Language": pseudo})
        assert response.status_code == 200, path
        left = pdf_untranslated(response.content, tmp_path, *data)
        if left:
            problems[path] = left
    assert problems == {}, problems


def test_the_admin_page_shows_no_string_outside_the_catalog(
    client: TestClient, app: FastAPI, pseudo: str
) -> None:
    admin, member = api_admin(client), api_member(client, name="Mia")
    sign_in_pages(client, app, admin.user_id)
    invited = client.post("/admin/coach-invitations", data=with_csrf(app, {"email": "new.coach@example.com"}))
    assert invited.status_code == 200
    response = client.get("/admin?notice=saved", headers={"Accept-Language": pseudo})
    assert response.status_code == 200
    data = ["bumpwise", "Admin", "Mia", admin.email, member.email, "new.coach@example.com"]
    assert untranslated(response.text, *data) == []
