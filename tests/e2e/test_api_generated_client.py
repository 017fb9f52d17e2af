"""A Python client generated from ``/api/v1/openapi.json`` by openapi-python-client (a test
dependency only, generated into a temporary folder here) calls every operation of the API, as a
visitor, a member, a coach and an admin, on both databases; every answer is read back into the
typed model the document names for it (issue 17). An operation the document describes wrongly
fails here: a missing status, an answer off its model, a parameter the server does not take."""

from __future__ import annotations

import base64
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from builders import SUMO_ATTRIBUTES
from bumpwise.importing import import_file
from bumpwise.services import admin
from dbsupport import PASSWORD, unique_email
from websupport import ctx_of, mail_outbox, mailed_token, sign_in_pages

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "bumpwise_client"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def generated(app: FastAPI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if PACKAGE in sys.modules:  # the same document for the second database
        yield sys.modules[PACKAGE]
        return
    folder = tmp_path_factory.mktemp("client")
    document = folder / "openapi.json"
    document.write_text(json.dumps(app.openapi()))
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(GENERATOR), "generate", "--path", str(document), "--meta", "none"]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


class Caller:
    """Calls generated operations by their id, as one person, and remembers which it called."""

    def __init__(self, package: ModuleType, app: FastAPI, called: set[str], token: str | None = None):
        self.package, self.called = package, called
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        http = TestClient(app, base_url="http://testserver", headers=headers)
        client_module = importlib.import_module(f"{PACKAGE}.client")
        if token is None:
            self.client = client_module.Client(base_url="http://testserver")
        else:
            self.client = client_module.AuthenticatedClient(base_url="http://testserver", token=token)
        self.client.set_httpx_client(http)

    def __call__(self, operation: str, *args: Any, status: int = 200, **kwargs: Any) -> Any:
        module = operation_modules(self.package)[operation]
        answer = module.sync_detailed(*args, client=self.client, **kwargs)
        assert answer.status_code == status, f"{operation}: {answer.status_code} {answer.content[:300]!r}"
        self.called.add(operation)
        if status == 204 or not answer.headers.get("content-type", "").startswith("application/json"):
            assert answer.content or status == 204, operation
            return answer.content
        error_model = model("Error")
        assert answer.parsed is not None and not isinstance(answer.parsed, error_model), operation
        return answer.parsed


def operation_modules(package: ModuleType) -> dict[str, ModuleType]:
    api = importlib.import_module(f"{PACKAGE}.api")
    found = {}
    for tag in pkgutil.iter_modules(api.__path__):
        tag_package = importlib.import_module(f"{PACKAGE}.api.{tag.name}")
        for operation in pkgutil.iter_modules(tag_package.__path__):
            found[operation.name] = importlib.import_module(f"{PACKAGE}.api.{tag.name}.{operation.name}")
    return found


