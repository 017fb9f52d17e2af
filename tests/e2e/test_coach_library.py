"""A coach's library (issue 17), on SQLite and PostgreSQL: the coach imports the real wger
fixtures dump through the library page and through ``bumpwise exercises import --coach``,
reviews ten exercises attribute by attribute, and sees them planned for a client whose rules
allow them and never for one whose rules do not."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from bumpwise.web.deps import get_today
from cisupport import missing
from cli_support import run
from websupport import ApiAccount, api_onboard, api_sign_up, due_in, sign_in_pages, with_csrf

REPO = Path(__file__).resolve().parents[2]
DUMP_FILES = ("exercise-base-data", "translations", "categories", "muscles", "equipment", "licenses")
NO_RULES_APPLY = {
    "wide_stance": False, "impact": "low", "spinal_flexion": False, "load": "none",
    "abdominal_pressure": "low", "balance_demanding": False, "high_effort": False, "running": False,
    "presses_on_abdomen": False,
}  # fmt: skip
# wger id → what the coach confirms, read from each exercise's own description
SUPINE = {
    "1263": {"pattern": "bridge", "position": "supine", "asymmetric_lower_body": False},  # back bridge
    "1740": {"pattern": "bridge", "position": "supine", "asymmetric_lower_body": True},  # one-leg bridge
    "178": {"pattern": "deep_core", "position": "supine", "asymmetric_lower_body": False},  # dead bug
    "292": {"pattern": "bridge", "position": "supine", "asymmetric_lower_body": False},  # lying hip raise
}
LUNGES = {
    "984": {"pattern": "lunge", "position": "standing", "asymmetric_lower_body": True},  # lunges
    "999": {"pattern": "lunge", "position": "standing", "asymmetric_lower_body": True},  # reverse lunges
    "1324": {"pattern": "lunge", "position": "standing", "asymmetric_lower_body": True},  # bodyweight lunge
}
STANDING = {
    "1312": {"pattern": "squat", "position": "standing", "asymmetric_lower_body": False},  # bodyweight squat
    "291": {"pattern": "squat", "position": "standing", "asymmetric_lower_body": False},  # Hindu squat
    "1243": {"pattern": "squat", "position": "standing", "asymmetric_lower_body": False},  # calf raise
}
CONFIRMED = {**SUPINE, **LUNGES, **STANDING}


def wger_dir() -> Path:
    configured = os.environ.get("BUMPWISE_SHARED_DIR")
    path = (Path(configured) if configured else REPO / ".." / "shared") / "data" / "wger"
    if not (path / "exercise-base-data.json").is_file():
        missing(f"the shared wger fixtures are missing: {path} (set BUMPWISE_SHARED_DIR)")
    return path


@pytest.fixture
def coach(client: TestClient, app: FastAPI) -> Iterator[ApiAccount]:
    account = api_sign_up(client, "coach", "Cora")
    sign_in_pages(client, app, account.user_id)
    yield account


def library(client: TestClient, coach: ApiAccount, **params: Any) -> list[dict[str, Any]]:
    """Every entry of the coach's library, following the ``next`` links."""
    found: list[dict[str, Any]] = []
    query = "".join(f"&{k}={v}" for k, v in params.items())
    url: str | None = f"/api/v1/coach/library?limit=200{query}"
    while url is not None:
        page = client.get(url, headers=coach.headers)
        assert page.status_code == 200, page.text
        found.extend(page.json()["items"])
        url = page.json()["next"]
    return found


def upload_dump(client: TestClient, app: FastAPI) -> Any:
    folder = wger_dir()
    files = [
        ("files", (f"{n}.json", (folder / f"{n}.json").read_bytes(), "application/json")) for n in DUMP_FILES
    ]
    return client.post(
        "/coach/library/upload", data=with_csrf(app, {"source": "wger"}), files=files, follow_redirects=True
    )


