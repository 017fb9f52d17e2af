"""A coach's branding in the web app: the settings form and API, and the name, logo and colour on
every document the coach's clients print; the downloads through the API. SQLite and PostgreSQL.

The PDFs are read back with poppler: ``pdfimages -list`` counts the embedded logo, and the first
page is rendered with ``pdftoppm`` to find the accent colour in its pixels."""

from __future__ import annotations

import base64
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient answers with
from PIL import Image
from sqlalchemy import select

from bumpwise.persistence.models import CoachBranding
from dbsupport import PASSWORD
from imagesupport import huge_bilevel_png, pdf_images, png_bytes, png_signature_then_junk, truncated_png
from websupport import api_member, api_sign_up, ctx_of, granted_coach, sign_in_pages, with_csrf

ACCENT = "#c0157f"
ACCENT_RGB = (0xC0, 0x15, 0x7F)
LOGO_RGB = (20, 160, 60)
CSRF_FIELD = "csrf_token"


def post_branding(
    client: TestClient, app: FastAPI, form: dict[str, str], logo: bytes | None = None
) -> Response:
    files = {"logo": ("logo.png", logo, "image/png")} if logo is not None else None
    return client.post("/account/branding", data=with_csrf(app, form), files=files, follow_redirects=False)


def first_page_pixels(pdf: bytes, tmp_path: Path) -> set[tuple[int, int, int]]:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path)], capture_output=True, check=True
    ).stdout
    colours = Image.open(BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 24) or []
    pixels: set[tuple[int, int, int]] = set()
    for _, colour in colours:
        assert isinstance(colour, tuple)  # an RGB image counts (r, g, b) colours
        r, g, b = colour
        pixels.add((r, g, b))
    return pixels


