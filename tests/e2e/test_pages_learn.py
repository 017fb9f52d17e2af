"""The public article site: article and tag pages with structured data and Open Graph, the Atom
feed (parsed by feedparser), the sitemap (checked against the sitemaps.org schema), and the
links to articles from exercise pages and rule explanations."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import feedparser  # type: ignore[import-untyped]  # feedparser ships no type hints
import pytest
import xmlschema
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bumpwise.domain.articles import default_library
from bumpwise.domain.vocab import StageKind
from websupport import CSRF_VALUE, api_member, api_onboard, api_sign_up, sign_in_pages, with_csrf

SITEMAP_XSD = Path(__file__).parent.parent / "data" / "sitemap.xsd"


def test_the_learn_page_lists_every_article_and_tag(client: TestClient) -> None:
    response = client.get("/learn")
    assert response.status_code == 200
    library = default_library()
    assert len(library.articles) >= 12
    for article in library.articles.values():
        assert f'href="/learn/{article.slug}"' in response.text
    for tag in library.tags:
        assert f'href="/learn/tags/{tag}"' in response.text


def test_an_article_has_structured_data_open_graph_sources_and_the_free_workout(client: TestClient) -> None:
    response = client.get("/learn/posterior-chain-in-pregnancy")
    assert response.status_code == 200
    html = response.text
    ld_json = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld_json is not None
    data = json.loads(ld_json.group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == "Why the back of your body needs training in pregnancy"
    assert data["url"].endswith("/learn/posterior-chain-in-pregnancy")
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:title" content="Why the back of your body needs training in pregnancy"' in html
    for exercise in ("glute-bridge", "dumbbell-romanian-deadlift", "seated-band-hamstring-curl"):
        assert f'href="/exercises/{exercise}"' in html
        figure = re.search(rf'<img src="(/api/v1/exercises/{exercise}/figure\.svg[^"]*)"', html)
        assert figure is not None, f"{exercise} is listed without its figure"
        drawn = client.get(figure.group(1).replace("&amp;", "&"))
        assert drawn.status_code == 200 and drawn.text.startswith("<svg")
    assert "Safe for me this week?" in html
    assert 'href="/free-workout"' in html
    assert "not medical advice" in html
    assert "Written for pregnancy" in html
    assert "ACOG" in html  # the sources list


def test_a_tag_page_lists_only_its_articles(client: TestClient) -> None:
    response = client.get("/learn/tags/caesarean")
    assert response.status_code == 200
    assert "/learn/exercise-after-caesarean" in response.text
    assert "/learn/posterior-chain-in-pregnancy" not in response.text


@pytest.mark.parametrize("path", ["/learn/no-such-article", "/learn/tags/no-such-tag"])
def test_unknown_articles_and_tags_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_feed_parses_with_every_article(client: TestClient) -> None:
    response = client.get("/learn/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    links = {entry.link for entry in feed.entries}
    assert len(feed.entries) == len(default_library().articles)
    assert any(link.endswith("/learn/warning-signs") for link in links)
    assert all(entry.summary and entry.updated_parsed for entry in feed.entries)


def test_the_sitemap_is_valid_against_its_schema(client: TestClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    schema = xmlschema.XMLSchema(SITEMAP_XSD)
    schema.validate(response.text)
    locs = re.findall(r"<loc>(.*?)</loc>", response.text)
    assert any(loc.endswith("/learn/pelvic-girdle-pain") for loc in locs)
    assert any(loc.endswith("/free-workout") for loc in locs)


def test_an_exercise_page_links_to_its_articles(client: TestClient) -> None:
    html = client.get("/exercises/glute-bridge").text
    assert 'href="/learn/posterior-chain-in-pregnancy"' in html


def test_article_markdown_cannot_carry_html() -> None:
    from bumpwise.web.markdown import render_markdown

    html = str(render_markdown("Hi <script>alert(1)</script> [x](javascript:alert(1)) **b**"))
    assert "<script>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert "<strong>b</strong>" in html


def test_the_stop_page_of_a_warning_sign_links_the_article_about_it(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    response = client.post(
        "/check-in", data=with_csrf(app, {"warning_signs": ["calf_pain_or_swelling"]}), follow_redirects=False
    )
    stop = client.get(response.headers["location"])
    assert 'href="/learn/warning-signs"' in stop.text


def test_plan_items_and_rule_explanations_link_articles_for_member_and_coach(
    client: TestClient, app: FastAPI
) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    week = client.get("/week").text
    # an item's "why" links the articles about its exercise; a rule's explanation its articles
    assert re.search(r'class="why">.*?href="/learn/[a-z0-9-]+"', week, re.S)
    assert re.search(r'Read: <a href="/learn/[a-z0-9-]+"', week)
    coach = api_sign_up(client, "coach")
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code < 300
    sign_in_pages(client, app, coach.user_id)
    client_view = client.get(f"/coach/clients/{member.user_id}").text
    assert 'href="/learn/' in client_view


def test_a_postpartum_free_workout_links_no_pregnancy_only_article(client: TestClient, app: FastAPI) -> None:
    client.cookies.set("bw_csrf", CSRF_VALUE)
    form = {
        "stage_kind": "postpartum",
        "weeks": "14",
        "delivery": "vaginal",
        "equipment": ["resistance_band"],
    }
    html = client.post("/free-workout", data=with_csrf(app, form)).text
    linked = set(re.findall(r'href="/learn/([a-z0-9-]+)"', html))
    library = default_library()
    assert linked, "the workout links its articles"
    assert all(
        StageKind.POSTPARTUM in library.articles[slug].meta.stages
        for slug in linked
        if slug in library.articles
    )
    assert "gestational-diabetes" not in linked


@pytest.mark.parametrize("stage", ["pregnant", "postpartum"])
def test_a_members_plan_pages_link_only_articles_written_for_her_stage(
    client: TestClient, app: FastAPI, stage: str
) -> None:
    """Stage-true: a pregnancy-only article never reaches a postpartum member, and the reverse."""
    member = api_sign_up(client)
    details = {"stage_kind": "postpartum", "birth_date": (date.today() - timedelta(weeks=9)).isoformat(),
               "delivery": "caesarean"} if stage == "postpartum" else {}  # fmt: skip
    api_onboard(client, member, details)
    sign_in_pages(client, app, member.user_id)
    library = default_library()
    linked = set()
    for path in ("/today", "/week"):
        linked |= set(re.findall(r'href="/learn/([a-z0-9-]+)"', client.get(path).text))
    assert linked, "the plan pages link articles"
    for slug in linked:
        assert StageKind(stage) in library.articles[slug].meta.stages, slug
