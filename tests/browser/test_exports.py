"""The weekly summary and every download, from the app's own buttons in a real browser: the bytes
are checked (PDF header, a strictly folded .ics with events, CSV headers, JSON)."""

from __future__ import annotations

import json
from pathlib import Path

from flows import ARTIFACTS, shot, sign_in
from icalendar import Calendar
from playwright.sync_api import FilePayload, Locator, Page, expect

from imagesupport import pdf_images, png_bytes

DEMO_PASSWORD = "bumpwise-demo"
EXPORTS = ARTIFACTS / "downloads"


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as info:
        link.click()
    saved = EXPORTS / info.value.suggested_filename
    info.value.save_as(saved)
    return Path(saved).read_bytes()


def assert_pdf(body: bytes) -> None:
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def assert_ics(body: bytes) -> None:
    """RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets, then an independent parse."""
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line and len(line) <= 75 for line in lines)
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    events = Calendar.from_ical(body).walk("VEVENT")
    assert events and all(e.get("DTSTART") and e.get("SUMMARY") for e in events)


def test_member_sees_the_summary_and_downloads_each_export(page: Page) -> None:
    sign_in(page, "maya@example.com", DEMO_PASSWORD)
    page.goto("/summary?weeks=6")
    expect(page.get_by_role("heading", name="Weekly summary")).to_be_visible()
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(4)
    assert all(
        src.startswith("data:image/svg+xml;base64,") for src in charts.evaluate_all("i => i.map(x => x.src)")
    )
    assert all(charts.nth(i).evaluate("i => i.complete && i.naturalWidth > 0") for i in range(4))
    expect(page.locator(".disclaimer")).to_contain_text("not medical advice")
    shot(page, "12-weekly-summary")

    assert_pdf(download(page, page.get_by_role("link", name="Download the summary (PDF)")))
    sessions = download(page, page.get_by_role("link", name="Session logs (CSV)")).decode("utf-8")
    assert sessions.splitlines()[0] == "session_date,session_kind,minutes,rpe,items_done,sets,notes"
    assert len(sessions.splitlines()) > 1
    symptoms = download(page, page.get_by_role("link", name="Symptoms (CSV)")).decode("utf-8")
    assert symptoms.splitlines()[0].startswith("reported_at,symptoms,warning_signs")
    both = json.loads(download(page, page.get_by_role("link", name="Both (JSON)")))
    assert both["session_logs"] and "symptom_reports" in both

    page.goto("/week")
    assert_pdf(download(page, page.get_by_role("link", name="Print this week (PDF)")))
    assert_ics(download(page, page.get_by_role("link", name="Add to my calendar (.ics)")))
    page.goto("/today")
    assert_pdf(download(page, page.locator("a[href^='/today.pdf']").first))


def test_coach_downloads_a_clients_exports(page: Page) -> None:
    sign_in(page, "coach@example.com", DEMO_PASSWORD)
    page.get_by_role("link", name="Maya").click()
    assert_pdf(download(page, page.get_by_role("link", name="Print this week (PDF)")))
    page.get_by_role("link", name="Weekly summary").click()
    expect(page.locator("figure.chart img")).to_have_count(4)
    assert_pdf(download(page, page.get_by_role("link", name="Download the summary (PDF)")))
    sessions = download(page, page.get_by_role("link", name="Session logs (CSV)")).decode("utf-8")
    assert sessions.startswith("session_date,")


def test_free_workout_downloads_as_pdf(page: Page) -> None:
    page.goto("/free-workout?stage=pregnant")
    page.get_by_label("or weeks pregnant").fill("24")
    page.get_by_role("button", name="Check my answers and build my workout").click()
    expect(page.get_by_role("heading", name="Your workout in pregnancy")).to_be_visible()
    assert_pdf(download(page, page.get_by_role("button", name="Download this workout (PDF)")))


def test_private_calendar_address_serves_a_feed(page: Page) -> None:
    sign_in(page, "lena@example.com", DEMO_PASSWORD)
    page.goto("/account")
    page.get_by_role("button", name="Create my calendar address").click()
    url = page.locator("#calendar-url").inner_text()
    response = page.request.get(url)
    assert response.status == 200 and response.headers["cache-control"].startswith("private")
    assert_ics(response.body())
    page.get_by_role("button", name="Turn my calendar address off").click()
    assert page.request.get(url).status == 404


def test_coach_brands_the_documents_and_the_clients_pdf_carries_the_logo(page: Page, tmp_path: Path) -> None:
    sign_in(page, "coach@example.com", DEMO_PASSWORD)
    page.goto("/account")
    branding = page.locator("#branding")
    branding.get_by_label("Colour of headings and lines").fill("#7a3b69")
    branding.get_by_label("Your logo").set_input_files(
        files=[FilePayload(name="logo.png", mimeType="image/png", buffer=png_bytes(60, 20, (20, 160, 60)))]
    )
    branding.get_by_role("button", name="Save").click()
    logo = page.locator("#branding img.brand-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("i => i.complete && i.naturalWidth === 60")
    expect(page.locator("#accent")).to_have_value("#7a3b69")
    shot(page, "13-coach-branding")

    sample = download(page, page.get_by_role("link", name="Download a sample to check how it prints (PDF)"))
    assert len(pdf_images(sample, tmp_path)) == 1
    page.goto("/coach")
    page.get_by_role("link", name="Maya").click()
    week = download(page, page.get_by_role("link", name="Print this week (PDF)"))
    assert len(pdf_images(week, tmp_path)) == 1
