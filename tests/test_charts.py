"""SVG charts (render/charts.py, render/stats.py): valid XML, accessible, escaped, data right."""

from __future__ import annotations

import pytest
from lxml import etree

from paperlog.model import Stats, TopicProgress
from paperlog.render import charts
from paperlog.render.charts import Bar, Row, bar_chart, column_chart, nice_ceiling, stacked_chart
from paperlog.render.stats import (
    month_label,
    months_chart,
    passes_chart,
    status_chart,
    topics_chart,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))  # raises on anything that is not well-formed XML


def assert_accessible(root: etree._Element, title: str) -> None:
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title_el = root.find("s:title", NS)
    desc_el = root.find("s:desc", NS)
    assert title_el.text == title
    assert root.get("aria-labelledby") == title_el.get("id")
    assert root.get("aria-describedby") == desc_el.get("id")
    assert desc_el.text
    assert root.get("width") == "100%" and root.get("height") is None  # scales with the page
    # Colours come from CSS classes, never hard-coded.
    assert not root.xpath("//*[@fill or @stroke or @style]")


def test_bar_chart_lengths_follow_values():
    root = parse(
        bar_chart(
            "c", "Papers by status", "two bars", [Bar("A", 10), Bar("B", 5, "pl-status--skimmed")]
        )
    )
    assert_accessible(root, "Papers by status")
    rects = root.findall(".//s:rect", NS)
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert rects[1].get("class") == "pl-chart__bar pl-status--skimmed"
    assert [r.find("s:title", NS).text for r in rects] == ["A: 10", "B: 5"]
    assert [t.text for t in root.findall(".//s:text[@class='pl-chart__value']", NS)] == ["10", "5"]


def test_labels_are_escaped_and_cleaned():
    nasty = 'Topic <script>alert("x")</script> & co\x01'
    svg = stacked_chart(
        "t", "T & <T>", "d", [Row(nasty, (Bar("Read", 1, "pl-status--implemented"),), "1/1")]
    )
    root = parse(svg)
    assert "<script>" not in svg and "\x01" not in svg
    label = root.find(".//s:text[@class='pl-chart__label']", NS)
    assert label.find("s:title", NS).text == nasty.replace("\x01", "")
    assert root.find("s:title", NS).text == "T & <T>"


def test_long_labels_are_shortened_but_kept_whole_in_hover_text():
    name = "A very long topic name that will never fit in the label column"
    root = parse(stacked_chart("t", "T", "d", [Row(name, (Bar("x", 1),))]))
    label = root.find(".//s:text[@class='pl-chart__label']", NS)
    assert label.text.endswith("…") and len(label.text) < len(name)
    assert label.find("s:title", NS).text == name


def test_stacked_rows_fill_the_width_in_shares():
    root = parse(stacked_chart("t", "T", "d", [Row("a", (Bar("x", 1), Bar("y", 3)))]))
    segs = root.findall(".//s:rect[@class='pl-chart__seg']", NS)
    track = root.find(".//s:rect[@class='pl-chart__track']", NS)
    widths = [float(s.get("width")) for s in segs]
    assert sum(widths) == pytest.approx(float(track.get("width")), abs=0.02)
    assert widths[1] == pytest.approx(3 * widths[0], abs=0.02)


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 1, 1), (3, 3, 1), (7, 8, 2), (31, 40, 10), (120, 150, 50), (1000, 1000, 500)],
)
def test_nice_ceiling(value, top, step):
    assert nice_ceiling(value) == (top, step)


def test_column_chart_thins_labels_and_marks_years():
    months = (
        [f"2024-{m:02d}" for m in range(1, 13)]
        + [f"2025-{m:02d}" for m in range(1, 13)]
        + ["2026-01"]
    )
    bars = [Bar(month_label(k)[0], i % 5, detail=k) for i, k in enumerate(months)]
    root = parse(
        column_chart("m", "Papers read per month", "d", bars, [month_label(k)[1] for k in months])
    )
    assert_accessible(root, "Papers read per month")
    assert len(root.findall(".//s:rect", NS)) == len(
        months
    )  # every month has its column and hover text
    ticks = [t.text for t in root.findall(".//s:text[@class='pl-chart__tick']", NS)]
    assert len([t for t in ticks if t.isalpha()]) <= 13
    years = [t.text for t in root.findall(".//s:text[@class='pl-chart__tick pl-chart__group']", NS)]
    assert years == ["2024", "2025", "2026"]


def test_charts_are_deterministic():
    bars = [Bar("A", 1 / 3), Bar("B", 2 / 3)]
    assert bar_chart("c", "t", "d", bars) == bar_chart("c", "t", "d", bars)
    assert (
        "0.333" not in bar_chart("c", "t", "d", bars).split("<desc")[0]
    )  # coordinates are rounded


STATS = Stats(
    papers=4,
    sessions=3,
    minutes=700,
    by_status=(
        ("to-read", 2),
        ("skimmed", 0),
        ("first-pass", 1),
        ("second-pass", 0),
        ("implemented", 1),
        ("abandoned", 0),
    ),
    papers_per_month=(("2025-12", 1), ("2026-01", 0), ("2026-02", 2)),
    minutes_per_pass=(("skim", 40, 2), ("first", 660, 1)),
    topics=(TopicProgress("t", "Transformers", {"to-read": 1, "implemented": 1}),),
)


def test_stats_chart_data_and_descriptions():
    status = parse(status_chart(STATS))
    assert status.find("s:desc", NS).text.startswith(
        "To read: 2 papers; Skimmed: 0 papers; First pass: 1 paper;"
    )
    months = parse(months_chart(STATS))
    assert [r.find("s:title", NS).text for r in months.findall(".//s:rect", NS)] == [
        "December 2025: 1 paper",
        "January 2026: 0 papers",
        "February 2026: 2 papers",
    ]
    passes = parse(passes_chart(STATS))
    assert passes.find("s:title", NS).text == "Time per pass"
    assert [t.text for t in passes.findall(".//s:text[@class='pl-chart__value']", NS)] == [
        "40 min",
        "11 h",
    ]
    topics = parse(topics_chart(STATS))
    assert topics.find(".//s:text[@class='pl-chart__value']", NS).text == "1/2"
    assert "Transformers: 1 of 2 papers read" in topics.find("s:desc", NS).text


def test_chart_ids_are_unique_per_page():
    ids = []
    for chart in (
        status_chart(STATS),
        months_chart(STATS),
        passes_chart(STATS),
        topics_chart(STATS),
    ):
        ids += parse(chart).xpath("//@id")
    assert len(ids) == len(set(ids))


def test_width_constant_is_what_the_viewbox_says():
    root = parse(bar_chart("c", "t", "d", [Bar("a", 1)]))
    assert root.get("viewBox").split()[2] == str(charts.WIDTH)
