"""Printed PDFs read back with poppler (pdftotext, pdfinfo, pdftoppm from Debian's poppler-utils):
the exercise names and doses are there, the disclaimer is on every page, the page count matches,
and the first page of each document is rendered to PNG under tests/browser/artifacts/exports/
for a person to look at."""

from __future__ import annotations

import copy
import gc
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from builders import plan_json, read_plan
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.plain_words import plain_sentence
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.exports import pdf
from bumpwise.exports.branding import Branding
from bumpwise.exports.logs import parse_log
from bumpwise.exports.summary import summarize
from bumpwise.importing import import_file
from bumpwise.importing.library import planned_exercise
from bumpwise.services.free_workout import FreeWorkout

KB = default_knowledge()
ARTIFACTS = Path(__file__).resolve().parents[1] / "browser" / "artifacts" / "exports"
PROFILE = {
    "stage": {"kind": "pregnant", "week": 26},
    "conditions": ["pelvic_girdle_pain"],
    "activity_level": "active",
    "equipment": ["dumbbells", "small_ball", "chair"],
    "days_per_week": 5,
    "minutes_per_session": 30,
}
START = date(2026, 3, 2)

if shutil.which("pdftotext") is None:  # pragma: no cover - a machine set up without the Makefile
    pytest.fail(
        "pdftotext is missing: install Debian's poppler-utils (make install-system does it)",
        pytrace=False,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_of(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return [
        flat(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for n in range(1, count + 1)
    ]


def first_page_png(path: Path) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / path.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)],
        check=True,
    )
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path


def assert_disclaimer_on_every_page(pages: list[str]) -> None:
    disclaimer = flat(KB.disclaimer)
    for number, text in enumerate(pages, start=1):
        assert disclaimer in text, f"page {number} lacks the disclaimer"
        assert f"Page {number} of {len(pages)}" in text


def plan_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for w in plan["weeks"] for d in w["days"] for s in d["sessions"] for i in s["items"]]


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    """Three weeks across the start of the third trimester (stage weeks 26–28)."""
    return plan_json(build_plan(parse_profile(PROFILE, KB), KB, start=START, weeks=3, seed=1))