def near(colour: tuple[int, int, int], pixels: set[tuple[int, int, int]], tolerance: int = 6) -> bool:
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, p, strict=True)) for p in pixels)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_coach_sets_colour_and_logo_and_every_client_document_carries_them(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    member = api_member(client)
    coach = granted_coach(client, member)
    sign_in_pages(client, app, coach.user_id)
    before = client.get(f"/coach/clients/{member.user_id}/week.pdf").content
    assert len(pdf_images(before, tmp_path)) == 0 and not near(
        ACCENT_RGB, first_page_pixels(before, tmp_path)
    )

    saved = post_branding(client, app, {"accent": ACCENT.upper()}, png_bytes(40, 20, LOGO_RGB))
    assert saved.status_code == 303 and saved.headers["location"].startswith("/account?notice=saved")
    page = client.get("/account").text
    assert f'value="{ACCENT}"' in page and '<img class="brand-logo" src="data:image/png;base64,' in page

    for path in (f"/coach/clients/{member.user_id}/week.pdf", f"/coach/clients/{member.user_id}/summary.pdf"):
        document = client.get(path).content
        assert len(pdf_images(document, tmp_path)) >= 1, path
        pixels = first_page_pixels(document, tmp_path)
        assert near(ACCENT_RGB, pixels) and near(LOGO_RGB, pixels), path
        text = pdf_text(document, tmp_path)
        assert "Prepared by Coach Cara" in text
        assert f"Open it in the app: {ctx_of(app).settings.base_url}/today" in text

    sign_in_pages(client, app, member.user_id)
    own = client.get("/today.pdf").content
    assert len(pdf_images(own, tmp_path)) == 1 and near(ACCENT_RGB, first_page_pixels(own, tmp_path))


def test_removing_the_logo_keeps_the_colour(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    sign_in_pages(client, app, coach.user_id)
    post_branding(client, app, {"accent": ACCENT}, png_bytes())
    assert post_branding(client, app, {"accent": ACCENT, "remove_logo": "on"}).status_code == 303
    assert "brand-logo" not in client.get("/account").text
    sample = client.get("/account/branding/sample.pdf")
    assert sample.headers["content-type"] == "application/pdf"
    assert len(pdf_images(sample.content, tmp_path)) == 0
    assert near(ACCENT_RGB, first_page_pixels(sample.content, tmp_path))
    assert "Prepared by Coach Cara" in pdf_text(sample.content, tmp_path)


@pytest.mark.parametrize(
    ("form", "logo", "message"),
    [
        ({"accent": "red"}, None, "is not a colour in the form #rgb or #rrggbb"),
        ({"accent": ACCENT}, b"GIF89a\x01\x00\x01\x00", "must be a PNG or JPEG image"),
        (
            {"accent": ACCENT},
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script>",
            "must be a PNG or JPEG image",
        ),
        ({"accent": ACCENT}, png_bytes() + b"\x00" * 200_000, "is larger than 200 kB"),
        ({"accent": ACCENT}, huge_bilevel_png(), "is 13000 × 13000 pixels; at most 2000 × 2000"),
        ({"accent": ACCENT}, png_signature_then_junk(), "is not a readable PNG or JPEG image"),
        ({"accent": ACCENT}, truncated_png(), "is not a readable PNG or JPEG image"),
    ],
)
def test_a_bad_colour_or_logo_is_refused_naming_the_field_and_nothing_changes(
    client: TestClient, app: FastAPI, form: dict[str, str], logo: bytes | None, message: str
) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    sign_in_pages(client, app, coach.user_id)
    response = post_branding(client, app, form, logo)
    assert response.status_code == 422
    error = response.text[response.text.index('role="alert"') :]
    assert message in error[: error.index("</div>")]
    with ctx_of(app).uow() as uow:
        assert uow.session.scalars(select(CoachBranding)).all() == []


def test_a_member_has_no_branding_settings(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    assert 'id="branding"' not in client.get("/account").text
    assert post_branding(client, app, {"accent": ACCENT}).status_code == 403
    assert client.get("/api/v1/coach/branding", headers=member.headers).status_code == 403


def test_branding_through_the_api(client: TestClient) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    default = client.get("/api/v1/coach/branding", headers=coach.headers).json()
    assert default == {"coach_name": "Coach Cara", "accent": "#2f5d62", "logo_type": None, "logo_bytes": 0}
    assert client.get("/api/v1/coach/branding/logo", headers=coach.headers).status_code == 404
    logo = png_bytes(3, 3)
    body = {"accent": "#ABC", "logo_base64": base64.b64encode(logo).decode()}
    saved = client.put("/api/v1/coach/branding", json=body, headers=coach.headers)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "coach_name": "Coach Cara",
        "accent": "#aabbcc",
        "logo_type": "image/png",
        "logo_bytes": len(logo),
    }
    image = client.get("/api/v1/coach/branding/logo", headers=coach.headers)
    assert image.content == logo and image.headers["content-type"] == "image/png"
    bad = client.put("/api/v1/coach/branding", json={"logo_base64": "not base64!"}, headers=coach.headers)
    assert bad.status_code == 422 and "logo_base64" in bad.text
    unknown = client.put("/api/v1/coach/branding", json={"colour": "#000"}, headers=coach.headers)
    assert unknown.status_code == 422 and "colour" in unknown.text
    for refused in (huge_bilevel_png(), png_signature_then_junk()):
        body = {"logo_base64": base64.b64encode(refused).decode()}
        answer = client.put("/api/v1/coach/branding", json=body, headers=coach.headers)
        assert answer.status_code == 422 and answer.json()["error"]["field"] == "logo", answer.text
    assert client.get("/api/v1/coach/branding/logo", headers=coach.headers).content == logo
    removed = client.put("/api/v1/coach/branding", json={"remove_logo": True}, headers=coach.headers)
    assert removed.json()["logo_type"] is None and removed.json()["accent"] == "#aabbcc"


def test_the_coachs_settings_are_in_the_export_and_go_with_the_account(
    client: TestClient, app: FastAPI
) -> None:
    coach = api_sign_up(client, "coach", "Coach Cara")
    body = {"accent": ACCENT, "logo_base64": base64.b64encode(png_bytes()).decode()}
    assert client.put("/api/v1/coach/branding", json=body, headers=coach.headers).status_code == 200
    exported = client.get("/api/v1/me/export", headers=coach.headers).json()["coach_branding"]
    assert exported["accent"] == ACCENT and exported["logo"].startswith("data:image/png;base64,")
    deleted = client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=coach.headers)
    assert deleted.status_code in (200, 204)
    with ctx_of(app).uow() as uow:
        assert uow.session.scalars(select(CoachBranding)).all() == []


def test_downloads_through_the_api_for_the_member_and_the_coach(client: TestClient) -> None:
    member = api_member(client)
    coach = granted_coach(client, member)
    files = {"week.pdf": "application/pdf", "plan.ics": "text/calendar", "logs.json": "application/json"}
    for name, media in files.items():
        response = client.get(f"/api/v1/me/exports/{name}", headers=member.headers)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media), name
    unknown = client.get("/api/v1/me/exports/plan.docx", headers=member.headers)
    assert unknown.status_code == 422 and "week.pdf" in unknown.text
    csv = client.get(f"/api/v1/coach/clients/{member.user_id}/exports/sessions.csv", headers=coach.headers)
    assert csv.status_code == 200 and csv.text.startswith("session_date,")
    actions = [e["action"] for e in client.get("/api/v1/me/audit", headers=member.headers).json()["items"]]
    assert "downloaded your sessions.csv" in actions
    stranger = api_sign_up(client, "coach", "Stranger")
    path = f"/api/v1/coach/clients/{member.user_id}/exports/week.pdf"
    assert client.get(path, headers=stranger.headers).status_code == 404
