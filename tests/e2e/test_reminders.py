"""Reminders on SQLite and PostgreSQL: the settings (a time zone checked against zoneinfo, the
error naming the field), the calendar feed's events at the member's time in her zone with a
VALARM each, and the reminder and summary e-mails: sent by ``bumpwise mail send-due`` at their
time, once per day and week however often it runs, only to a confirmed address, each with a
one-click unsubscribe that works."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from bumpwise.persistence.models import MailSent, ReminderSettings, User
from bumpwise.services import calendar, reminders
from bumpwise.services.profiles import member_state
from cli_support import run
from websupport import ApiAccount, api_member, ctx_of, mail_outbox, plain_text, sign_in_pages, with_csrf

LONDON = ZoneInfo("Europe/London")
SETTINGS = {
    "time_zone": "Europe/London",
    "session_time": "10:15",
    "alarm_minutes_before": 30,
    "email_reminders": True,
    "weekly_summary": True,
}


def london(hour: int, minute: int) -> datetime:
    return datetime.combine(date.today(), time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def confirmed(app: FastAPI, member: ApiAccount) -> None:
    with ctx_of(app).uow() as uow:
        uow.session.execute(
            update(User).where(User.id == member.user_id).values(email_verified_at=datetime.now(UTC))
        )
        uow.commit()


def with_reminders(client: TestClient, app: FastAPI, *, confirm: bool = True) -> ApiAccount:
    member = api_member(client)
    if confirm:
        confirmed(app, member)
    answer = client.put("/api/v1/me/reminders", json=SETTINGS, headers=member.headers)
    assert answer.status_code == 200, answer.text
    return member


def _calendar_token(client: TestClient, app: FastAPI, member: ApiAccount) -> str:
    """Turn the member's calendar address on from the account page; its secret token."""
    sign_in_pages(client, app, member.user_id)
    page = client.post("/account/calendar", data=with_csrf(app)).text
    found = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", page)
    assert found
    return found.group(1)


