"""The public article site: article and tag pages with structured data and Open Graph, the Atom
feed (parsed by feedparser), the sitemap (checked against the sitemaps.org schema), and the
links to articles from exercise pages and rule explanations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
import xmlschema
from fastapi.testclient import TestClient

from bumpwise.domain.articles import default_library

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
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == "Why the back of your body needs training in pregnancy"
    assert data["url"].endswith("/learn/posterior-chain-in-pregnancy")
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:title" content="Why the back of your body needs training in pregnancy"' in html
    for exercise in ("glute-bridge", "dumbbell-romanian-deadlift", "seated-band-hamstring-curl"):
        assert f'href="/exercises/{exercise}"' in html
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
