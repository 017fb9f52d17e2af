"""Coaches write too: articles under their own name, sanitised, published on their public page
``/c/{handle}`` with their own free-workout link; drafts and other coaches' articles stay theirs."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from websupport import api_member, api_sign_up, sign_in_pages, with_csrf

ARTICLE = {
    "title": "Three moves for a strong back in pregnancy",
    "summary": "The moves I give every client from the second trimester.",
    "tags": ["strength", "pregnancy"],
    "stages": ["pregnant"],
    "body": "## Why\n\nYour back works harder as the bump grows. <script>alert('x')</script>\n\n"
    "- **Rows** with a band\n- [Bridges](javascript:alert(1))\n- Carries, <b>both hands</b>\n",
    "publish": "on",
}


def _handle(client: TestClient, headers: dict[str, str]) -> str:
    handle: str = client.get("/api/v1/coach/page", headers=headers).json()["handle"]
    return handle


def test_a_coach_publishes_an_article_that_is_sanitised_on_their_public_page(
    client: TestClient, app: FastAPI
) -> None:
    cara = api_sign_up(client, "coach", "Coach Cara")
    handle = _handle(client, cara.headers)
    sign_in_pages(client, app, cara.user_id)
    saved = client.post("/coach/articles", data=with_csrf(app, ARTICLE), follow_redirects=False)
    assert saved.status_code == 303
    public = client.get(f"/c/{handle}")
    assert public.status_code == 200 and "Coach Cara" in public.text
    assert f'href="/c/{handle}/free-workout"' in public.text
    path = f"/c/{handle}/articles/three-moves-for-a-strong-back-in-pregnancy"
    assert f'href="{path}"' in public.text
    page = client.get(path)
    assert page.status_code == 200
    html = page.text
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and "<b>both hands</b>" not in html
    assert "<h2>Why</h2>" in html and "<strong>Rows</strong>" in html
    assert f'href="/c/{handle}/free-workout"' in html and "not medical advice" in html
    ld_json = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld_json is not None
    data = json.loads(ld_json.group(1))
    assert data["@type"] == "Article" and data["author"] == {
        "@type": "Person",
        "name": "Coach Cara",
        "url": f"http://127.0.0.1:8000/c/{handle}",
    }
    assert 'property="og:title" content="Three moves for a strong back in pregnancy"' in html


def test_drafts_stay_private_and_articles_stay_their_writers(client: TestClient, app: FastAPI) -> None:
    cara, dina = api_sign_up(client, "coach", "Cara"), api_sign_up(client, "coach", "Dina")
    handle = _handle(client, cara.headers)
    sign_in_pages(client, app, cara.user_id)
    draft = {key: value for key, value in ARTICLE.items() if key != "publish"}
    client.post("/coach/articles", data=with_csrf(app, draft))
    listed = client.get("/coach/articles").text
    article_link = re.search(r'href="/coach/articles/(\d+)"', listed)
    assert article_link is not None
    article_id = article_link.group(1)
    assert "draft" in listed
    assert client.get(f"/c/{handle}/articles/three-moves-for-a-strong-back-in-pregnancy").status_code == 404
    assert "three-moves" not in client.get(f"/c/{handle}").text
    sign_in_pages(client, app, dina.user_id)
    assert client.get(f"/coach/articles/{article_id}").status_code == 404
    changed = client.post(f"/coach/articles/{article_id}", data=with_csrf(app, ARTICLE))
    assert changed.status_code == 404
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    assert client.get("/coach/articles").status_code == 403


def test_an_unknown_tag_is_refused_naming_the_field(client: TestClient, app: FastAPI) -> None:
    cara = api_sign_up(client, "coach", "Cara")
    sign_in_pages(client, app, cara.user_id)
    refused = client.post("/coach/articles", data=with_csrf(app, {**ARTICLE, "tags": ["gossip"]}))
    assert refused.status_code == 422 and "gossip" in refused.text and "pelvic-floor" in refused.text
    assert "Your articles" in refused.text


def test_an_unknown_coach_page_is_a_404(client: TestClient) -> None:
    assert client.get("/c/nobody-here").status_code == 404


def test_a_coach_shares_an_article_with_a_client_who_granted_access(client: TestClient, app: FastAPI) -> None:
    cara, dina = api_sign_up(client, "coach", "Coach Cara"), api_sign_up(client, "coach", "Dina")
    member = api_member(client)
    code = client.post("/api/v1/coach/invites", headers=cara.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code < 300
    sign_in_pages(client, app, cara.user_id)
    client.post("/coach/articles", data=with_csrf(app, ARTICLE))
    client_view = client.get(f"/coach/clients/{member.user_id}").text
    own_option = re.search(r'<option value="(coach:\d+)">Three moves', client_view)
    assert own_option is not None
    own = own_option.group(1)
    for article in ("first-six-weeks", own):
        shared = client.post(
            f"/coach/clients/{member.user_id}/share",
            data=with_csrf(app, {"article": article}),
            follow_redirects=False,
        )
        assert shared.status_code == 303
    unknown = client.post(f"/coach/clients/{member.user_id}/share", data=with_csrf(app, {"article": "nope"}))
    assert unknown.status_code == 422 and "is not an article" in unknown.text
    sign_in_pages(client, app, dina.user_id)  # no grant: as if the member did not exist
    stranger = client.post(
        f"/coach/clients/{member.user_id}/share", data=with_csrf(app, {"article": "first-six-weeks"})
    )
    assert stranger.status_code == 404
    sign_in_pages(client, app, member.user_id)
    today = client.get("/today").text
    assert 'href="/learn/first-six-weeks"' in today and "shared by Coach Cara" in today
    assert "/articles/three-moves-for-a-strong-back-in-pregnancy" in today
    assert client.delete(f"/api/v1/me/coaches/{cara.user_id}", headers=member.headers).status_code == 204
    assert "shared by Coach Cara" not in client.get("/today").text