@pytest.fixture(scope="module")
def plan_pages(plan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    branding = Branding(coach_name="Dana Example", accent="#7a3b69")
    printed = pdf.plan_pdf(read_plan(plan), KB, branding=branding)
    path = write(tmp_path_factory.mktemp("pdf"), "plan-3-weeks", printed)
    first_page_png(path)
    return pages_of(path)


def test_plan_pdf_has_every_exercise_dose_and_the_disclaimer_on_every_page(
    plan: dict[str, Any], plan_pages: list[str]
) -> None:
    assert len(plan_pages) >= 4  # a page per week, then the exercise guide
    assert_disclaimer_on_every_page(plan_pages)
    text = " ".join(plan_pages)
    for item in plan_items(plan):
        assert item["exercise"]["name"] in text
        assert item["dose"]["text"] in text
        for change in item["modifications"]:
            assert flat(change) in text
    assert "Prepared by Dana Example" in plan_pages[0]
    assert "Week 3: week 28 of pregnancy (trimester 3)" in text
    assert "Week 28: trimester 3 begins." in text


def test_plan_pdf_weeks_start_on_their_own_page(plan_pages: list[str]) -> None:
    assert "Week 1: week 26" in plan_pages[0]
    starts = [n for n, page in enumerate(plan_pages) for w in (2, 3) if page.startswith(f"Week {w}: week")]
    assert len(starts) == 2
    assert any(page.startswith("Exercise guide") for page in plan_pages)


def test_guide_gives_each_exercise_once_with_its_cues_and_why(
    plan: dict[str, Any], plan_pages: list[str]
) -> None:
    text = " ".join(plan_pages)
    guide = text[text.index("Exercise guide") :]
    for item in plan_items(plan):
        assert flat(item["cues"]["setup"][0]) in guide
        assert flat(item["cues"]["core_and_pelvic_floor"][-1]) in guide  # every cue: 3 weeks ≤ 4
        assert flat(item["why"].split(". ")[0]) in guide
    names = {i["exercise"]["id"]: i["exercise"]["name"] for i in plan_items(plan)}
    assert len(re.findall(r"\b\d+\. ", guide)) >= len(names)


@pytest.fixture(scope="module")
def long_plan() -> dict[str, Any]:
    """Six weeks, longer than pdf.FULL_CUE_WEEKS: the guide gives the key cues and cites the rules
    behind the changes by number. Stage weeks 26–31 bring in the third-trimester rule."""
    return plan_json(build_plan(parse_profile(PROFILE, KB), KB, start=START, weeks=6, seed=1))


@pytest.fixture(scope="module")
def long_plan_pages(long_plan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    printed = pdf.plan_pdf(read_plan(long_plan), KB)
    return pages_of(write(tmp_path_factory.mktemp("pdf"), "plan-6-weeks", printed))


def test_long_plan_guide_prints_each_rule_once_and_cites_it_by_number(
    long_plan: dict[str, Any], long_plan_pages: list[str]
) -> None:
    assert_disclaimer_on_every_page(long_plan_pages)
    text = " ".join(long_plan_pages)
    rules = text[text.index("Rules behind the exercises") :]
    numbers: dict[str, int] = {}
    for item in plan_items(long_plan):
        for reason in item["reasons"]:
            numbers.setdefault(reason["rule"], len(numbers) + 1)
    assert len(numbers) >= 3
    texts = {r["rule"]: r["text"] for i in plan_items(long_plan) for r in i["reasons"]}
    for rule, number in numbers.items():
        assert f"{number}. {flat(texts[rule])}" in rules
        assert rules.count(flat(texts[rule])) == 1, f"rule {number} is printed more than once"
    for item in plan_items(long_plan):
        assert flat(item["cues"]["setup"][0]) in rules  # the key cue of each kind
        assert flat(item["why"].split(". ")[0]) in rules  # the why, without the rule's text
        if item["substituted_for"]:
            original = KB.exercises[item["substituted_for"]].name
            number = numbers[item["reasons"][0]["rule"]]
            assert re.search(rf"In place of [^()]*{re.escape(original)}[^()]* \(rule {number}\)", rules)
        else:  # every item names its rules, "allowed as written" included (issue 12 point 9)
            cited = re.escape(str(numbers[item["reasons"][0]["rule"]]))
            assert re.search(rf"Rules: rules? (\d+, )*(\d+ and )?{cited}\b", rules)
    assert "In place of" in rules and "Rules: rule" in rules


def test_long_plan_prints_a_change_and_a_note_once(
    long_plan: dict[str, Any], long_plan_pages: list[str]
) -> None:
    """A change made to an exercise in several weeks is printed once, with the weeks; a note
    every week has is printed once, on the first page, not on each week's page."""
    text = " ".join(long_plan_pages)
    guide = text[text.index("Rules behind the exercises") :]
    done_as: dict[str, set[tuple[str, str]]] = {}
    for item in plan_items(long_plan):
        for change in item["modifications"]:
            done_as.setdefault(change, set()).add((item["exercise"]["id"], item["exercise"]["name"]))
    unhyphenated = guide.replace("-", "")  # pdftotext joins "hip-" + "width" at a line end
    for change, exercises in done_as.items():
        assert unhyphenated.count(flat(change).replace("-", "")) == len(exercises), change
    assert re.search(r"Change \(weeks \d+[–,]", guide)
    weeks = long_plan["weeks"]
    every_week = [n for n in weeks[0]["notes"] if all(n in w["notes"] for w in weeks)]
    assert every_week
    for note in every_week:  # printed in plain words ("pull vertical" is "pull-down")
        assert text.count(flat(plain_sentence(note))) == 1
        assert flat(plain_sentence(note)) in long_plan_pages[0]
    for note in {n for w in weeks for n in w["notes"]} - set(every_week):
        assert flat(plain_sentence(note)) in text


def test_guide_prints_each_forms_own_cues(plan: dict[str, Any]) -> None:
    """A form of an exercise with cues of its own (a variant) gets them in the guide, under its
    weeks, instead of the first form's."""
    changed = copy.deepcopy(plan)
    first, last = changed["weeks"][0], changed["weeks"][-1]
    earlier = {i["exercise"]["id"] for d in first["days"] for s in d["sessions"] for i in s["items"]}
    item = next(
        i for d in last["days"] for s in d["sessions"] for i in s["items"] if i["exercise"]["id"] in earlier
    )
    first_setup = item["cues"]["setup"][0]
    item["cues"] = {**item["cues"], "setup": ["Sit back against a firm wedge.", *item["cues"]["setup"][1:]]}
    html = pdf.plan_html(read_plan(changed), KB)
    guide = html[html.index("Exercise guide") :]
    assert "Sit back against a firm wedge." in guide
    assert str(escape(first_setup)) in guide
    name = re.escape(str(escape(item["exercise"]["name"])))
    assert re.search(rf"Done as {name} in weeks? [^<]*{last['week']}\.", guide)


def test_a_one_exercise_session_prints_its_title_once(plan: dict[str, Any], plan_pages: list[str]) -> None:
    """ "Cardio: Walking, 30 min [13]", not "Cardio: Walking, 30 min: Walking 30 min [13]"."""
    text = " ".join(plan_pages)
    sessions = [s for w in plan["weeks"] for d in w["days"] for s in d["sessions"] if s["kind"] == "cardio"]
    assert sessions
    for session in sessions:
        (item,) = session["items"]
        title = plain_sentence(session["title"])
        assert re.search(rf"{re.escape(title)}, {session['minutes']} min \[\d+\*?\]", text)
        assert f"{title}, {session['minutes']} min: {item['exercise']['name']}" not in text


def test_dates_and_lists_in_words() -> None:
    assert pdf.format_span("2026-03-02", "2026-03-08") == "Monday 2 to Sunday 8 March 2026"
    assert pdf.format_span("2026-03-30", "2026-04-05") == "Monday 30 March to Sunday 5 April 2026"
    assert pdf.format_span("2026-12-28", "2027-01-03") == "Monday 28 December 2026 to Sunday 3 January 2027"
    assert pdf.format_day("2026-03-02", year=False) == "Monday 2 March"
    assert pdf.and_list([4]) == "4"
    assert pdf.and_list([1, 4, 7]) == "1, 4 and 7"


def test_rendering_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    pdf.html_to_pdf("<p>x</p>")
    assert gc.isenabled()
    gc.disable()
    try:
        pdf.html_to_pdf("<p>x</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_unwritable_template_cache_is_skipped(tmp_path: Path) -> None:
    from jinja2.bccache import Bucket

    cache = pdf._BytecodeCache(str(tmp_path / "missing"))
    bucket = Bucket(pdf._environment(), "key", "checksum")
    bucket.code = compile("x = 1", "<template>", "exec")
    cache.dump_bytecode(bucket)  # no folder to write to: nothing written, no error
    assert not (tmp_path / "missing").exists()


def test_one_session_prints_every_item_in_full(plan: dict[str, Any], tmp_path: Path) -> None:
    path = write(tmp_path, "session", pdf.session_pdf(read_plan(plan), KB, on=START, index=0))
    first_page_png(path)
    pages = pages_of(path)
    assert_disclaimer_on_every_page(pages)
    text = " ".join(pages)
    session = plan["weeks"][0]["days"][0]["sessions"][0]
    assert plain_sentence(session["title"]) in pages[0]
    unhyphenated = text.replace("-", "")  # pdftotext drops a hyphen where a line wraps at it
    for item in session["items"]:
        assert item["exercise"]["name"] in text
        assert item["dose"]["text"] in text
        for group in item["cues"].values():
            for cue in group:
                assert flat(cue).replace("-", "") in unhyphenated
        assert flat(item["why"]).replace("-", "") in unhyphenated


def test_a_week_of_a_plan(plan: dict[str, Any], tmp_path: Path) -> None:
    pages = pages_of(write(tmp_path, "week", pdf.plan_pdf(read_plan(plan), KB, weeks=[2])))
    text = " ".join(pages)
    assert "Your week" in pages[0]
    assert "Week 2: week 27 of pregnancy" in text
    assert "Week 1: week 26" not in text
    with pytest.raises(InputError) as error:
        pdf.plan_html(read_plan(plan), KB, weeks=[9])
    assert error.value.field == "week"


def test_free_workout(plan: dict[str, Any], tmp_path: Path) -> None:
    sessions = plan["weeks"][0]["days"][0]["sessions"][:1]
    workout = {
        "stage": "Week 26 of pregnancy (trimester 2)",
        "stage_kind": "pregnant",
        "clearance": "cleared",
        "headline": "You are cleared for exercise",
        "next_step": "Follow your plan.",
        "reasons": plan["reasons"],
        "sessions": sessions,
        "lead_saved": False,
        "disclaimer": plan["disclaimer"],
    }
    printed = pdf.free_workout_pdf(FreeWorkout.model_validate(workout), KB)
    path = write(tmp_path, "free-workout", printed)
    first_page_png(path)
    pages = pages_of(path)
    assert_disclaimer_on_every_page(pages)
    assert "Your pregnancy workout" in pages[0]
    text = " ".join(pages)
    for item in sessions[0]["items"]:
        assert item["exercise"]["name"] in text and item["dose"]["text"] in text


def test_not_cleared_prints_what_to_do_instead(tmp_path: Path) -> None:
    person = parse_profile({"stage": {"kind": "pregnant", "week": 20}, "conditions": ["preeclampsia"]}, KB)
    stopped = plan_json(build_plan(person, KB, start=START))
    pages = pages_of(write(tmp_path, "not-cleared", pdf.plan_pdf(read_plan(stopped), KB)))
    assert len(pages) == 1
    assert_disclaimer_on_every_page(pages)
    assert KB.messages.clearances[stopped["clearance"]].headline in pages[0]
    assert flat(stopped["next_step"]) in pages[0]


def test_summary_pdf_with_charts(tmp_path: Path) -> None:
    from test_export_summary import LOG

    summary = summarize(parse_log(LOG, KB), KB)
    path = write(tmp_path, "summary", pdf.summary_pdf(summary, KB))
    first_page_png(path)
    pages = pages_of(path)
    assert_disclaimer_on_every_page(pages)
    text = " ".join(pages)
    assert "Warning sign reported on 26 March 2026" in pages[0]
    assert "Trimester 3 begins on Monday 16 March" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
    assert "Moderate activity, minutes per week" in text  # the charts' titles are drawn as text
    assert images.returncode == 0


def test_html_fetches_nothing_and_escapes_input(plan: dict[str, Any]) -> None:
    hostile = {**plan, "reasons": [{**plan["reasons"][0], "text": "<script>alert(1)</script>"}]}
    html = pdf.plan_html(read_plan(hostile), KB, branding=Branding(coach_name="<b>Coach</b>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Coach&lt;/b&gt;" in html
    assert not re.search(r"""(?:src|href)=["'](?!#|data:)""", html)


def test_partials_work_in_another_environment(plan: dict[str, Any]) -> None:
    """The web app adds the print templates to its own Jinja environment."""
    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

    env = Environment(
        loader=ChoiceLoader(
            [
                DictLoader(
                    {
                        "page.html": '{% import "print/_plan.html" as printable %}'
                        "{{ printable.session_full(session) }}"
                    }
                ),
                FileSystemLoader(pdf.template_dir()),
            ]
        ),
        autoescape=True,
    )
    pdf.register_filters(env, KB)
    session = plan["weeks"][0]["days"][0]["sessions"][0]
    html = env.get_template("page.html").render(session=session)
    assert session["items"][1]["exercise"]["name"] in html


def test_summary_pdf_shows_completion_streak_and_marked_weeks(tmp_path: Path) -> None:
    from test_export_summary import LOG, PLANNED, plan_of

    summary = summarize(parse_log(LOG, KB), KB, plan=plan_of(PLANNED))
    path = write(tmp_path, "summary-progress", pdf.summary_pdf(summary, KB))
    first_page_png(path)
    text = " ".join(pages_of(path))
    assert "Progress against the plan" in text
    assert "Planned sessions done 16 of 17 (94%) over these weeks" in text
    assert "Plan streak 1 week (longest here: 2)" in text
    assert "every session your plan set for that week was done" in text
    assert "145 ▼ low" in text and "✓ all done" in text  # the table's marks, in words
    assert "▼ low: under 150 (in red)" in text  # the chart legend, drawn as text
    assert text.count("▼ low") >= 3 + 3 + 2  # table, minutes chart axis, strength chart axis


SAFE_BRIDGE: dict[str, str | bool] = {
    "pattern": "bridge", "position": "supine", "asymmetric_lower_body": False, "wide_stance": False,
    "impact": "low", "spinal_flexion": False, "load": "none", "abdominal_pressure": "low",
    "balance_demanding": False, "high_effort": False, "running": False, "presses_on_abdomen": False,
}  # fmt: skip


def test_a_coach_exercise_prints_its_source_licence_and_author(tmp_path: Path) -> None:
    """Issue 17: licence and author travel with an imported exercise wherever it is shown, the
    printed plan (its guide) and a printed session included."""
    imported = import_file(Path(__file__).resolve().parents[1] / "data" / "wger_sample.json", "wger")[0]
    exercise = planned_exercise(imported.as_json(), SAFE_BRIDGE, 7)
    library = KB.with_exercises([exercise])
    person = parse_profile({**PROFILE, "stage": {"kind": "pregnant", "week": 10}}, library)
    document = read_plan(plan_json(build_plan(person, library, start=START, weeks=1, seed=1)))
    days = [(day.date, i) for day in document.weeks[0].days for i, s in enumerate(day.sessions)
            if any(item.exercise.id == exercise.id for item in s.items)]  # fmt: skip
    assert days, "the confirmed coach exercise is planned"
    printed = {
        "plan": pdf.plan_pdf(document, library),
        "session": pdf.session_pdf(document, library, on=days[0][0], index=days[0][1]),
    }
    for name, data in printed.items():
        pages = pages_of(write(tmp_path, f"coach-{name}", data))
        assert_disclaimer_on_every_page(pages)
        text = flat(" ".join(pages))
        assert exercise.name in text, name
        assert "wger exercise 9001" in text and imported.attribution in text, name
        assert "licence CC-BY-SA 4" in text and str(imported.licence_url) in text.replace(" ", ""), name


@pytest.mark.parametrize("seed", [1, 10])
def test_a_session_printed_in_full_prints_each_cue_once_and_on_one_page(seed: int, tmp_path: Path) -> None:
    """Plans vary by seed, and so does where a page ends. With these, the cues' columns once fell
    across a page end: a cue came out in two pieces (seed 10) or twice over (both)."""
    profile = {
        "stage": {"kind": "pregnant", "week": 24},
        "activity_level": "active",
        "equipment": ["dumbbells", "chair"],
        "days_per_week": 4,
        "minutes_per_session": 30,
    }
    plan = plan_json(build_plan(parse_profile(profile, KB), KB, start=START, weeks=1, seed=seed))
    printed = pdf.session_pdf(read_plan(plan), KB, on=START, index=0)
    pages = [page.replace("-", "") for page in pages_of(write(tmp_path, "session", printed))]
    assert len(pages) > 1
    session = plan["weeks"][0]["days"][0]["sessions"][0]
    cues = [flat(c).replace("-", "") for i in session["items"] for group in i["cues"].values() for c in group]
    whys = [flat(item["why"]).replace("-", "") for item in session["items"]]
    for text in [*cues, *whys]:
        assert any(text in page for page in pages), f"split across pages: {text}"
        printed_times = sum(page.count(text) for page in pages)
        assert printed_times == sum(other.count(text) for other in [*cues, *whys]), f"printed twice: {text}"
