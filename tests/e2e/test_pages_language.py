"""The language of pages and answers (issue 19): the account's setting, then the browser's
Accept-Language, then English; `<html lang>` and `hreflang` alternates; the choice at sign-up and
on the account page; the API and the CLI."""

from __future__ import annotations

import re
import subprocess

from fastapi import FastAPI
from fastapi.testclient import TestClient

from cli_support import run
from dbsupport import PASSWORD, unique_email
from websupport import api_member, api_sign_up, sign_in_pages, token_in, with_csrf


def html_lang(text: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', text)
    assert found, text[:200]
    return found.group(1)


def test_an_anonymous_page_follows_the_browser_then_english(client: TestClient) -> None:
    assert html_lang(client.get("/learn").text) == "en"
    spanish = client.get("/learn", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    assert html_lang(spanish.text) == "es" and spanish.headers["content-language"] == "es"
    assert "Accept-Language" in spanish.headers["vary"]
    assert html_lang(client.get("/learn", headers={"Accept-Language": "de-DE,fr"}).text) == "en"
    assert html_lang(client.get("/learn?lang=es").text) == "es"  # the hreflang alternate


def test_public_pages_list_their_alternates_in_every_language(client: TestClient) -> None:
    text = client.get("/learn").text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/learn?lang=en">' in text
    assert '<link rel="alternate" hreflang="es" href="http://testserver/learn?lang=es">' in text
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/learn">' in text


def test_the_account_setting_beats_the_browser(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    english = {"Accept-Language": "en-GB,en"}
    assert html_lang(client.get("/today", headers=english).text) == "en"
    saved = client.post(
        "/account/details", data=with_csrf(app, {"display_name": "Mia", "language": "es"}), headers=english
    )
    assert saved.status_code == 200  # followed to /account
    assert html_lang(client.get("/today", headers=english).text) == "es"
    page = client.get("/account", headers=english).text
    assert '<option value="es" lang="es" selected>Español</option>' in page
    # "as my browser asks" clears the setting
    client.post("/account/details", data=with_csrf(app, {"display_name": "Mia", "language": "auto"}))
    assert html_lang(client.get("/today", headers=english).text) == "en"
    assert html_lang(client.get("/today", headers={"Accept-Language": "es"}).text) == "es"


def test_an_unknown_language_on_the_account_page_is_explained(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    response = client.post("/account/details", data=with_csrf(app, {"display_name": "Mia", "language": "xx"}))
    assert response.status_code == 422 and "not a supported language" in response.text


def test_the_language_chosen_at_sign_up_is_the_account_setting(client: TestClient) -> None:
    form = client.get("/signup", headers={"Accept-Language": "es"}).text
    assert '<option value="es" lang="es" selected>' in form  # the browser's language, preselected
    email = unique_email("member")
    data = {"display_name": "Lucía", "email": email, "password": PASSWORD, "language": "es"}
    done = client.post("/signup", data={**data, "csrf_token": token_in(form)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    onboarding = client.get("/onboarding", headers={"Accept-Language": "en"})
    assert html_lang(onboarding.text) == "es"


def test_the_api_answers_in_the_account_language_then_the_browsers(client: TestClient) -> None:
    member = api_sign_up(client)
    me = client.get("/api/v1/me", headers={**member.headers, "Accept-Language": "es"})
    assert me.json()["language"] is None and me.headers["content-language"] == "es"
    wrong = client.patch("/api/v1/me", json={"language": "fr"}, headers=member.headers)
    assert wrong.status_code == 422 and wrong.json()["error"]["allowed"] == ["en", "es"]
    chosen = client.patch("/api/v1/me", json={"language": "es"}, headers=member.headers)
    assert chosen.status_code == 200 and chosen.json()["language"] == "es"
    me = client.get("/api/v1/me", headers={**member.headers, "Accept-Language": "en"})
    assert me.headers["content-language"] == "es"


def test_the_cli_takes_lang_and_bumpwise_lang_and_refuses_an_unknown_one() -> None:
    wrong = run("--lang", "fr", "rules", "list")
    assert (
        wrong.returncode == 2 and "--lang: 'fr' is not a supported language (allowed: en, es)" in wrong.stderr
    )
    from_env = run("rules", "list", env={"BUMPWISE_LANG": "xx"})
    assert from_env.returncode == 2 and "allowed: en, es" in from_env.stderr
    assert run("--lang", "es", "rules", "list").returncode == 0
    assert isinstance(wrong, subprocess.CompletedProcess)
