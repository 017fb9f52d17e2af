"""Charts are valid SVG (parsed with xml.etree), carry the expected series values, have a title,
a description and table rows for readers who cannot see them, and contain no script at all."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import pytest
from test_export_summary import LOG

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.exports.charts import CHART_NAMES, Chart, chart_by_name, summary_charts
from bumpwise.exports.logs import parse_log
from bumpwise.exports.summary import Summary, summarize

KB = default_knowledge()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def summary() -> Summary:
    return summarize(parse_log(LOG, KB), KB)


@pytest.fixture(scope="module")
def charts(summary: Summary) -> dict[str, Chart]:
    return {chart.name: chart for chart in summary_charts(summary)}


def root_of(chart: Chart) -> ElementTree.Element:
    root = ElementTree.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    return root


def classes(node: ElementTree.Element) -> set[str]:
    return set((node.get("class") or "").split())


def data_values(root: ElementTree.Element) -> list[str]:
    """The values pygal records for the data series (one <desc class="value"> per point)."""
    values: list[str] = []
    for group in root.iter(f"{SVG}g"):
        if {"series", "bw-data"} <= classes(group) and "plot" not in classes(group):
            values += [d.text or "" for d in group.iter(f"{SVG}desc") if "value" in classes(d)]
    return values


EXPECTED: dict[str, list[str]] = {
    "minutes": ["145", "225", "90", "55"],
    "strength": ["2", "2", "1", "1"],
    "balance": ["2.8", "1.5", "2", "1.67"],
    "rpe": ["12.4", "13.8", "12.3", "11.7"],
}


@pytest.mark.parametrize("name", CHART_NAMES)
def test_series_values_match_the_summary(charts: dict[str, Chart], name: str) -> None:
    assert data_values(root_of(charts[name])) == EXPECTED[name]
    assert [row[1].split(" ")[0] for row in charts[name].rows] == EXPECTED[name]
    assert [row[0] for row in charts[name].rows] == ["2 Mar", "9 Mar", "16 Mar", "23 Mar"]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_no_script_and_nothing_external(charts: dict[str, Chart], name: str) -> None:
    root = root_of(charts[name])
    assert not [n for n in root.iter() if n.tag.endswith("script")]
    assert "<script" not in charts[name].svg and "<!--" not in charts[name].svg
    assert "xml-stylesheet" not in charts[name].svg
    for node in root.iter():
        for key, value in node.attrib.items():
            assert not (key.endswith("href") and not value.startswith("#")), (key, value)
            assert not key.startswith("on"), key
    assert not re.search(r"url\((?!#)", charts[name].svg)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_accessible_title_description_and_units(charts: dict[str, Chart], name: str) -> None:
    chart = charts[name]
    root = root_of(chart)
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title
    for value in EXPECTED[name]:
        assert f": {value}" in (desc.text or "")
    unit = {"minutes": "minutes", "strength": "sessions", "balance": "ratio", "rpe": "RPE"}[name]
    assert unit in chart.title or unit in chart.description


def test_guidelines_are_dashed_or_dotted_not_just_coloured(charts: dict[str, Chart]) -> None:
    minutes = root_of(charts["minutes"])
    assert any({"series", "bw-guide"} <= classes(g) for g in minutes.iter(f"{SVG}g"))
    assert "Guideline: 150 minutes" in charts["minutes"].description
    band = [g for g in root_of(charts["balance"]).iter(f"{SVG}g") if {"series", "bw-band"} <= classes(g)]
    lines = [p for g in band for p in g.iter(f"{SVG}path") if "line" in classes(p)]
    assert len(lines) == 2
    for css in ("stroke-dasharray:12,7", "stroke-dasharray:2,6"):
        assert css in charts["minutes"].svg.replace(" ", "")
    # the app's palette, not grey: brand purple data, green guideline, red marks
    for colour in ("#6a2c8f", "#1e6b3a", "#a4161a"):
        assert colour in charts["minutes"].svg


def test_ids_do_not_repeat_when_charts_share_a_page(charts: dict[str, Chart]) -> None:
    ids: list[str] = []
    for chart in charts.values():
        ids += [n.get("id") or "" for n in root_of(chart).iter() if n.get("id")]
    assert len(ids) == len(set(ids))


def test_same_summary_same_svg(summary: Summary) -> None:
    assert chart_by_name(summary, "balance").svg == chart_by_name(summary, "balance").svg


def test_weeks_without_data_are_gaps_not_zeros() -> None:
    empty: dict[str, Any] = {"due_date": "2026-06-08"}
    from datetime import date

    summary = summarize(parse_log(empty, KB), KB, until=date(2026, 3, 29))
    chart = chart_by_name(summary, "rpe")
    assert data_values(root_of(chart)) == []
    assert [row[1] for row in chart.rows] == ["none"] * 4


# weeks outside the aim (150 minutes, 2 strength sessions, balance 1.0–2.0, RPE up to 14)
MARKS: dict[str, list[str | None]] = {
    "minutes": ["▼ low", None, "▼ low", "▼ low"],
    "strength": [None, None, "▼ low", "▼ low"],
    "balance": ["▲ high", None, None, None],
    "rpe": [None, None, None, None],
}


@pytest.mark.parametrize("name", CHART_NAMES)
def test_weeks_outside_the_aim_are_marked_in_words_under_their_label(
    charts: dict[str, Chart], name: str
) -> None:
    root = root_of(charts[name])
    axis = next(g for g in root.iter(f"{SVG}g") if classes(g) == {"axis", "x"})
    marks: list[str | None] = []
    for guide in axis:
        texts = [t for t in guide if t.tag == f"{SVG}text"]
        if not texts:  # the axis line itself
            continue
        label = next(t for t in texts if "bw-mark" not in classes(t))
        mark = next((t for t in texts if "bw-mark" in classes(t)), None)
        if mark is not None:  # under its week label, same x, below it
            assert mark.get("x") == label.get("x")
            assert float(mark.get("y") or 0) > float(label.get("y") or 0)
        marks.append(mark.text if mark is not None else None)
    assert marks == MARKS[name]
    # the same marks in the text alternative and the table, and a legend entry naming them
    for row, expected in zip(charts[name].rows, MARKS[name], strict=True):
        assert row[1].endswith(expected) if expected else " " not in row[1]
    entries = [g for g in root.iter(f"{SVG}g") if {"legend", "bw-mark"} <= classes(g)]
    legend = [t.text or "" for g in entries for t in g.iter(f"{SVG}text")]
    assert len(legend) == 1 and "(in red)" in legend[0]
    assert "▼ low" in legend[0] or "▲ high" in legend[0]


def test_line_values_sit_above_their_dot_not_on_the_axis(charts: dict[str, Chart]) -> None:
    root = root_of(charts["minutes"])
    groups = [g for g in root.iter(f"{SVG}g") if {"series", "bw-data"} <= classes(g)]
    dots = next(found for g in groups if (found := list(g.iter(f"{SVG}circle"))))
    values = [t for g in groups for t in g.iter(f"{SVG}text") if "value" in classes(t)]
    assert len(values) == len(dots) == 4
    for dot, value in zip(dots, values, strict=True):
        assert value.get("x") == dot.get("cx") and value.get("text-anchor") == "middle"
        assert float(value.get("y") or 0) < float(dot.get("cy") or 0)
