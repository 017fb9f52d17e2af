"""GET /api/v1/exercises/{id}/figure.svg: public SVG, cacheable with an ETag, clear errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

URL = "/api/v1/exercises/glute-bridge/figure.svg"


def test_figure_is_an_accessible_svg_with_cache_headers(client: TestClient) -> None:
    response = client.get(URL, params={"week": 30})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "public, max-age=86400"
    body = response.text
    assert body.startswith("<svg") and 'role="img"' in body
    assert '<title id="fig-t">Glute bridge</title>' in body
    assert "week 30 of pregnancy" in body
    assert "@keyframes" in body and "prefers-reduced-motion" in body


def test_same_figure_answers_304_to_its_etag_and_a_new_week_changes_it(client: TestClient) -> None:
    first = client.get(URL, params={"week": 30})
    etag = first.headers["etag"]
    again = client.get(URL, params={"week": 30}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    later = client.get(URL, params={"week": 38}, headers={"If-None-Match": etag})
    assert later.status_code == 200 and later.headers["etag"] != etag


def test_variant_and_reduced_motion(client: TestClient) -> None:
    response = client.get(URL, params={"variant": "shoulders_elevated", "motion": "reduce", "week": 20})
    assert response.status_code == 200
    assert "Shoulders-elevated glute bridge" in response.text
    assert "@keyframes" not in response.text and "transform:translate" in response.text


def test_bad_inputs_name_the_field_and_allowed_values(client: TestClient) -> None:
    unknown_variant = client.get(URL, params={"variant": "upside_down"})
    assert unknown_variant.status_code == 422
    error = unknown_variant.json()["error"]
    assert error["field"] == "variant" and error["allowed"] == ["shoulders_elevated"]
    bad_stage = client.get(URL, params={"stage": "later"}).json()["error"]
    assert bad_stage["field"] == "stage" and set(bad_stage["allowed"]) == {"pregnant", "postpartum"}
    too_late = client.get(URL, params={"week": 60}).json()["error"]
    assert too_late["field"] == "week"
    missing = client.get("/api/v1/exercises/handstand/figure.svg")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "exercise_id"