def review_ten(client: TestClient, app: FastAPI, coach: ApiAccount) -> dict[str, str]:
    """The coach confirms every attribute of ten exercises (the first through the page's form);
    returns wger id → the id the exercise has in plans."""
    by_source = {e["source_id"]: e for e in library(client, coach)}
    planned: dict[str, str] = {}
    for index, (source_id, values) in enumerate(CONFIRMED.items()):
        entry = by_source[source_id]
        body = {**NO_RULES_APPLY, **values}
        if index == 0:
            form = {k: ("yes" if v is True else "no" if v is False else v) for k, v in body.items()}
            done = client.post(
                f"/coach/library/{entry['id']}/confirm",
                data=with_csrf(app, {**form, "checked_attributes": list(body)}),
                follow_redirects=True,
            )
            assert done.status_code == 200 and "Attributes confirmed" in done.text
            reviewed = client.get(f"/api/v1/coach/library/{entry['id']}", headers=coach.headers).json()
        else:
            answer = client.post(
                f"/api/v1/coach/library/{entry['id']}/confirm", json=body, headers=coach.headers
            )
            assert answer.status_code == 200, answer.text
            reviewed = answer.json()
        assert reviewed["in_plans"] and reviewed["unconfirmed"] == []
        assert {a["attribute"]: a["confirmed"] for a in reviewed["attributes"]} == body
        planned[source_id] = reviewed["exercise_id"]
    return planned


def client_of(
    client: TestClient, coach: ApiAccount, name: str, details: dict[str, Any], **screening: Any
) -> ApiAccount:
    member = api_sign_up(client, "member", name)
    api_onboard(client, member, {"equipment": [], **details}, **screening)
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    return member


def planned_items(client: TestClient, member: ApiAccount) -> list[dict[str, Any]]:
    week = client.get("/api/v1/me/week", headers=member.headers)
    assert week.status_code == 200, week.text
    days = week.json()["week"]["days"]
    return [item for day in days for session in day["sessions"] for item in session["items"]]


def check_plans(client: TestClient, coach: ApiAccount, planned: dict[str, str]) -> None:
    supine_ids = {planned[i] for i in SUPINE}
    lunge_ids = {planned[i] for i in LUNGES}
    everything = set(planned.values())
    early = client_of(client, coach, "Early", {"due_date": due_in(30)})  # week 10: supine and lunges allowed
    later = client_of(client, coach, "Later", {"due_date": due_in(20)})  # week 20: nothing supine
    pelvis = client_of(client, coach, "Pelvis", {"due_date": due_in(30)}, conditions=["pelvic_girdle_pain"])

    items = planned_items(client, early)
    used = {i["exercise"]["id"] for i in items} & everything
    assert used, "the coach's reviewed exercises are planned for a client whose rules allow them"
    imported = next(i for i in items if i["exercise"]["id"] in everything)
    assert imported["exercise"]["attribution"]["licence"].startswith("CC")
    assert "wger exercise" in imported["exercise"]["attribution"]["author"]
    app: FastAPI = client.app  # type: ignore[assignment]
    sign_in_pages(client, app, early.user_id)
    week_page = client.get("/week")
    assert week_page.status_code == 200 and "From your coach's library: wger exercise" in week_page.text
    assert "not medical advice" in week_page.text
    sign_in_pages(client, app, coach.user_id)

    later_items = planned_items(client, later)
    assert not {i["exercise"]["id"] for i in later_items} & supine_ids
    assert all(i["exercise"]["position"] != "supine" for i in later_items)
    assert {i["exercise"]["id"] for i in later_items} & (everything - supine_ids), "the rest is still used"

    pelvis_items = planned_items(client, pelvis)
    assert not {i["exercise"]["id"] for i in pelvis_items} & lunge_ids
    assert not any(i["exercise"]["asymmetric_lower_body"] for i in pelvis_items)
    assert {i["exercise"]["id"] for i in pelvis_items} & everything, "the symmetric ones are still used"


