"""Printable workouts and summaries: HTML from the Jinja templates in ``templates/print``, then a
PDF by WeasyPrint (A4, the disclaimer in a running footer on every page, page numbers).

Everything takes the typed plan contract (``Plan.document()``, a stored plan, the free workout's
sessions, ``Summary``), so the CLI and the web app print the same thing. ``*_html`` functions return the
document as HTML; ``*_pdf`` functions return PDF bytes. WeasyPrint is imported only inside
``html_to_pdf`` (about 0.5 s), and it fetches nothing: the only URLs it may open are ``data:``
ones (the logo and the charts are embedded).

The web app can reuse the partials: add ``template_dir()`` to its loader, call
``register_filters(env, kb)``, then ``{% import "print/_plan.html" as printable %}``.
"""

from __future__ import annotations

import base64
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from bumpwise.domain.contract import PlanDay, PlanDocument, PlanItem, PlanReason, PlanSession, PlanWeek
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plain_words import plain_sentence
from bumpwise.exports.branding import Branding

if TYPE_CHECKING:  # the charts and the summary are imported when a summary is printed
    from bumpwise.exports.charts import Chart
    from bumpwise.exports.summary import Summary

Json = Mapping[str, Any]


class FreeWorkoutPrint(Protocol):
    """The free workout to print (``services.free_workout.FreeWorkout``): besides these, the
    template reads its ``clearance``, ``headline`` and ``next_step``."""

    stage: str
    reasons: tuple[PlanReason, ...]
    sessions: tuple[PlanSession, ...]
    disclaimer: str


FULL_CUE_WEEKS = 4
"""Longer plans print the key cue of each kind in the guide and cite the rules behind the
changes by their number (each rule's text is printed once, above the entries), so the document
stays short and quick to make; a one-week print has every cue."""


def template_dir() -> Path:
    return Path(str(files("bumpwise.exports") / "templates"))


def print_css_path() -> Path:
    return template_dir() / "print" / "print.css"


# --- the Jinja environment -------------------------------------------------------------------


def register_filters(env: Environment, kb: KnowledgeBase) -> None:
    """The filters and globals the print templates use; safe to add to the web app's environment
    (every name starts with ``bw_``)."""
    _add_filters(env)
    env.globals.update(_globals(kb))


def _globals(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "bw_exercise_name": lambda exercise_id: _exercise_name(kb, exercise_id),
        "bw_term_name": lambda term_id: _term_name(kb, term_id),
        "bw_figure": lambda exercise_id, applied=(): _figure_uri(kb, exercise_id, applied),
    }


