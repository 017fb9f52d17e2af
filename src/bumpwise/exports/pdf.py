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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from bumpwise.domain import catalog
from bumpwise.domain.catalog import _
from bumpwise.domain.contract import (
    PlanDay,
    PlanDocument,
    PlanExercise,
    PlanItem,
    PlanReason,
    PlanSession,
    PlanWeek,
)
from bumpwise.domain.errors import InputError
from bumpwise.domain.exercise import Cues
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.plain_words import plain_sentence
from bumpwise.domain.terms import Source
from bumpwise.exports.branding import Branding

if TYPE_CHECKING:  # the charts and the summary are imported when a summary is printed
    from bumpwise.exports.charts import Chart, ChartView
    from bumpwise.exports.summary import Summary

T = TypeVar("T")


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


def _page_numbers_css() -> str:
    """The page numbers of the running footer, in the language in force."""
    words = _("Page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    return f'@page {{ @bottom-right {{ content: "{words}"; }} }}'


def print_css_path() -> Path:
    return template_dir() / "print" / "print.css"


# --- the Jinja environment -------------------------------------------------------------------


def register_filters(env: Environment, kb: KnowledgeBase | Callable[[], KnowledgeBase]) -> None:
    """The filters and globals the print templates use; safe to add to the web app's environment
    (every name starts with ``bw_``). ``kb`` may be a function giving the knowledge base in the
    language in force (the web app's, per request)."""
    _add_filters(env)
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        catalog.install(env)  # the print templates' words are in the catalog
    env.globals.update(_globals(kb))


def _globals(kb: KnowledgeBase | Callable[[], KnowledgeBase]) -> dict[str, Callable[..., str]]:
    def knowledge() -> KnowledgeBase:
        return kb if isinstance(kb, KnowledgeBase) else kb()

    return {
        "bw_exercise_name": lambda exercise_id: _exercise_name(knowledge(), exercise_id),
        "bw_term_name": lambda term_id: _term_name(knowledge(), term_id),
        "bw_figure": lambda exercise_id, applied=(): _figure_uri(knowledge(), exercise_id, applied),
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
    catalog.install(env)
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
    return catalog.format_day(day, year=year and not short, short=short)


def format_span(start: date | str, end: date | str) -> str:
    """``Monday 2 to Sunday 8 March 2026``, ``Monday 30 March to Sunday 5 April 2026``; the year
    is given once unless the span crosses it."""
    first, last = (date.fromisoformat(d) if isinstance(d, str) else d for d in (start, end))
    if first.year != last.year or first.month != last.month:
        start = format_day(first) if first.year != last.year else format_day(first, year=False)
        return catalog.gettext("%(start)s to %(end)s", start=start, end=format_day(last))
    return catalog.gettext(
        "%(start)s to %(end)s", start=catalog.format_weekday_day(first), end=format_day(last)
    )


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
    """An id in words: a term's plain words in the language in force (term_words.yaml), else the
    id with its separators as spaces."""
    from bumpwise.domain.plain_words import plain_words

    found = plain_words().terms.get(str(value))
    return found if found is not None else str(value).replace("_", " ").replace("-", " ")


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
    title = _("Your week") if len(chosen) == 1 else _("Your %(weeks)s-week plan", weeks=len(chosen))
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
        title=_("Your pregnancy workout"),
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
        title=_("Your weekly summary"),
        subtitle=_("%(start)s to %(end)s", start=format_day(summary.start), end=format_day(summary.end))
        + " · "
        + _("%(start)s to %(end)s", start=first.stage, end=last.stage),
        disclaimer=summary.disclaimer,
        summary=summary.as_dict(),
        charts=[chart_view(c) for c in drawn],
    )


def chart_view(chart: Chart) -> ChartView:
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
            CSS(string=_page_numbers_css(), url_fetcher=fetcher),
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


@dataclass(frozen=True)
class NumberedRule:
    """A rule behind a change in the plan, with its number in the guide's list."""

    rule: str
    text: str
    sources: tuple[str, ...]
    design_choice: bool
    number: int


@dataclass(frozen=True)
class GuideChange:
    weeks: str
    text: str


@dataclass(frozen=True)
class GuideForm:
    """A form an exercise is done in (its name, or a variant's with cues of its own)."""

    name: str
    summary: str
    weeks: str
    changes: list[GuideChange]
    cues: Cues


@dataclass(frozen=True)
class GuideSwap:
    names: list[str]
    rule: int


@dataclass
class _Form:
    name: str
    summary: str
    cues: Cues
    weeks: list[int] = field(default_factory=list)
    changes: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class GuideEntry:
    """One exercise of the guide. ``variants`` are the forms it is done in, each with its weeks
    and its changes, a change once with the weeks it applies to. ``same_cues`` says whether every
    form prints the same cues (the first cue of each kind when ``key_cues``). ``whys`` are the
    items' whys in full (ending with a rule's text); ``purposes``, ``swaps`` and ``changed_by``
    say the same with the rules by number."""

    exercise: PlanExercise
    cues: Cues
    doses: list[str] = field(default_factory=list)
    whys: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    rules: list[int] = field(default_factory=list)
    variants: list[GuideForm] = field(default_factory=list)
    swaps: list[GuideSwap] = field(default_factory=list)
    changed_by: list[int] = field(default_factory=list)
    same_cues: bool = True
    _forms: dict[tuple[str, object], _Form] = field(default_factory=dict)
    _swapped: dict[int, list[str]] = field(default_factory=dict)

    def add(self, item: PlanItem, week: int, rules: dict[str, NumberedRule], key_cues: bool) -> None:
        _append_new(self.doses, item.dose.text)
        _append_new(self.whys, item.why)
        printed = tuple((kind, tuple(cues[:1] if key_cues else cues)) for kind, cues in item.cues)
        key = (item.exercise.name, printed)
        form = self._forms.setdefault(key, _Form(item.exercise.name, item.exercise.summary, item.cues))
        _append_new(form.weeks, week)
        for change in item.modifications:
            _append_new(form.changes.setdefault(change, []), week)
        for reason in item.reasons:
            if reason.rule not in rules:
                rules[reason.rule] = NumberedRule(
                    reason.rule, reason.text, reason.sources, reason.design_choice, len(rules) + 1
                )
            _append_new(self.rules, rules[reason.rule].number)
        purpose, original = _why_parts(item)
        _append_new(self.purposes, purpose)
        if original is not None:
            _append_new(self._swapped.setdefault(rules[item.reasons[0].rule].number, []), original)

    def finish(self, span: Callable[[list[int]], str]) -> None:
        self.whys = _longest_whys(self.whys)
        self.swaps = [GuideSwap(names, rule) for rule, names in self._swapped.items()]
        self.changed_by = sorted(n for n in self.rules if n not in self._swapped)
        self.same_cues = len({printed for _, printed in self._forms}) == 1
        self.variants = [
            GuideForm(f.name, f.summary, span(f.weeks), _changes(f.changes, span), f.cues)
            for f in self._forms.values()
        ]


def _guide(
    weeks: list[PlanWeek], key_cues: bool = False
) -> tuple[list[GuideEntry], dict[str, int], list[NumberedRule]]:
    """One entry per exercise: how it is done, every way this plan changes it (with the weeks),
    its doses and why it is there. Returns the entries, the entry number of each exercise id,
    and the rules behind the changes (numbered in order, cited by number from the entries)."""
    entries: dict[str, GuideEntry] = {}
    rules: dict[str, NumberedRule] = {}
    for week in weeks:
        for item in week.all_items():
            entry = entries.setdefault(item.exercise.id, GuideEntry(item.exercise, item.cues))
            entry.add(item, week.week, rules, key_cues)
    numbers = {exercise_id: n for n, exercise_id in enumerate(entries, start=1)}
    span = _week_span if len(weeks) > 1 else (lambda _: "")
    for entry in entries.values():
        entry.finish(span)
    return list(entries.values()), numbers, list(rules.values())


def _changes(changes: dict[str, list[int]], span: Callable[[list[int]], str]) -> list[GuideChange]:
    """Each change with its weeks; changes made in the same weeks are one paragraph."""
    by_weeks: dict[tuple[int, ...], list[str]] = {}
    for text, weeks in changes.items():
        by_weeks.setdefault(tuple(sorted(weeks)), []).append(text)
    return [GuideChange(span(list(weeks)), " ".join(texts)) for weeks, texts in by_weeks.items()]


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


def _append_new(values: list[T], value: T) -> None:
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
        return _("Clearance: %(clearance)s", clearance=words(plan.clearance))
    first, last = weeks[0], weeks[-1]
    span = _("%(start)s to %(end)s", start=format_day(first.start), end=format_day(last.days[-1].date))
    stage = first.stage if first is last else _("%(start)s to %(end)s", start=first.stage, end=last.stage)
    return f"{span} · {stage}"


def _item_reasons(items: Iterable[PlanItem]) -> list[PlanReason]:
    return [r for i in items for r in i.reasons]


def _cited(kb: KnowledgeBase, reasons: Iterable[PlanReason | NumberedRule]) -> list[Source]:
    """The sources the document's reasons cite, in order of first mention (design choices aside)."""
    ids = dict.fromkeys(s for r in reasons for s in r.sources)
    return [kb.sources[s] for s in ids if s in kb.sources and s != "DESIGN"]
