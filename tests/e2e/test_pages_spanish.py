"""Spanish end to end (issue 19): a member who chose Spanish reads her pages, a PDF, her calendar
and her e-mails in Spanish, and the CLI speaks Spanish with --lang es / BUMPWISE_LANG=es. The
knowledge text is translated by the overlays (tests/unit/test_overlays.py); here the words
bumpwise writes itself, from the catalog, and dates localised by Babel."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from builders import pregnant, profile
from bumpwise.persistence.models import AuditEntry
from cli_support import run, write
from websupport import (
    api_admin,
    api_member,
    api_sign_up,
    ctx_of,
    mail_outbox,
    sent_mail,
    sign_in_pages,
    with_csrf,
)

ENGLISH_UI = ("Sign out", "How to do it", "Why:", "Check in", "Today's session", "Rules applied:", "Week")
SPANISH_DAY = re.compile(r"\b(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+\b")


def spanish_member(client: TestClient, app: FastAPI) -> int:
    member = api_member(client, name="Lucía")
    response = client.patch("/api/v1/me", json={"language": "es"}, headers=member.headers)
    assert response.status_code == 200
    sign_in_pages(client, app, member.user_id)
    return member.user_id


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_a_spanish_members_pages_are_in_spanish(client: TestClient, app: FastAPI) -> None:
    spanish_member(client, app)
    english_browser = {"Accept-Language": "en-GB,en"}
    today = client.get("/today", headers=english_browser).text
    assert '<html lang="es">' in today
    text = visible(today)
    for words in ("Hoy", "Cerrar sesión", "Cómo se hace", "Por qué:", "Revisión previa", "Preparación"):
        assert words in text, words
    assert SPANISH_DAY.search(text), "the day is written the Spanish way"
    week = visible(client.get("/week", headers=english_browser).text)
    assert "Imprimir esta semana (PDF)" in week and "Esta semana" in week
    for page in (today, week, client.get("/check-in").text, client.get("/account").text):
        shown = visible(page)
        for english in ENGLISH_UI:
            assert not re.search(rf"(?<![\w/]){re.escape(english)}(?![\w])", shown), english


def test_a_spanish_members_pdf_is_in_spanish(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    spanish_member(client, app)
    response = client.get("/week.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "week.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo)", text), text[:500]
    assert "semana" in text and "repeticiones" in text
    response = client.get("/today.pdf?session=0")
    assert response.status_code == 200
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "esfuerzo: moderado" in text, text[:800]  # the effort's label is a key in the plan
    assert not re.search(r"\b(moderate|gentle)\b", text), text[:800]


def test_a_spanish_members_calendar_is_in_spanish_without_asking(client: TestClient, app: FastAPI) -> None:
    spanish_member(client, app)
    page = client.post("/account/calendar", data=with_csrf(app)).text
    path = re.search(r"/calendar/[A-Za-z0-9_-]+\.ics", page)
    assert path, "the calendar address is shown"
    client.cookies.clear()  # a calendar app: no session, no Accept-Language
    feed = client.get(path.group(0)).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert "Unos " in unfolded and "minutos" in unfolded, unfolded[:800]
    assert "About " not in unfolded


def test_mail_follows_the_language_of_the_request(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    member = api_member(client)
    email = client.get("/api/v1/me", headers=member.headers).json()["email"]
    with mail_outbox(app, tmp_path) as outbox:
        client.post("/api/v1/auth/password-reset", json={"email": email}, headers={"Accept-Language": "es"})
        mails = [body for to, body in sent_mail(outbox) if to == email]
    assert mails and "Alguien ha pedido restablecer la contraseña" in mails[-1]


def test_the_cli_speaks_spanish(tmp_path: Path) -> None:
    demo = run("--lang", "es", "demo")
    assert demo.returncode == 0, demo.stderr
    assert "demostración de bumpwise" in demo.stdout and "Lee esto" in demo.stdout
    data = profile(stage=pregnant(24), equipment=["dumbbells", "chair"], days_per_week=3)
    plan = run("plan", write(tmp_path, data), "--start", "2025-01-06", env={"BUMPWISE_LANG": "es"})
    assert plan.returncode == 0, plan.stderr
    for words in ("Semana 1", "Lunes", "repeticiones", "Reglas:", "fuentes:", "Lee esto"):
        assert words in plan.stdout, words
    english = run("plan", write(tmp_path, data), "--start", "2025-01-06")
    assert "Week 1" in english.stdout and "Semana 1" not in english.stdout


def test_error_messages_follow_the_language(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    spanish = {**member.headers, "Accept-Language": "es"}
    missing = client.get("/api/v1/me/logs/999999", headers=spanish)
    assert missing.status_code == 404, missing.text
    assert missing.json()["error"]["message"] == "no hay ningún registro de sesión con este id"
    english = client.get("/api/v1/me/logs/999999", headers=member.headers)
    assert english.json()["error"]["message"] == "no session log with this id"
    sign_in_pages(client, app, member.user_id)
    page = client.post(
        "/account/email",
        data=with_csrf(app, {"email": "new@example.org", "current_password": "not it at all"}),
        headers={"Accept-Language": "es"},
    )
    assert "la contraseña actual no es correcta" in page.text.lower()


def test_error_messages_with_values_follow_the_language(client: TestClient) -> None:
    """A message built with values (a catalog id and its values) is answered in the request's
    language; the field name and the value typed stay as they are."""
    coach = api_sign_up(client, "coach", "Cora")
    spanish = {**coach.headers, "Accept-Language": "es"}
    refused = client.put("/api/v1/coach/branding", json={"accent": "pink"}, headers=spanish)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "accent"
    assert error["message"] == "'pink' no es un color con la forma #rgb o #rrggbb", error
    english = client.put("/api/v1/coach/branding", json={"accent": "pink"}, headers=coach.headers)
    assert english.json()["error"]["message"] == "'pink' is not a colour in the form #rgb or #rrggbb"


COACH_ENGLISH = (
    "Your clients", "Invite a client", "Swap an exercise", "Session logs", "Your exercise library",
    "Import exercises", "Imported exercises to review", "Your articles", "Write an article", "Warning sign",
    "Has not finished", "Not confirmed", "Safety attributes", "Next", "Previous", "Accounts", "Role",
)  # fmt: skip


def test_a_spanish_coachs_pages_are_in_spanish(client: TestClient, app: FastAPI) -> None:
    coach, member = api_sign_up(client, "coach", "Cora"), api_member(client, name="Lucía")
    assert client.patch("/api/v1/me", json={"language": "es"}, headers=coach.headers).status_code == 200
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    client.post("/api/v1/me/symptoms", json={"warning_signs": ["headache"]}, headers=member.headers)
    sign_in_pages(client, app, coach.user_id)
    steps = "Stand on both feet, hip-width apart.\nBend the knees, then stand up."
    written = client.post(
        "/coach/library/write", data=with_csrf(app, {"name": "Sentadilla de Cora", "steps": steps})
    )
    assert written.status_code == 200
    english_browser = {"Accept-Language": "en-GB,en"}
    expected = {
        "/coach": (
            "Tus clientes",
            "Invitar a un cliente",
            "Señal de alarma comunicada",
            "Plan en pausa",
            "1 cliente.",
        ),
        f"/coach/clients/{member.user_id}": (
            "← Todos los clientes",
            "Cambiar un ejercicio",
            "Registros de sesiones",
        ),
        "/coach/library": ("Tu biblioteca de ejercicios", "Importar ejercicios", "Escrito por ti"),
        str(written.url.path): ("Atributos de seguridad", "Lo he revisado", "Patrón de movimiento"),
        "/coach/imports": ("Ejercicios importados por revisar", "Cómo llegan aquí los ejercicios"),
        "/coach/articles": ("Tus artículos", "Escribir un artículo", "Embarazo", "Después del parto"),
    }
    for path, words in expected.items():
        page = client.get(path, headers=english_browser)
        assert page.status_code == 200 and '<html lang="es">' in page.text, path
        shown = visible(page.text)
        for spanish in words:
            assert spanish.lower() in shown.lower(), (path, spanish)
        for english in COACH_ENGLISH:
            assert not re.search(rf"(?<![\w/]){re.escape(english)}(?![\w])", shown), (path, english)


def test_a_spanish_admins_page_is_in_spanish(client: TestClient, app: FastAPI) -> None:
    admin = api_admin(client)
    assert client.patch("/api/v1/me", json={"language": "es"}, headers=admin.headers).status_code == 200
    api_member(client, name="Lucía")
    sign_in_pages(client, app, admin.user_id)
    page = client.get("/admin", headers={"Accept-Language": "en-GB,en"})
    assert page.status_code == 200 and 'class="wide"' in page.text  # a class, not a word
    shown = visible(page.text)
    assert "Invitar a un entrenador" in shown and "miembro" in shown and "administrador" in shown
    for english in COACH_ENGLISH:
        assert not re.search(rf"(?<![\w/]){re.escape(english)}(?![\w])", shown), english


def test_a_spanish_members_audit_log_is_in_spanish(client: TestClient, app: FastAPI) -> None:
    """Lines written since events are kept read in her language, exercise names from the Spanish
    knowledge; a line stored before (English text, no event) still shows its English."""
    coach, member = api_sign_up(client, "coach", "Cora"), api_member(client, name="Lucía")
    assert client.patch("/api/v1/me", json={"language": "es"}, headers=member.headers).status_code == 200
    code = client.post("/api/v1/coach/invites", headers=coach.headers).json()["code"]
    assert client.post("/api/v1/me/coaches", json={"code": code}, headers=member.headers).status_code == 201
    old = "viewed your plan (a line written before events were kept)"
    with ctx_of(app).uow() as uow:
        at = datetime(2026, 11, 1, tzinfo=UTC)
        uow.session.add(
            AuditEntry(member_id=member.user_id, actor_id=coach.user_id, actor_name="Cora", action=old, at=at)
        )
        uow.commit()
    swap = {"from_exercise": "goblet-squat", "to_exercise": "chair-supported-squat"}
    swapped = client.post(f"/api/v1/coach/clients/{member.user_id}/swaps", json=swap, headers=coach.headers)
    assert swapped.status_code == 201, swapped.text
    assert client.get(f"/api/v1/coach/clients/{member.user_id}", headers=coach.headers).status_code == 200
    assert (
        client.get(
            f"/api/v1/coach/clients/{member.user_id}/exports/sessions.csv", headers=coach.headers
        ).status_code
        == 200
    )
    lines = [
        "cambió Sentadilla goblet por Sentadilla con apoyo en una silla en tu plan",
        "vio tu perfil, tu plan, tus registros de sesiones y tus síntomas",
        "descargó tu archivo sessions.csv",
        old,
    ]
    sign_in_pages(client, app, member.user_id)
    shown = " ".join(visible(client.get("/account/audit", headers={"Accept-Language": "en"}).text).split())
    api = client.get("/api/v1/me/audit", headers=member.headers).json()["items"]
    for line in lines:
        assert line in shown, line
    assert [item["action"] for item in api[-1:]] == [old]
    assert {item["action"] for item in api} >= set(lines[:2])
    assert "swapped" not in shown and "viewed your profile" not in shown
    # the stored English stays beside the event (the export keeps both)
    with ctx_of(app).uow() as uow:
        stored = uow.coaching.audit_of(member.user_id)
        assert "swapped Goblet squat for Chair-supported squat in your plan" in {e.action for e in stored}
        assert {e.event["kind"] for e in stored if e.event} >= {"swapped", "client_detail", "downloaded"}


def test_a_spanish_coach_reads_the_importers_evidence_in_spanish(client: TestClient, app: FastAPI) -> None:
    """The review page words the importer's evidence in Spanish around the source's own words; in
    English it shows the lines as stored, ids in plain words."""
    coach = api_sign_up(client, "coach", "Cora")
    assert client.patch("/api/v1/me", json={"language": "es"}, headers=coach.headers).status_code == 200
    sign_in_pages(client, app, coach.user_id)
    steps = "Stand on both feet, hip-width apart.\nBend the knees, sit the hips back and down, then stand up."
    written = client.post(
        "/coach/library/write", data=with_csrf(app, {"name": "Cora's squat", "steps": steps})
    )
    assert written.status_code == 200
    shown = visible(client.get(written.url.path, headers={"Accept-Language": "en"}).text)
    for spanish in (
        'paso 1 "stand" → de pie +2.0',
        'nombre "squat" → sentadilla +4.5',
        "sin pistas en el texto; valor por defecto: no",
        "(solo el peso del cuerpo)",
    ):
        assert spanish in shown.replace("&#34;", '"'), spanish
    for english in ("no cue; default", "step 1", "body weight only"):
        assert english not in shown, english
    assert client.patch("/api/v1/me", json={"language": "en"}, headers=coach.headers).status_code == 200
    english_page = client.get(written.url.path).text.replace("&#34;", '"')
    assert 'step 1 "stand" → standing +2.0' in english_page and "no cue; default no" in english_page