def _figure_uri(kb: KnowledgeBase, exercise_id: str, applied: Sequence[str]) -> str:
    """The exercise's figure as a still (start and end side by side), as a ``data:`` URL; empty for
    an exercise outside the library or from a coach's library. Drawn without a bump: the printout
    may span many weeks."""
    exercise = kb.exercises.get(exercise_id)
    if exercise is None or exercise.attribution is not None:
        return ""  # a coach's exercise has no drawing; its steps and attribution print instead
    from bumpwise.figures import default_figures, figure_svg

    key = default_figures().drawn_variant(exercise_id, applied)
    return svg_data_uri(figure_svg(exercise, exercise.variant(key) if key else None, None, animated=False))


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    _add_filters(env)
    return env


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiling the print templates takes about 0.1 s, a fresh cost in every ``bumpwise export
    pdf`` process; Jinja keeps the compiled code in the user's private temporary folder
    (``_jinja2-cache-UID``, checked against each template's source). A cache that cannot be
    written is skipped."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> BytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no safe, writable temporary folder
        return None


def _add_filters(env: Environment) -> None:
    env.filters["bw_day"] = format_day
    env.filters["bw_span"] = format_span
    env.filters["bw_words"] = words
    env.filters["bw_plain"] = plain_sentence
    env.filters["bw_without_prefix"] = without_prefix
    env.filters["bw_and"] = and_list


def format_day(value: date | str, short: bool = False, year: bool = True) -> str:
    """``Monday 2 March 2026``; ``Mon 2 Mar`` when short; ``Monday 2 March`` without the year."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if short:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day:%A} {day.day} {day:%B %Y}" if year else f"{day:%A} {day.day} {day:%B}"


def format_span(start: date | str, end: date | str) -> str:
    """``Monday 2 to Sunday 8 March 2026``, ``Monday 30 March to Sunday 5 April 2026``; the year
    is given once unless the span crosses it."""
    first, last = (date.fromisoformat(d) if isinstance(d, str) else d for d in (start, end))
    if first.year != last.year:
        return f"{format_day(first)} to {format_day(last)}"
    if first.month != last.month:
        return f"{format_day(first, year=False)} to {format_day(last)}"
    return f"{first:%A} {first.day} to {format_day(last)}"


def without_prefix(name: str, title: str) -> str:
    """``Pelvic floor quick flicks`` under the title ``Pelvic floor`` → ``quick flicks``."""
    if name.lower().startswith(title.lower() + " ") and len(name) > len(title) + 1:
        return name[len(title) + 1 :]
    return name


def and_list(values: Iterable[object]) -> str:
    """[1, 4, 7] → "1, 4 and 7"."""
    texts = [str(v) for v in values]
    return f"{', '.join(texts[:-1])} and {texts[-1]}" if len(texts) > 1 else "".join(texts)


def words(value: object) -> str:
    return str(value).replace("_", " ").replace("-", " ")


def _term_name(kb: KnowledgeBase, term_id: str) -> str:
    term = kb.warning_signs.get(term_id) or kb.symptoms.get(term_id)
    return term.name if term is not None else words(term_id)


def _exercise_name(kb: KnowledgeBase, exercise_id: str) -> str:
    exercise = kb.exercises.get(exercise_id)
    return exercise.name if exercise is not None else words(exercise_id)


# --- documents -------------------------------------------------------------------------------


def plan_html(
    plan: PlanDocument,
    kb: KnowledgeBase,
    *,
    branding: Branding | None = None,
    weeks: Sequence[int] | None = None,
) -> str:
    """A week plan or a multi-week plan: a schedule per week, then each exercise in full once.
    ``weeks`` picks week numbers (1-based, as in the plan's ``week`` field); default all."""
    chosen = _weeks(plan, weeks)
    long_plan = len(chosen) > FULL_CUE_WEEKS
    guide, numbers, rules = _guide(chosen, key_cues=long_plan)
    title = "Your week" if len(chosen) == 1 else f"Your {len(chosen)}-week plan"
    subtitle = _plan_subtitle(plan, chosen)
    return _render(
        "plan.html",
        kb,
        branding,
        title=title,
        subtitle=subtitle,
        disclaimer=plan.disclaimer,
        plan=plan,
        weeks=chosen,
        guide=guide,
        numbers=numbers,
        rules=rules,
        long_plan=long_plan,
        shared_notes=_shared_notes(chosen),
        headline=kb.messages.clearances[plan.clearance].headline,
        cited=_cited(kb, [*plan.reasons, *plan.requirements, *rules]),
    )


def session_html(
    plan: PlanDocument, kb: KnowledgeBase, *, on: date, index: int = 0, branding: Branding | None = None
) -> str:
    """One planned session (the ``index``-th of the day ``on``), every exercise in full."""
    week, day, session = find_session(plan, on, index)
    return _render(
        "session.html",
        kb,
        branding,
        title=plain_sentence(session.title),
        subtitle=f"{format_day(day.date)} · {week.stage}",
        disclaimer=plan.disclaimer,
        week=week,
        day=day,
        session=session,
        cited=_cited(kb, _item_reasons(session.items)),
    )


def free_workout_html(
    workout: FreeWorkoutPrint, kb: KnowledgeBase, *, branding: Branding | None = None
) -> str:
    """The public free workout: its sessions in full."""
    items = [i for s in workout.sessions for i in s.items]
    return _render(
        "free_workout.html",
        kb,
        branding,
        title="Your pregnancy workout",
        subtitle=workout.stage,
        disclaimer=workout.disclaimer,
        workout=workout,
        cited=_cited(kb, [*workout.reasons, *_item_reasons(items)]),
    )


def summary_html(
    summary: Summary,
    kb: KnowledgeBase,
    *,
    branding: Branding | None = None,
    charts: Iterable[Chart] | None = None,
) -> str:
    """The weekly summary with its charts (drawn here unless given)."""
    from bumpwise.exports.charts import summary_charts

    drawn = tuple(charts) if charts is not None else summary_charts(summary)
    first, last = summary.weeks[0], summary.weeks[-1]
    return _render(
        "summary.html",
        kb,
        branding,
        title="Your weekly summary",
        subtitle=f"{format_day(summary.start)} to {format_day(summary.end)} · {first.stage} to {last.stage}",
        disclaimer=summary.disclaimer,
        summary=summary.as_dict(),
        charts=[chart_view(c) for c in drawn],
    )


def chart_view(chart: Chart) -> dict[str, Any]:
    """What the summary partial needs of a chart; ``data_uri`` embeds the SVG as an image."""
    return {**chart.as_dict(), "data_uri": svg_data_uri(chart.svg)}


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def plan_pdf(plan: PlanDocument, kb: KnowledgeBase, **options: Any) -> bytes:
    return html_to_pdf(plan_html(plan, kb, **options), options.get("branding"))


def session_pdf(plan: PlanDocument, kb: KnowledgeBase, **options: Any) -> bytes:
    return html_to_pdf(session_html(plan, kb, **options), options.get("branding"))


def free_workout_pdf(workout: FreeWorkoutPrint, kb: KnowledgeBase, **options: Any) -> bytes:
    return html_to_pdf(free_workout_html(workout, kb, **options), options.get("branding"))


def summary_pdf(summary: Summary, kb: KnowledgeBase, **options: Any) -> bytes:
    return html_to_pdf(summary_html(summary, kb, **options), options.get("branding"))


def html_to_pdf(html: str, branding: Branding | None = None) -> bytes:
    """Render with WeasyPrint; nothing but ``data:`` URLs is fetched."""
    with _cycle_collector_paused():
        from weasyprint import CSS, HTML  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped,import-not-found,unused-ignore]

        fetcher = URLFetcher(allowed_protocols={"data"})
        accent = (branding or Branding()).accent
        stylesheets = [
            CSS(string=print_css_path().read_text(encoding="utf-8"), url_fetcher=fetcher),
            CSS(string=f":root {{ --accent: {accent}; }}", url_fetcher=fetcher),
        ]
        pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
    return pdf


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """WeasyPrint (its import, then the render) makes some hundred thousand objects; while they
    pile up, Python's cyclic garbage collector scans them again and again, about 7 % of a
    12-week plan's time. The collector is paused meanwhile and turned back on after, unless it
    was off already; the render's garbage is collected later as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- helpers ---------------------------------------------------------------------------------


def _render(name: str, kb: KnowledgeBase, branding: Branding | None, **context: Any) -> str:
    brand = branding or Branding()
    template = _environment().get_template(f"print/{name}")
    return template.render(branding=brand, logo=brand.logo_data_uri(), **_globals(kb), **context)


def _weeks(plan: PlanDocument, chosen: Sequence[int] | None) -> list[PlanWeek]:
    weeks = list(plan.weeks)
    if chosen is None:
        return weeks
    known = [w.week for w in weeks]
    for number in chosen:
        if number not in known:
            raise InputError("week", f"{number} is not a week of this plan", [str(k) for k in known])
    return [w for w in weeks if w.week in chosen]


def find_session(plan: PlanDocument, on: date, index: int = 0) -> tuple[PlanWeek, PlanDay, PlanSession]:
    """The week, day and session planned for ``on``; InputError when there is none."""
    for week in plan.weeks:
        for day in week.days:
            if day.date == on:
                sessions = day.sessions
                if not 0 <= index < len(sessions):
                    raise InputError(
                        "session", f"{on.isoformat()} has {len(sessions)} session(s); {index} is out of range"
                    )
                return week, day, sessions[index]
    raise InputError("date", f"{on.isoformat()} is not a day of this plan")


def _guide(
    weeks: list[PlanWeek], key_cues: bool = False
) -> tuple[list[dict[str, Any]], dict[str, int], list[Json]]:
    """One entry per exercise: how it is done, every way this plan changes it (with the weeks),
    its doses and why it is there. Returns the entries, the entry number of each exercise id,
    and the rules behind the changes (numbered in order, cited by number from the entries).

    An entry's ``variants`` are the forms the exercise is done in (its name, or a variant's with
    cues of its own), each with its weeks and its changes, a change once with the weeks it
    applies to. ``same_cues`` says whether every form prints the same cues (the first cue of
    each kind when ``key_cues``). ``whys`` are the items' whys in full (ending with a rule's
    text); ``purposes``, ``swaps`` and ``changed_by`` say the same with the rules by number."""
    entries: dict[str, dict[str, Any]] = {}
    rules: dict[str, Json] = {}
    for week in weeks:
        for item in week.all_items():
            entry = entries.setdefault(item.exercise.id, _new_entry(item))
            _add_to_entry(entry, item, week.week, rules, key_cues)
    numbers = {exercise_id: n for n, exercise_id in enumerate(entries, start=1)}
    span = _week_span if len(weeks) > 1 else (lambda _: "")
    for entry in entries.values():
        entry["whys"] = _longest_whys(entry["whys"])
        swapped_by = entry["swaps"]
        entry["swaps"] = [{"names": names, "rule": rule} for rule, names in swapped_by.items()]
        entry["changed_by"] = sorted(n for n in entry["rules"] if n not in swapped_by)
        entry["same_cues"] = len({printed for _, printed in entry["variants"]}) == 1
        entry["variants"] = [
            {
                "name": variant["name"],
                "summary": variant["summary"],
                "weeks": span(variant["weeks"]),
                "changes": _changes(variant["changes"], span),
                "cues": variant["cues"],
            }
            for variant in entry["variants"].values()
        ]
    return list(entries.values()), numbers, list(rules.values())


def _changes(changes: dict[str, list[int]], span: Callable[[list[int]], str]) -> list[dict[str, str]]:
    """Each change with its weeks; changes made in the same weeks are one paragraph."""
    by_weeks: dict[tuple[int, ...], list[str]] = {}
    for text, weeks in changes.items():
        by_weeks.setdefault(tuple(sorted(weeks)), []).append(text)
    return [{"weeks": span(list(weeks)), "text": " ".join(texts)} for weeks, texts in by_weeks.items()]


def _new_entry(item: PlanItem) -> dict[str, Any]:
    return {
        "exercise": item.exercise,
        "cues": item.cues,
        "doses": [],
        "variants": {},
        "whys": [],
        "purposes": [],
        "swaps": {},
        "rules": [],
    }


def _add_to_entry(
    entry: dict[str, Any], item: PlanItem, week: int, rules: dict[str, Json], key_cues: bool
) -> None:
    _append_new(entry["doses"], item.dose.text)
    _append_new(entry["whys"], item.why)
    printed = tuple((kind, tuple(cues[:1] if key_cues else cues)) for kind, cues in item.cues)
    variant = entry["variants"].setdefault(
        (item.exercise.name, printed),
        {
            "name": item.exercise.name,
            "summary": item.exercise.summary,
            "cues": item.cues,
            "weeks": [],
            "changes": {},
        },
    )
    _append_new(variant["weeks"], week)
    for change in item.modifications:
        _append_new(variant["changes"].setdefault(change, []), week)
    for reason in item.reasons:
        rules.setdefault(reason.rule, {**reason.model_dump(), "number": len(rules) + 1})
        _append_new(entry["rules"], rules[reason.rule]["number"])
    purpose, original = _why_parts(item)
    _append_new(entry["purposes"], purpose)
    if original is not None:
        _append_new(entry["swaps"].setdefault(rules[item.reasons[0].rule]["number"], []), original)


def _why_parts(item: PlanItem) -> tuple[str, str | None]:
    """An item's why without the text of the rule it ends with, and the exercise it stands in
    for: "Squats … positions. In place of Sumo squat: <rule 2's text>" → ("Squats …
    positions.", "Sumo squat"). A why that does not end with its first rule is kept whole."""
    why = item.why
    if not item.reasons or not why.endswith(": " + item.reasons[0].text):
        return why, None
    head = why[: -len(item.reasons[0].text) - 2]
    if head.endswith(" Changed for you"):
        return head.removesuffix(" Changed for you"), None
    purpose, marker, original = head.rpartition(" In place of ")
    if marker and item.substituted_for:
        return purpose, original
    return why, None


def _longest_whys(whys: list[str]) -> list[str]:
    """Drop a why that another one repeats and extends ("…" and "… Changed for you: …")."""
    return [w for w in whys if not any(other != w and other.startswith(w) for other in whys)]


def _append_new(values: list[Any], value: Any) -> None:
    if value not in values:
        values.append(value)


def _week_span(weeks: list[int]) -> str:
    """[1, 2, 3, 5] → "weeks 1–3 and 5"."""
    runs: list[list[int]] = []
    for week in sorted(weeks):
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    label = "week" if len(weeks) == 1 else "weeks"
    return f"{label} {', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else f"{label} {parts[0]}"


def _shared_notes(weeks: list[PlanWeek]) -> list[str]:
    """The notes every week of a multi-week print has ("No pull vertical exercise fits …"):
    printed once before the first week instead of on every week's page."""
    if len(weeks) < 2:
        return []
    return [note for note in weeks[0].notes if all(note in week.notes for week in weeks[1:])]


def _plan_subtitle(plan: PlanDocument, weeks: list[PlanWeek]) -> str:
    if not weeks:
        return f"Clearance: {words(plan.clearance)}"
    first, last = weeks[0], weeks[-1]
    span = f"{format_day(first.start)} to {format_day(last.days[-1].date)}"
    stage = first.stage if first is last else f"{first.stage} to {last.stage}"
    return f"{span} · {stage}"


def _item_reasons(items: Iterable[PlanItem]) -> list[PlanReason]:
    return [r for i in items for r in i.reasons]


def _cited(kb: KnowledgeBase, reasons: Iterable[PlanReason | Json]) -> list[Any]:
    """The sources the document's reasons cite, in order of first mention (design choices aside)."""
    ids = dict.fromkeys(
        s for r in reasons for s in (r.sources if isinstance(r, PlanReason) else r["sources"])
    )
    return [kb.sources[s] for s in ids if s in kb.sources and s != "DESIGN"]
