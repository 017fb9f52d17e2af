"""iCalendar files checked by an independent, strict RFC 5545 reader written here (not the
icalendar library that writes them): CRLF line ends, lines of at most 75 octets, unfolding,
properties and parameters, BEGIN/END nesting, required properties, TEXT unescaping; then the
events are matched against the plan's dates, sessions and exercises."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from builders import plan_json, read_plan
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.planner import build_plan
from bumpwise.domain.profile import parse_profile
from bumpwise.exports.ical import CalendarOptions, plan_ics, subscription_feed
from bumpwise.importing import import_file
from bumpwise.importing.library import REVIEWED, planned_exercise

KB = default_knowledge()
STAMP = datetime(2026, 2, 27, 9, 30, tzinfo=UTC)
START = date(2026, 3, 2)
NAME = re.compile(r"^[A-Za-z0-9-]+$")


# --- a small strict reader ------------------------------------------------------------------


@dataclass
class Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Prop:
        found = [p for p in self.props if p.name == name]
        assert len(found) == 1, f"{self.name} needs exactly one {name}, has {len(found)}"
        return found[0]

    def has(self, name: str) -> bool:
        return any(p.name == name for p in self.props)


def unfold(data: bytes) -> list[str]:
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, "bare LF or CR"
        assert len(line) <= 75, f"line longer than 75 octets: {line[:40]!r}"
    logical: list[bytes] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def split_property(line: str) -> Prop:
    """name *(";" param) ":" value, with quoted parameter values that may hold ':' and ';'."""
    i, in_quotes = 0, False
    while i < len(line):
        if line[i] == '"':
            in_quotes = not in_quotes
        elif line[i] == ":" and not in_quotes:
            break
        i += 1
    assert i < len(line), f"no ':' in {line!r}"
    head, value = line[:i], line[i + 1 :]
    name, *raw_params = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)
    assert NAME.match(name), f"bad property name {name!r}"
    params = {}
    for raw in raw_params:
        key, _, val = raw.partition("=")
        assert NAME.match(key) and val, f"bad parameter {raw!r}"
        params[key.upper()] = val.strip('"')
    return Prop(name.upper(), params, value)


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        prop = split_property(line)
        if prop.name == "BEGIN":
            component = Component(prop.value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "only one VCALENDAR"
                root = component
            stack.append(component)
        elif prop.name == "END":
            assert stack and stack[-1].name == prop.value.upper(), f"END:{prop.value} does not close"
            stack.pop()
        else:
            assert stack, "property outside a component"
            stack[-1].props.append(prop)
    assert root is not None and not stack, "unbalanced BEGIN/END"
    assert root.name == "VCALENDAR"
    assert root.get("VERSION").value == "2.0"
    assert root.get("PRODID").value
    assert root.children, "a calendar needs at least one component"
    for event in events(root):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            event.get(required)
    return root


def events(calendar: Component) -> list[Component]:
    return [c for c in calendar.children if c.name == "VEVENT"]


def text(prop: Prop) -> str:
    """RFC 5545 TEXT: \\n, \\N, \\\\, \\; and \\, unescaped; a bare ';' or ',' would be an error."""
    out, i, value = [], 0, prop.value
    while i < len(value):
        char = value[i]
        if char == "\\":
            nxt = value[i + 1]
            assert nxt in "nN\\;,", f"bad escape \\{nxt}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        assert char not in ";," or prop.name == "CATEGORIES", f"unescaped {char!r} in {prop.name}"
        out.append(char)
        i += 1
    return "".join(out)


def when(prop: Prop) -> datetime | date:
    value = prop.value
    if prop.params.get("VALUE") == "DATE":
        return datetime.strptime(value, "%Y%m%d").date()
    moment = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    return moment.replace(tzinfo=UTC) if value.endswith("Z") else moment


def timed(prop: Prop) -> datetime:
    """A moment with a time of day, as a session's start is."""
    moment = when(prop)
    assert isinstance(moment, datetime)
    return moment


# --- the plan --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    person = parse_profile(
        {
            "stage": {"kind": "pregnant", "week": 26},
            "activity_level": "active",
            "equipment": ["dumbbells"],
            "days_per_week": 4,
            "minutes_per_session": 30,
        },
        KB,
    )
    return plan_json(build_plan(person, KB, start=START, weeks=3))


def planned(plan: dict[str, Any]) -> list[tuple[date, dict[str, Any]]]:
    return [
        (date.fromisoformat(d["date"]), s) for w in plan["weeks"] for d in w["days"] for s in d["sessions"]
    ]


def test_every_planned_session_is_an_event_on_its_day(plan: dict[str, Any]) -> None:
    calendar = parse(plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="plan-test"))
    assert calendar.get("METHOD").value == "PUBLISH"
    found = events(calendar)
    expected = planned(plan)
    assert len(found) == len(expected)
    for event, (day, session) in zip(found, expected, strict=True):
        start, end = when(event.get("DTSTART")), when(event.get("DTEND"))
        assert isinstance(start, datetime) and isinstance(end, datetime)
        assert start.date() == day
        assert end - start == timedelta(minutes=session["minutes"])
        assert text(event.get("SUMMARY")) == session["title"]
        description = text(event.get("DESCRIPTION"))
        for item in session["items"]:
            assert f"- {item['exercise']['name']}: {item['dose']['text']}" in description
        assert description.endswith(plan["disclaimer"])
        assert when(event.get("DTSTAMP")) == STAMP