def model(name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def sign_up(anonymous: Caller, name: str, email: str | None = None, invitation: str | None = None) -> Any:
    body = {"email": email or unique_email(name.lower()), "password": PASSWORD, "display_name": name}
    if invitation is not None:
        body["coach_invitation"] = invitation
    return anonymous("sign_up", body=model("SignUp").from_dict(body), status=201)


def test_a_generated_client_round_trips_every_operation(
    client: TestClient, app: FastAPI, generated: ModuleType, tmp_path: Path
) -> None:
    called: set[str] = set()
    visitor = Caller(generated, app, called)

    def person(signed_up: Any) -> Caller:
        return Caller(generated, app, called, signed_up.token.token)

    with mail_outbox(app, tmp_path):
        boss = sign_up(visitor, "Ada")
        admin.grant_admin(ctx_of(app).uow(), boss.user.email)
        ada = person(boss)
        coach_email, later_email = unique_email("coach"), unique_email("later")
        link = ada("invite_coach", body=model("CoachInvitationInput")(email=coach_email), status=201).link
        cara_signed = sign_up(visitor, "Cara", coach_email, link.rsplit("/", 1)[-1])
        cara = person(cara_signed)
        later_link = ada("invite_coach", body=model("CoachInvitationInput")(email=later_email), status=201)
        withdrawn = ada("invite_coach", body=model("CoachInvitationInput")(email=unique_email()), status=201)
        assert ada("open_invitations", limit=10).items
        ada("withdraw_invitation", withdrawn.details.id, status=204)
        lena_signed = sign_up(visitor, "Lena", later_email)
        lena = person(lena_signed)
        token = later_link.link.rsplit("/", 1)[-1]
        assert lena("accept_invitation", body=model("InvitationAccept")(invitation=token)).role == "coach"
        users = ada("list_users", limit=200).items
        member_again = model("RoleChange").from_dict({"role": "member"})
        assert ada("set_role", lena_signed.user.id, body=member_again).role == "member"
        assert len(users) == 3

        mia_signed = sign_up(visitor, "Mia")
        mia = person(mia_signed)
        email = mia_signed.user.email
        credentials = model("Credentials")(email=email, password=PASSWORD, name="cli")
        extra = visitor("create_token", body=credentials, status=201)
        assert mia("read_account").email == email
        renamed = mia("update_account", body=model("DetailsUpdate")(display_name="Mia B"))
        assert renamed.display_name == "Mia B"
        mia("resend_verification", status=202)
        confirmed = mailed_token(tmp_path, email, "/confirm-email/")
        assert visitor("confirm_email", body=model("EmailConfirm")(token=confirmed)).email_verified_at
        new_email = unique_email("mia")
        change = model("DetailsUpdate")(email=new_email, current_password=PASSWORD)
        mia("update_account", body=change)
        changed = mailed_token(tmp_path, new_email, "/account/email/")
        assert visitor("confirm_email_change", body=model("EmailConfirm")(token=changed)).email == new_email

        details = {
            "stage_kind": "pregnant",
            "due_date": (date.today() + timedelta(weeks=16)).isoformat(),
            "activity_level": "active",
            "equipment": ["dumbbells", "chair"],
            "days_per_week": 4,
            "minutes_per_session": 30,
        }
        mia("save_details", body=model("DetailsInput").from_dict(details))
        mia("save_screening", body=model("ScreeningInput").from_dict({}))
        assert mia("read_profile") and mia("read_screening")
        assert mia("today") and mia("week") and mia("my_summary", weeks=4)
        export_kind = model("Export")
        assert mia("my_export", export_kind("plan.ics")).startswith(b"BEGIN:VCALENDAR")
        log = {
            "session_date": date.today().isoformat(),
            "session_kind": "strength",
            "items_done": [],
            "rpe": 12,
            "minutes": 20,
        }
        mia("log_session", body=model("LogInput").from_dict(log), status=201)
        assert [entry.minutes for entry in mia("list_logs").items] == [20]
        log_id = mia("list_logs").items[0].id
        assert mia("get_log", log_id).minutes == 20
        edited = mia("edit_log", log_id, body=model("LogChange").from_dict({"minutes": 25}))
        assert edited.minutes == 25
        mia("delete_log", log_id, status=204)
        assert mia("list_logs").items == []
        reminders = {"time_zone": "Europe/Madrid", "session_time": "07:30", "alarm_minutes_before": 15}
        saved = mia("put_reminders", body=model("ReminderInput").from_dict(reminders))
        assert saved.time_zone == "Europe/Madrid"
        assert mia("get_reminders").session_time
        warning = model("CheckInInput").from_dict({"warning_signs": ["headache"]})
        warned = mia("check_in", body=warning, status=201)
        report_id = mia("list_reports").items[0].id
        assert warned and mia("resolve", report_id).resolved_at

        exercises = visitor("list_exercises", limit=5, pattern=model("Pattern")("squat"))
        assert exercises.items and all(row.pattern == "squat" for row in exercises.items)
        assert mia("read_exercise", exercises.items[0].id).verdict
        assert visitor("exercise_figure", exercises.items[0].id).startswith(b"<svg")

        invite = cara("create_invite", status=201)
        assert cara("list_invites").items
        granted = mia("grant_coach", body=model("Grant")(code=invite.code), status=201)
        assert mia("list_coaches").items
        assert [row.member_id for row in cara("roster").items] == [mia_signed.user.id]
        assert cara("client_detail", mia_signed.user.id)
        assert cara("client_summary", mia_signed.user.id)
        assert cara("client_export", mia_signed.user.id, export_kind("sessions.csv"))
        swap = model("SwapInput")(from_exercise="goblet-squat", to_exercise="chair-supported-squat")
        swapped = cara("add_swap", mia_signed.user.id, body=swap, status=201)
        cara("remove_swap", mia_signed.user.id, swapped.id, status=204)
        assert mia("audit_log").items
        branding = model("BrandingInput")(accent="#336699", logo_base64=base64.b64encode(PNG).decode())
        assert cara("update_branding", body=branding).accent == "#336699"
        assert cara("my_branding") and cara("logo") == PNG
        assert cara("sample").startswith(b"%PDF")
        page = cara("own_page")
        workout = model("FreeWorkoutInput").from_dict({"weeks": 20})
        assert visitor("build", body=workout) and visitor("build_on_coach_page", page.handle, body=workout)
        assert cara("leads_csv")
        row = model("ImportRow").from_dict({"source": "test", "source_id": "1", "name": "Sumo Deadlift"})
        assert cara("store", body=[row], status=201).stored == 1
        pending = cara("list_imports").items
        values = SUMO_ATTRIBUTES
        assert not cara("confirm", pending[0].id, body=model("ConfirmInput").from_dict(values)).review_needed
        imported = import_file(Path(__file__).resolve().parents[1] / "data" / "wger_sample.json", "wger")[0]
        assert cara("store", body=[model("ImportRow").from_dict(imported.as_json())], status=201).stored == 1
        [entry] = cara("list_library", limit=10).items
        assert entry.licence and entry.author and cara("library_entry", entry.id).name == entry.name
        checked = model("AttributeValues").from_dict({"position": "standing", "running": False})
        reviewed = cara("confirm_library_entry", entry.id, body=checked)
        assert reviewed.in_plans and "position" not in reviewed.unconfirmed
        own = model("WrittenExercise")(
            name="Wall push-up", steps=["Stand facing a wall and push away from it."]
        )
        assert cara("write_library_entry", body=own, status=201).author == "Cara"
        mia("revoke_coach", granted.id, status=204)

        sign_in_pages(client, app, mia_signed.user.id)
        [browser] = mia("list_sessions").items
        mia("end_session", browser.id, status=204)
        tokens = mia("list_tokens").items
        mia("revoke_token", next(t.id for t in tokens if t.name == "cli"), status=204)
        assert extra.token
        assert mia("export")
        change = model("PasswordChange")(current_password=PASSWORD, new_password=PASSWORD + "-new")
        mia("change_password", body=change, status=204)

        visitor("request_reset", body=model("ResetRequest")(email=later_email), status=202)
        reset = mailed_token(tmp_path, later_email, "/reset/")
        new_password = model("ResetConfirm")(token=reset, password=PASSWORD + "-reset")
        visitor("confirm_reset", body=new_password, status=204)
        cara("sign_out_everywhere", status=204)
        mia("delete_account", body=model("PasswordConfirm")(password=PASSWORD + "-new"), status=204)

    assert called == set(operation_modules(generated)), set(operation_modules(generated)) - called