def messages(folder: Path) -> list[EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def send_due(app: FastAPI, now: datetime) -> reminders.SendReport:
    ctx = ctx_of(app)
    secret = ctx.settings.secret_key
    return reminders.send_due(
        ctx.uow(), ctx.kb, ctx.deliver, base_url="http://testserver", secret=secret, now=now
    )


def test_a_time_zone_that_zoneinfo_does_not_know_is_refused_naming_the_field(client: TestClient) -> None:
    member = api_member(client)
    bad = client.put(
        "/api/v1/me/reminders", json={**SETTINGS, "time_zone": "Mars/Olympus"}, headers=member.headers
    )
    assert bad.status_code == 422 and "time_zone" in bad.text and "Europe/London" in bad.text
    bad = client.put(
        "/api/v1/me/reminders", json={**SETTINGS, "alarm_minutes_before": 7}, headers=member.headers
    )
    assert bad.status_code == 422 and "alarm_minutes_before" in bad.text
    assert client.get("/api/v1/me/reminders", headers=member.headers).json()["saved"] is False
    good = client.put("/api/v1/me/reminders", json=SETTINGS, headers=member.headers)
    assert good.json()["time_zone"] == "Europe/London" and good.json()["session_time"] == "10:15"


def test_the_reminders_page_saves_and_names_a_wrong_field(client: TestClient, app: FastAPI) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    form = client.get("/account/reminders")
    assert form.status_code == 200 and 'name="time_zone"' in form.text
    data = {"time_zone": "Europe/Londn", "session_time": "18:30", "alarm_minutes_before": "15"}
    refused = client.post("/account/reminders", data=with_csrf(app, data), follow_redirects=False)
    assert (
        refused.status_code == 422 and "Europe/Londn" in refused.text and "time zone" in refused.text.lower()
    )
    data = {**data, "time_zone": "America/Chicago", "weekly_summary": "on"}
    saved = client.post("/account/reminders", data=with_csrf(app, data), follow_redirects=False)
    assert saved.status_code == 303
    view = client.get("/api/v1/me/reminders", headers=member.headers).json()
    assert view["time_zone"] == "America/Chicago" and view["alarm_minutes_before"] == 15
    assert view["weekly_summary"] is True and view["email_reminders"] is False


def test_the_calendar_feed_places_sessions_at_her_time_in_her_zone_with_an_alarm_each(
    client: TestClient, app: FastAPI
) -> None:
    member = with_reminders(client, app)
    feed = client.get(f"/calendar/{_calendar_token(client, app, member)}.ics").text.replace("\r\n ", "")
    events = feed.count("BEGIN:VEVENT")
    assert events > 0 and feed.count("BEGIN:VALARM") == events
    assert feed.count("TRIGGER:-PT30M") == events and "ACTION:DISPLAY" in feed
    assert "DTSTART;TZID=Europe/London:" in feed and "T101500" in feed
    assert "BEGIN:VTIMEZONE" in feed and "TZID:Europe/London" in feed


def test_reminders_and_summaries_are_sent_at_their_time_once_with_a_working_unsubscribe(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    member = with_reminders(client, app)
    with mail_outbox(app, tmp_path):
        early = send_due(app, london(9, 30))
        assert early.sent == {"reminder": 0, "summary": 0} and messages(tmp_path) == []
        report = send_due(app, london(9, 50))
        again = send_due(app, london(11, 0))
    assert report.sent == {"reminder": 1, "summary": 1} and report.failed == 0
    assert again.sent == {"reminder": 0, "summary": 0}
    sent = messages(tmp_path)
    assert len(sent) == 2 and {m["To"] for m in sent} == {member.email}
    reminder = next(m for m in sent if m["Subject"].startswith("Today:"))
    summary = next(m for m in sent if m["Subject"].startswith("Your week"))
    text = plain_text(reminder)
    assert "/today/play" in text and "/check-in" in text and "not medical advice" in text.lower()
    assert "The last 7 days" in plain_text(summary)
    for message in sent:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = message["List-Unsubscribe"].strip("<>")
        assert link in plain_text(message)
    one_click = reminder["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    fresh = TestClient(app)  # a mail client: no session, no CSRF cookie
    assert "Stop session reminders?" in fresh.get(one_click).text
    done = fresh.post(one_click, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "unsubscribed" in done.text
    view = client.get("/api/v1/me/reminders", headers=member.headers).json()
    assert view["email_reminders"] is False and view["weekly_summary"] is True
    forged = one_click[:-4] + "0000"
    assert fresh.post(forged).status_code == 404
    with ctx_of(app).uow() as uow:
        markers = uow.session.query(MailSent).filter_by(user_id=member.user_id).all()
    assert sorted(m.kind for m in markers) == ["reminder", "summary"]


def test_an_unconfirmed_address_gets_no_mail(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    with_reminders(client, app, confirm=False)
    with mail_outbox(app, tmp_path):
        assert send_due(app, london(12, 0)).sent == {"reminder": 0, "summary": 0}
    assert messages(tmp_path) == []


def test_the_cron_command_sends_once_however_often_it_runs(
    client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    member = with_reminders(client, app)
    settings = ctx_of(app).settings
    env = {
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": settings.database_url,
        "BUMPWISE_MAIL_OUTBOX": str(tmp_path),
        "BUMPWISE_BASE_URL": "https://bumpwise.example",
    }
    now = london(10, 0).isoformat()
    first = run("mail", "send-due", "--now", now, env=env)
    assert first.returncode == 0, first.stderr
    assert "sent 1 reminder(s) and 1 weekly summary(ies)" in first.stdout
    second = run("mail", "send-due", "--now", now, env=env)
    assert "sent 0 reminder(s) and 0 weekly summary(ies)" in second.stdout
    tomorrow = run("mail", "send-due", "--now", (london(10, 0) + timedelta(days=1)).isoformat(), env=env)
    assert tomorrow.returncode == 0, tomorrow.stderr
    sent = messages(tmp_path)
    assert all(m["To"] == member.email for m in sent)
    assert 2 <= len(sent) <= 4  # tomorrow: a reminder if it has a session, a summary if it is a Monday
    assert all(m["List-Unsubscribe"].startswith("<https://bumpwise.example/unsubscribe/mail/") for m in sent)
    bad = run("mail", "send-due", "--now", "tomorrow", env=env)
    assert bad.returncode == 2 and "--now" in bad.stderr
    with ctx_of(app).uow() as uow:
        assert uow.session.get(ReminderSettings, member.user_id) is not None


def feed_days(app: FastAPI, token: str, *, server_day: date, now: datetime) -> set[date]:
    """The dates of the feed's events, the feed built at ``now`` on a server whose date is
    ``server_day`` (passed as values: nothing waits for the clock)."""
    ctx = ctx_of(app)
    body = calendar.feed(ctx.uow(), ctx.kb, token, server_day, now).decode()
    events = re.findall(r"BEGIN:VEVENT.*?END:VEVENT", body, flags=re.S)
    return {
        datetime.strptime(found, "%Y%m%d").date()
        for event in events
        for found in re.findall(r"^DTSTART[^:]*:(\d{8})", event, flags=re.M)
    }


def test_the_feed_takes_her_date_in_her_zone_not_the_servers_near_midnight(
    client: TestClient, app: FastAPI
) -> None:
    member = with_reminders(client, app)
    token = _calendar_token(client, app, member)
    ctx = ctx_of(app)
    with ctx.uow() as uow:
        this_week = member_state(uow, ctx.kb, member.user_id, date.today()).stage.week_start
    boundary = this_week + timedelta(weeks=1)
    last_week = {boundary - timedelta(days=n) for n in range(1, 8)}
    next_week = {boundary + timedelta(days=n) for n in range(7)}

    def in_zone(zone: str, now: datetime, server_day: date) -> set[date]:
        settings = {**SETTINGS, "time_zone": zone}
        answer = client.put("/api/v1/me/reminders", json=settings, headers=member.headers)
        assert answer.status_code == 200, answer.text
        return feed_days(app, token, server_day=server_day, now=now)

    # 11:00 UTC on the last day of the old week: still that day in London, but 01:00 the next
    # day in Kiritimati (UTC+14), where her new week has begun though the server's date has not.
    late = datetime.combine(boundary - timedelta(days=1), time(11, 0), tzinfo=UTC)
    london_days = in_zone("Europe/London", late, late.date())
    kiritimati = in_zone("Pacific/Kiritimati", late, late.date())
    # 08:00 UTC on the first day of the new week is still the evening before on Adak (UTC-10/-9).
    early = datetime.combine(boundary, time(8, 0), tzinfo=UTC)
    adak = in_zone("America/Adak", early, early.date())

    assert london_days and london_days <= last_week, sorted(london_days)
    assert kiritimati and kiritimati <= next_week, sorted(kiritimati)
    assert adak and adak <= last_week, sorted(adak)