def test_a_coach_imports_the_wger_dump_on_the_page_reviews_ten_and_they_are_planned_safely(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    uploaded = upload_dump(client, app)
    assert uploaded.status_code == 200, uploaded.text[:500]
    assert "Review each exercise" in uploaded.text
    entries = library(client, coach)
    assert len(entries) == 872 and not any(e["in_plans"] for e in entries)
    assert all(e["licence"] and e["author"] for e in entries)
    planned = review_ten(client, app, coach)
    assert len(library(client, coach, reviewed="true")) == 10
    check_plans(client, coach, planned)
    # the review page shows the source's steps, licence and author, and the evidence per attribute
    entry = next(e for e in library(client, coach) if e["source_id"] == "984")
    page = client.get(f"/coach/library/{entry['id']}").text
    assert "CC-BY-SA" in page and "wger exercise 984" in page, page
    assert (
        "steps</h2>" in page and page.count("guess: <strong>") == 15
    )  # 12 attributes, equipment and muscles


def test_a_coach_imports_the_wger_dump_with_the_cli(
    client: TestClient, app: FastAPI, coach: ApiAccount, database_url: str
) -> None:
    env = {"BUMPWISE_ENV": "test", "BUMPWISE_DATABASE_URL": database_url}
    done = run("exercises", "import", str(wger_dir()), "--from", "wger", "--coach", coach.email, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"872 exercises read, 872 stored in the library of {coach.email}")
    planned = review_ten(client, app, coach)
    check_plans(client, coach, planned)
    again = run("exercises", "import", str(wger_dir()), "--from", "wger", "--coach", coach.email, env=env)
    assert "862 stored" in again.stdout, "a reviewed exercise keeps the coach's values"


def test_an_unconfirmed_attribute_counts_as_its_strictest_value(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    """A lunge whose sidedness nobody confirmed is never planned with pelvic girdle pain."""
    assert upload_dump(client, app).status_code == 200
    by_source = {e["source_id"]: e for e in library(client, coach)}
    lunge = by_source["984"]
    only_pattern = client.post(
        f"/api/v1/coach/library/{lunge['id']}/confirm", json={"pattern": "lunge"}, headers=coach.headers
    ).json()
    assert only_pattern["in_plans"] and "asymmetric_lower_body" in only_pattern["unconfirmed"]
    pelvis = client_of(client, coach, "Pelvis", {"due_date": due_in(30)}, conditions=["pelvic_girdle_pain"])
    assert lunge_never_planned(client, pelvis, only_pattern["exercise_id"])
    other = api_sign_up(client, "coach", "Other")
    assert client.get(f"/api/v1/coach/library/{lunge['id']}", headers=other.headers).status_code == 404


def lunge_never_planned(client: TestClient, member: ApiAccount, exercise_id: str) -> bool:
    return all(i["exercise"]["id"] != exercise_id for i in planned_items(client, member))


def test_a_coach_writes_an_exercise_reviews_it_and_it_is_planned(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    steps = "Stand on both feet, hip-width apart.\nBend the knees, sit the hips back and down, then stand up."
    written = client.post(
        "/coach/library/write",
        data=with_csrf(app, {"name": "Coach's bodyweight squat", "steps": steps}),
        follow_redirects=True,
    )
    assert written.status_code == 200 and "Written by Cora" in written.text
    [entry] = library(client, coach)
    assert entry["source"] == "coach" and entry["steps"][0] == "Stand on both feet, hip-width apart."
    assert {a["attribute"]: a["inferred"] for a in entry["attributes"]}["position"] == "standing"
    again = client.post(
        "/api/v1/coach/library",
        json={"name": "Coach's bodyweight squat", "steps": ["Sit down."]},
        headers=coach.headers,
    )
    assert again.status_code == 409 and again.json()["error"]["field"] == "name"
    body = {**NO_RULES_APPLY, "pattern": "squat", "position": "standing", "asymmetric_lower_body": False}
    confirmed = client.post(f"/api/v1/coach/library/{entry['id']}/confirm", json=body, headers=coach.headers)
    assert confirmed.status_code == 200 and confirmed.json()["unconfirmed"] == []
    member = client_of(client, coach, "Early", {"due_date": due_in(30)})
    planned = [i for i in planned_items(client, member) if i["exercise"]["id"] == entry["exercise_id"]]
    assert planned and planned[0]["exercise"]["attribution"]["author"] == "Cora"


SAMPLE = REPO / "tests" / "data" / "wger_sample.json"
SAFE_BRIDGE = {**NO_RULES_APPLY, "pattern": "bridge", "position": "supine", "asymmetric_lower_body": False}


def confirmed_sample(client: TestClient, app: FastAPI, coach: ApiAccount) -> dict[str, Any]:
    """The coach uploads the small wger sample and confirms its floor hip lift (wger 9001)."""
    upload = ("files", ("wger_sample.json", SAMPLE.read_bytes(), "application/json"))
    done = client.post(
        "/coach/library/upload",
        data=with_csrf(app, {"source": "wger"}),
        files=[upload],
        follow_redirects=True,
    )
    assert done.status_code == 200, done.text[:300]
    entry = next(e for e in library(client, coach) if e["source_id"] == "9001")
    answer = client.post(
        f"/api/v1/coach/library/{entry['id']}/confirm", json=SAFE_BRIDGE, headers=coach.headers
    )
    assert answer.status_code == 200, answer.text
    reviewed: dict[str, Any] = answer.json()
    return reviewed


def test_the_player_shows_a_coach_exercise_with_its_steps_and_attribution_and_it_can_be_logged(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    """Issue 17: the session player plays every planned exercise; one from the coach's library
    has no drawing, so it shows the source's steps and where it came from instead."""
    entry = confirmed_sample(client, app, coach)
    member = client_of(client, coach, "Early", {"due_date": due_in(30)})
    days = client.get("/api/v1/me/week", headers=member.headers).json()["week"]["days"]
    day, index = next(
        (date.fromisoformat(d["date"]), i)
        for d in days
        for i, s in enumerate(d["sessions"])
        if any(item["exercise"]["id"] == entry["exercise_id"] for item in s["items"])
    )
    sign_in_pages(client, app, member.user_id)
    app.dependency_overrides[get_today] = lambda: day
    try:
        html = client.get(f"/today/play?session={index}").text
        steps = re.split(r'<li class="player-step"', html)[1:]
        [step] = [s for s in steps if f'data-exercise="{entry["exercise_id"]}"' in s]
        assert "figure.svg" not in step and "<picture" not in step
        assert escape(entry["steps"][0]) in step and escape(entry["steps"][1]) in step
        assert "From your coach&#39;s library: wger exercise 9001 by Test Coach A" in step
        assert "licence CC-BY-SA 4 (https://creativecommons.org/licenses/by-sa/4.0/deed.en)" in step
        assert 'class="disclaimer"' in html
        urls = client.get("/today/play/offline.json").json()["urls"]
        assert not [u for u in urls if entry["exercise_id"] in u], "no figure to keep for it"
        logged = client.post(
            "/api/v1/me/logs",
            json={
                "session_date": day.isoformat(),
                "session_kind": "strength",
                "items_done": [entry["exercise_id"]],
            },
            headers=member.headers,
        )
        assert logged.status_code == 201, logged.text
        unknown = client.post(
            "/api/v1/me/logs",
            json={"session_date": day.isoformat(), "session_kind": "strength", "items_done": ["c999-wger-1"]},
            headers=member.headers,
        )
        assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "items_done[0]"
    finally:
        app.dependency_overrides.pop(get_today)


def test_the_swap_menu_offers_the_coachs_reviewed_exercises_the_clients_rules_allow(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    """Issue 17: a reviewed supine bridge is offered for a client at week 10 and swapped into her
    plan; for a client at week 20 it is neither offered nor accepted; unreviewed entries never are."""
    entry = confirmed_sample(client, app, coach)
    bridge = entry["exercise_id"]
    unreviewed = {e["exercise_id"] for e in library(client, coach) if not e["in_plans"]}
    assert unreviewed, "the sample holds entries the coach has not reviewed"
    early = client_of(client, coach, "Early", {"due_date": due_in(30)})
    later = client_of(client, coach, "Later", {"due_date": due_in(20)})

    detail = client.get(f"/api/v1/coach/clients/{early.user_id}", headers=coach.headers).json()
    offered = {c["id"] for c in detail["swap_choices"]}
    assert bridge in offered and not offered & unreviewed
    replaced = next(p["id"] for p in detail["planned"] if p["id"] != bridge)
    swap = {"from_exercise": replaced, "to_exercise": bridge, "note": "your coach's bridge"}
    added = client.post(f"/api/v1/coach/clients/{early.user_id}/swaps", json=swap, headers=coach.headers)
    assert added.status_code == 201, added.text
    assert added.json()["to_name"] == entry["name"]
    used = {i["exercise"]["id"] for i in planned_items(client, early)}
    assert bridge in used and replaced not in used

    later_detail = client.get(f"/api/v1/coach/clients/{later.user_id}", headers=coach.headers).json()
    assert bridge not in {c["id"] for c in later_detail["swap_choices"]}
    replaced = later_detail["planned"][0]["id"]
    refused = client.post(
        f"/api/v1/coach/clients/{later.user_id}/swaps",
        json={"from_exercise": replaced, "to_exercise": bridge},
        headers=coach.headers,
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "to_exercise"
    assert bridge not in {i["exercise"]["id"] for i in planned_items(client, later)}


def test_the_cli_lists_a_coachs_library_with_its_review_state(
    client: TestClient, app: FastAPI, coach: ApiAccount, database_url: str
) -> None:
    entry = confirmed_sample(client, app, coach)
    env = {"BUMPWISE_ENV": "test", "BUMPWISE_DATABASE_URL": database_url}
    text = run("exercises", "list", "--coach", coach.email, env=env)
    assert text.returncode == 0, text.stderr
    assert f"6 exercises in the library of {coach.email}" in text.stdout
    assert entry["exercise_id"] in text.stdout and "reviewed: planned" in text.stdout
    assert "not reviewed: not planned" in text.stdout and "CC-BY-SA 4" in text.stdout
    assert "not medical advice" in text.stdout
    reviewed = run("exercises", "list", "--coach", coach.email, "--reviewed", "--format", "json", env=env)
    assert reviewed.returncode == 0, reviewed.stderr
    [listed] = json.loads(reviewed.stdout)
    assert listed["exercise_id"] == entry["exercise_id"] and listed["unconfirmed"] == []
    assert listed["licence"] == "CC-BY-SA 4" and listed["author"].startswith("Test Coach A")
    unreviewed = json.loads(
        run("exercises", "list", "--coach", coach.email, "--unreviewed", "--format", "json", env=env).stdout
    )
    assert len(unreviewed) == 5 and not any(e["in_plans"] for e in unreviewed)
    nobody = run("exercises", "list", "--coach", "nobody@example.org", env=env)
    assert nobody.returncode != 0 and "--coach" in nobody.stderr
    alone = run("exercises", "list", "--reviewed", env=env)
    assert alone.returncode != 0 and "--coach" in alone.stderr


def test_the_coach_corrects_equipment_and_muscles_and_plans_use_the_corrected_values(
    client: TestClient, app: FastAPI, coach: ApiAccount
) -> None:
    entry = confirmed_sample(client, app, coach)
    bridge, url = entry["exercise_id"], f"/api/v1/coach/library/{entry['id']}/confirm"
    member = client_of(client, coach, "Early", {"due_date": due_in(30)})  # owns no equipment
    assert bridge in {i["exercise"]["id"] for i in planned_items(client, member)}

    barbell = client.post(url, json={"equipment": ["barbell"]}, headers=coach.headers)
    assert barbell.status_code == 200, barbell.text
    listed = {c["attribute"]: c for c in barbell.json()["corrections"]}
    assert listed["equipment"]["confirmed"] == ["barbell"] and listed["equipment"]["confirmed_at"]
    assert bridge not in {i["exercise"]["id"] for i in planned_items(client, member)}, "she has no barbell"

    overlap = client.post(
        url, json={"primary_muscles": ["glutes"], "secondary_muscles": ["glutes"]}, headers=coach.headers
    )
    assert overlap.status_code == 422 and overlap.json()["error"]["field"] == "secondary_muscles"
    unknown = client.post(url, json={"equipment": ["trampoline"]}, headers=coach.headers)
    assert unknown.status_code == 422 and unknown.json()["error"]["field"].startswith("equipment")
    assert "mat" in unknown.json()["error"]["allowed"]

    # on the review page: no equipment, glutes and hamstrings, the core's deep muscles beside them
    sign_in_pages(client, app, coach.user_id)
    form = {
        "checked_attributes": ["equipment", "primary_muscles", "secondary_muscles"],
        "primary_muscles": ["glutes", "hamstrings"],
        "secondary_muscles": ["transverse_abdominis"],
    }
    done = client.post(
        f"/coach/library/{entry['id']}/confirm", data=with_csrf(app, form), follow_redirects=True
    )
    assert done.status_code == 200 and "Attributes confirmed" in done.text
    assert done.text.count("Corrected ") == 3
    [item, *_] = [i for i in planned_items(client, member) if i["exercise"]["id"] == bridge]
    assert item["exercise"]["equipment"] == []
    assert item["exercise"]["primary_muscles"] == ["glutes", "hamstrings"]
    assert item["exercise"]["secondary_muscles"] == ["transverse_abdominis"]