def test_times_are_floating_and_a_day_s_sessions_follow_one_another(plan: dict[str, Any]) -> None:
    calendar = parse(plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="plan-test"))
    first_day = [e for e in events(calendar) if timed(e.get("DTSTART")).date() == START]
    assert first_day[0].get("DTSTART").value == "20260302T070000"
    for event in first_day:
        assert not event.get("DTSTART").params and not event.get("DTSTART").value.endswith("Z")
    for before, after in itertools.pairwise(first_day):
        assert before.get("DTEND").value == after.get("DTSTART").value


def test_uids_are_unique_and_stable(plan: dict[str, Any]) -> None:
    first = parse(plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="plan-test"))
    later = parse(plan_ics(read_plan(plan), dtstamp=STAMP + timedelta(days=3), plan_key="plan-test"))
    uids = [e.get("UID").value for e in events(first)]
    assert len(set(uids)) == len(uids)
    assert uids == [e.get("UID").value for e in events(later)]
    assert re.fullmatch(r"plan-test-20260302-0-(strength|cardio|pelvic_floor)@bumpwise", uids[0])
    assert plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="plan-test") == plan_ics(
        read_plan(plan), dtstamp=STAMP, plan_key="plan-test"
    )


def test_options_start_time_zone_and_no_pelvic_floor(plan: dict[str, Any]) -> None:
    options = CalendarOptions(start_time=time(18, 30), timezone="Europe/London", pelvic_floor=False)
    calendar = parse(plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="plan-test", options=options))
    found = events(calendar)
    assert len(found) == len([s for _, s in planned(plan) if s["kind"] != "pelvic_floor"])
    assert all(e.get("DTSTART").params == {"TZID": "Europe/London"} for e in found)
    assert found[0].get("DTSTART").value.endswith("T183000")
    assert any(c.name == "VTIMEZONE" for c in calendar.children)
    with pytest.raises(InputError) as error:
        options = CalendarOptions(timezone="Mars/Olympus")
        plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="k", options=options)
    assert error.value.field == "timezone"


def test_subscription_feed_refreshes(plan: dict[str, Any]) -> None:
    calendar = parse(subscription_feed(read_plan(plan), dtstamp=STAMP, plan_key="member-7"))
    assert calendar.get("REFRESH-INTERVAL").params == {"VALUE": "DURATION"}
    assert calendar.get("REFRESH-INTERVAL").value == "PT6H"
    assert not calendar.has("METHOD")
    assert events(calendar)[0].get("UID").value.startswith("member-7-")


def test_a_plan_without_sessions_is_one_notice() -> None:
    person = parse_profile({"stage": {"kind": "pregnant", "week": 20}, "conditions": ["preeclampsia"]}, KB)
    stopped = plan_json(build_plan(person, KB, start=START))
    headline = KB.messages.clearances[stopped["clearance"]].headline
    calendar = parse(plan_ics(read_plan(stopped), dtstamp=STAMP, plan_key="plan-test", headline=headline))
    (notice,) = events(calendar)
    assert text(notice.get("SUMMARY")) == headline
    assert notice.get("DTSTART").params == {"VALUE": "DATE"}
    assert when(notice.get("DTSTART")) == STAMP.date()
    assert stopped["next_step"].split(".")[0] in text(notice.get("DESCRIPTION"))


def test_dtstamp_and_key_are_checked(plan: dict[str, Any]) -> None:
    with pytest.raises(InputError) as error:
        plan_ics(read_plan(plan), dtstamp=datetime(2026, 1, 1), plan_key="k")
    assert error.value.field == "dtstamp"
    with pytest.raises(InputError) as error:
        plan_ics(read_plan(plan), dtstamp=STAMP, plan_key="bad key@x")
    assert error.value.field == "plan_key"


def test_the_reader_is_strict() -> None:
    with pytest.raises(AssertionError):
        parse(b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n")
    with pytest.raises(AssertionError):
        parse(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")
    with pytest.raises(AssertionError):
        text(Prop("SUMMARY", {}, "a;b"))


def test_a_coach_exercise_event_names_its_source_licence_and_author() -> None:
    """Issue 17: an imported exercise listed in a session's event carries its attribution."""
    imported = import_file(Path(__file__).resolve().parents[1] / "data" / "wger_sample.json", "wger")[0]
    confirmed = {name: getattr(imported, name) for name in REVIEWED}
    exercise = planned_exercise(
        imported.as_json(), {**confirmed, "pattern": "bridge", "position": "supine", "load": "none"}, 7
    )
    library = KB.with_exercises([exercise])
    person = parse_profile({"stage": {"kind": "pregnant", "week": 10}, "days_per_week": 4}, library)
    document = read_plan(plan_json(build_plan(person, library, start=START, weeks=1)))
    found = [
        text(e.get("DESCRIPTION")) for e in events(parse(plan_ics(document, dtstamp=STAMP, plan_key="k")))
    ]
    with_it = [d for d in found if f"- {exercise.name}:" in d]
    assert with_it, "the confirmed coach exercise is planned and listed"
    line = "From your coach's library: wger exercise 9001 by Test Coach A (wger exercise 9001, CC-BY-SA 4)"
    assert all(line in d and str(imported.licence_url) in d for d in with_it)
