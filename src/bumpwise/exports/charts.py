"""Charts of the weekly summary, drawn by pygal and rendered server-side as SVG.

The same SVG shows in the page, the PDF and the CLI export. Each chart:

- uses the app's palette (app.css: brand purple data, green guideline, muted band limits, dark
  red marks; each at least 4.5:1 on white) and still reads in black and white: the data is a thick
  solid line or solid bars with printed values, guidelines are dashed and the band limits dotted,
  and every series is named in the legend;
- marks each week outside the aim in words: a red ``▼ low`` or ``▲ high`` under its week label on
  the axis, and a legend entry saying what the marks mean (``Series.marks``), so colour is never
  the only sign;
- keeps text off the lines: printed values sit above their dot or bar, never on the axis, and
  week labels are never cut short;
- has a title with the unit, and an accessible text alternative: ``<title>`` and ``<desc>`` inside
  the SVG (``role="img"``, ``aria-labelledby``) and the same numbers as rows for a table;
- has no script at all: ``js=[]`` drops pygal's external tooltip script and an XML filter removes
  the inline config script, so a strict Content-Security-Policy holds; comments (pygal's carry
  the render date) go too, so the same summary gives the same SVG.

pygal is imported inside the functions (about 50 ms).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypedDict
from xml.etree import ElementTree

from bumpwise.domain.catalog import N_, _, format_number, format_short_date
from bumpwise.domain.progress import WeekSummary
from bumpwise.exports.summary import Summary

WIDTH, HEIGHT = 800, 420
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# From app.css: --brand, --ok, --muted, --stop; all at least 4.5:1 against white.
DATA, GUIDE, BAND, MARK = "#6a2c8f", "#1e6b3a", "#575366", "#a4161a"
LOW, HIGH = N_("▼ low"), N_("▲ high")


class ChartJson(TypedDict):
    name: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[str]]


class ChartView(ChartJson):
    """A chart as the summary page and the printed summary show it: ``data_uri`` is the SVG."""

    data_uri: str


@dataclass(frozen=True)
class Chart:
    """One rendered chart: its SVG, and the same content as text and table rows."""

    name: str
    title: str
    svg: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def as_dict(self) -> ChartJson:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }


@dataclass(frozen=True)
class Series:
    title: str
    values: Sequence[float | None]
    kind: str = "data"
    """``data`` (solid, values printed), ``guide`` (dashed), ``band`` (dotted) or ``mark`` (no
    values: the legend entry explaining the marks)."""
    marks: Sequence[str | None] = ()
    """For data: per value, ``LOW``/``HIGH`` when that week is outside the aim, else None."""


CHART_NAMES = ("minutes", "strength", "balance", "rpe")


def summary_charts(summary: Summary) -> tuple[Chart, ...]:
    """All four charts, in the order the summary shows them."""
    return tuple(CHARTS[name](summary) for name in CHART_NAMES)


def chart_by_name(summary: Summary, name: str) -> Chart:
    return CHARTS[name](summary)


def minutes_chart(summary: Summary) -> Chart:
    target = summary.targets.moderate_minutes
    values = [float(w.moderate_minutes) for w in summary.weeks]
    return _chart(
        summary,
        name="minutes",
        title=_("Moderate activity, minutes per week (guideline: %(target)s)", target=target),
        unit=_("minutes"),
        series=[
            _at_least(_("Moderate minutes"), values, target),
            Series(_("Guideline: %(target)s minutes", target=target), [float(target)] * len(values), "guide"),
            _legend_for_marks(_("%(low)s: under %(target)s", low=_(LOW), target=target)),
        ],
        y_range=(0, max([target * 1.2, *values]) or 1),
    )


def strength_chart(summary: Summary) -> Chart:
    target = summary.targets.strength_sessions
    values = [float(w.strength_sessions) for w in summary.weeks]
    top = int(max([target + 1, *values]))
    return _chart(
        summary,
        name="strength",
        title=_("Strength sessions per week (aim: %(target)s or more)", target=target),
        unit=_("sessions"),
        series=[
            _at_least(_("Strength sessions"), values, target),
            _legend_for_marks(_("%(low)s: fewer than %(target)s", low=_(LOW), target=target)),
        ],
        y_range=(0, top),
        bar=True,
        y_labels=[float(n) for n in range(top + 1)],
    )


def balance_chart(summary: Summary) -> Chart:
    low, high = summary.targets.balance_min, summary.targets.balance_max
    values = [w.balance_ratio for w in summary.weeks]
    top = math.ceil(2 * max([high + 0.5, *(v for v in values if v is not None)])) / 2
    return _chart(
        summary,
        name="balance",
        title=_(
            "Back-to-front thigh balance, ratio (aim: %(low)s to %(high)s)",
            low=format_number(low, 1),
            high=format_number(high, 1),
        ),
        unit=_("ratio"),
        series=[
            Series(_("Back ÷ front sets"), values, marks=[_outside(v, low, high) for v in values]),
            Series(_("Upper limit %(high)s", high=format_number(high, 1)), [high] * len(values), "band"),
            Series(_("Lower limit %(low)s", low=format_number(low, 1)), [low] * len(values), "band"),
            _legend_for_marks(f"{_(LOW)} / {_(HIGH)}"),
        ],
        y_range=(0, top),
        y_labels=[step / 2 for step in range(int(2 * top) + 1)],
    )


def rpe_chart(summary: Summary) -> Chart:
    low, high = summary.targets.rpe_min, summary.targets.rpe_max
    values = [w.rpe_mean for w in summary.weeks]
    return _chart(
        summary,
        name="rpe",
        title=_("Effort, average RPE on the 6–20 scale (aim: %(low)s to %(high)s)", low=low, high=high),
        unit="RPE",
        series=[
            Series(_("Average RPE"), values, marks=[_outside(v, -math.inf, high) for v in values]),
            Series(_("Upper aim %(high)s", high=high), [float(high)] * len(values), "band"),
            Series(_("Lower aim %(low)s", low=low), [float(low)] * len(values), "band"),
            _legend_for_marks(_("%(high)s: over %(aim)s", high=_(HIGH), aim=high)),
        ],
        y_range=(6, 20),
        y_labels=[float(n) for n in range(6, 21, 2)],
    )


def _at_least(title: str, values: list[float], aim: float) -> Series:
    """Weekly values whose aim is a minimum: each one under it is marked low."""
    return Series(title, values, marks=[LOW if v < aim else None for v in values])


def _outside(value: float | None, low: float, high: float) -> str | None:
    if value is None:
        return None
    return LOW if value < low else HIGH if value > high else None


def _legend_for_marks(text: str) -> Series:
    """A legend entry with no points: what the ``▼ low``/``▲ high`` printed by a value means."""
    return Series(_("%(text)s (in red)", text=text), [], "mark")


CHARTS: dict[str, Callable[[Summary], Chart]] = {
    "minutes": minutes_chart,
    "strength": strength_chart,
    "balance": balance_chart,
    "rpe": rpe_chart,
}


# --- drawing --------------------------------------------------------------------------------


def _chart(
    summary: Summary,
    *,
    name: str,
    title: str,
    unit: str,
    series: list[Series],
    y_range: tuple[float, float],
    bar: bool = False,
    y_labels: list[float] | None = None,
) -> Chart:
    labels = [_week_label(w) for w in summary.weeks]
    data = [s for s in series if s.kind == "data"]
    columns = (_("Week starting"), *(s.title for s in data))
    rows = tuple((label, *(_marked(s, i) for s in data)) for i, label in enumerate(labels))
    description = _describe(title, unit, labels, series)
    graph = _graph(name, title, unit, labels, y_range, bar=bar, y_labels=y_labels, columns=len(series))
    for item in series:
        graph.add(item.title, list(item.values), **_series_options(item))
    graph.add_xml_filter(_accessible(name, title, description, [_kind_class(s, bar) for s in series]))
    graph.add_xml_filter(_place_text(bar, _week_marks(data)))
    svg = graph.render(is_unicode=True)
    return Chart(name=name, title=title, svg=svg, description=description, columns=columns, rows=rows)


def _graph(
    name: str,
    title: str,
    unit: str,
    labels: list[str],
    y_range: tuple[float, float],
    *,
    bar: bool,
    y_labels: list[float] | None,
    columns: int,
) -> Any:
    pygal = _pygal()
    kind = pygal.Bar if bar else pygal.Line
    graph = kind(
        title=title,
        y_title=unit,
        x_title=" ",  # no words: keeps the row under the week labels free for the marks
        truncate_label=-1,
        width=WIDTH,
        height=HEIGHT,
        style=_style(),
        css=["file://style.css", "file://graph.css", f"file://{_css_path()}"],
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        allow_interruptions=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,  # fewer columns than series puts the legend off the chart
        truncate_legend=-1,
        legend_box_size=16,
        print_values_position="top",
        range=y_range,
        include_x_axis=y_range[0] == 0,
        show_x_guides=False,
        margin=16,
        margin_right=48,
        value_formatter=_number,
    )
    graph.uuid = f"bw-{name}"  # a fixed id: the CSS targets it and the output is reproducible
    graph.x_labels = labels
    if y_labels is not None:
        graph.y_labels = y_labels
    return graph


def _pygal() -> Any:
    """Import pygal, then take out the import hook it appends to ``sys.meta_path`` (for its map
    plugins, which bumpwise does not use): the hook answers every failed import elsewhere in the
    process with an ImportWarning, which breaks optional imports (dateutil's ``winreg``) wherever
    warnings are errors, as in the test suite."""
    import pygal  # type: ignore[import-untyped,import-not-found,unused-ignore]

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
    return pygal


def _style() -> Any:
    from pygal.style import Style  # type: ignore[import-untyped,import-not-found,unused-ignore]

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#000000",
        foreground_strong="#000000",
        foreground_subtle="#777777",
        colors=(DATA, GUIDE, BAND, MARK),
        font_family=FONT,
        title_font_size=19,
        label_font_size=14,
        major_label_font_size=14,
        value_font_size=13,
        legend_font_size=14,
        opacity="1",
        opacity_hover="1",
        transition="none",
    )


def _css_path() -> Path:
    return Path(str(files("bumpwise.exports") / "templates" / "charts.css"))


def _series_options(series: Series) -> dict[str, int | bool]:
    """Dots (and printed values) for the data only; line styles are in charts.css."""
    return {"dots_size": 5} if series.kind == "data" else {"show_dots": False, "print_values": False}


def _week_marks(data: list[Series]) -> list[str | None]:
    """Per week, the mark of the (first) data series, or None."""
    marks = data[0].marks if data else ()
    return [_(mark) if mark else None for mark in marks]


def _marked(series: Series, index: int) -> str:
    mark = series.marks[index] if series.marks else None
    value = _number(series.values[index])
    return f"{value} {_(mark)}" if mark else value


def _kind_class(series: Series, bar: bool) -> str:
    if series.kind == "data":
        return "bw-data bw-bar" if bar else "bw-data"
    return f"bw-{series.kind}"


def _week_label(week: WeekSummary) -> str:
    return format_short_date(week.start)


def _number(value: float | None) -> str:
    if value is None:
        return _("none")
    return format_number(value, 3) if value != int(value) else str(int(value))


def _describe(title: str, unit: str, labels: list[str], series: list[Series]) -> str:
    parts = [f"{title}."]
    for item in series:
        if item.kind == "data":
            points = "; ".join(
                _("week starting %(label)s: %(value)s", label=label, value=_marked(item, i))
                for i, label in enumerate(labels)
            )
            parts.append(f"{item.title} ({unit}): {points}.")
        else:
            parts.append(f"{item.title}.")
    return " ".join(parts)


# --- accessibility and the strict CSP --------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _accessible(
    name: str, title: str, description: str, kinds: list[str]
) -> Callable[[ElementTree.Element], ElementTree.Element]:
    """The XML filter: title and description for screen readers, the series classes the CSS
    styles, and nothing that needs a script."""

    def apply(root: ElementTree.Element) -> ElementTree.Element:
        _strip(root)
        title_node = next(child for child in root if _local(child.tag) == "title")
        title_node.set("id", f"bw-{name}-title")
        title_node.text = title
        desc = ElementTree.Element("desc", {"id": f"bw-{name}-desc"})
        desc.text = description
        root.insert(list(root).index(title_node) + 1, desc)
        root.set("role", "img")
        root.set("aria-labelledby", f"bw-{name}-title bw-{name}-desc")
        _mark_series(root, kinds)
        return root

    return apply


def _place_text(bar: bool, marks: list[str | None]) -> Callable[[ElementTree.Element], ElementTree.Element]:
    """The XML filter that keeps text clear of lines: a line chart's printed values go centred
    above their dot (pygal puts them below-right, onto the axis for a zero), and each marked
    week gets its mark in words under its label on the x axis."""

    def apply(root: ElementTree.Element) -> ElementTree.Element:
        if not bar:
            _values_above_dots(root)
        labels = [
            (guide, text)
            for axis in root.iter()
            if (axis.get("class") or "").split() == ["axis", "x"]
            for guide in axis
            for text in guide
            if _local(text.tag) == "text"
        ]
        for (guide, label), mark in zip(labels, marks, strict=False):
            if mark:
                y = float(label.get("y", "0")) + 17
                where = {"x": label.get("x", "0"), "y": f"{y:g}", "class": "bw-mark"}
                note = ElementTree.SubElement(guide, "text", where)
                note.text = mark
        return root

    return apply


def _values_above_dots(root: ElementTree.Element) -> None:
    """pygal draws the data's dots in one group and its printed values in another, in the same
    order; pair them up."""
    groups = [g for g in root.iter() if {"series", "bw-data"} <= set((g.get("class") or "").split())]
    dots = next((found for g in groups if (found := [c for c in g.iter() if _local(c.tag) == "circle"])), [])
    texts = (t for g in groups for t in g.iter() if _local(t.tag) == "text")
    values = [t for t in texts if "value" in (t.get("class") or "").split()]
    for dot, value in zip(dots, values, strict=False):
        value.set("x", dot.get("cx", "0"))
        value.set("y", str(float(dot.get("cy", "0")) - 11))
        value.set("text-anchor", "middle")


def _strip(node: ElementTree.Element) -> None:
    """Remove scripts, comments and the script-driven tooltip layer at any depth, and the ids
    the tooltip script used (they would repeat when several charts share a page)."""
    for child in list(node):
        classes = (child.get("class") or "").split()
        if _local(child.tag) == "script" or not isinstance(child.tag, str) or "tooltip-overlay" in classes:
            node.remove(child)
            continue
        if (child.get("id") or "").startswith("activate-serie"):
            del child.attrib["id"]
        _strip(child)


def _mark_series(root: ElementTree.Element, kinds: list[str]) -> None:
    for node in root.iter():
        classes = (node.get("class") or "").split()
        if "series" in classes or "legend" in classes:
            index = _series_index(node, classes)
            if index is not None and index < len(kinds):
                node.set("class", " ".join([*classes, kinds[index]]))


def _series_index(node: ElementTree.Element, classes: list[str]) -> int | None:
    for cls in classes:
        if cls.startswith("serie-") and cls[6:].isdigit():
            return int(cls[6:])
    if "legend" in classes:
        swatches = [c for c in node if _local(c.tag) == "rect"]
        for cls in (swatches[0].get("class") or "").split() if swatches else ():
            if cls.startswith("color-") and cls[6:].isdigit():
                return int(cls[6:])
    return None
