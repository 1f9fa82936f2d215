"""Small SVG charts drawn at build time: horizontal bars, columns, stacked bars.

Charts are built as XML trees (xml.etree), never by pasting strings, so
every label from a note is escaped. They are accessible images (role="img",
labelled by their <title>, described by a <desc> that states every value)
and carry no colours: CSS classes (assets/paperlog.css) colour them from
Material's variables, so they follow the light and dark palettes. The
viewBox is narrow and the width 100%, so text stays readable on a phone.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .helpers import xml_safe

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 400
FONT = 13
CHAR = 0.58 * FONT
"""Rough width of one character, to leave room for labels without measuring text."""


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, extra CSS classes and hover text."""

    label: str
    value: float
    css: str = ""
    detail: str = ""
    shown: str = ""
    """The value as written after the bar (default: the number)."""


@dataclass(frozen=True)
class Row:
    """One stacked bar: a label and its segments; `note` is shown after the bar."""

    label: str
    segments: tuple[Bar, ...]
    note: str = ""
    detail: str = ""


def _svg(chart_id: str, kind: str, height: float, title: str, desc: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": f"pl-chart pl-chart--{kind}",
            "viewBox": f"0 0 {WIDTH} {_n(height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title",
            "aria-describedby": f"{chart_id}-desc",
            "font-size": str(FONT),
            "id": chart_id,
        },
    )
    _sub(svg, "title", xml_safe(title), id=f"{chart_id}-title")
    _sub(svg, "desc", xml_safe(desc), id=f"{chart_id}-desc")
    return svg


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _n(x: float) -> str:
    """A coordinate with at most two decimals, the same on every machine."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _fit(text: str, width: float) -> str:
    text = xml_safe(" ".join(text.split()))
    most = max(int(width / CHAR), 2)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _serialize(svg: ET.Element) -> Markup:
    # One line: inside a Markdown page a blank line would end the HTML block.
    return Markup(ET.tostring(svg, encoding="unicode", short_empty_elements=True))


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[Bar], label_width: float = 130
) -> Markup:
    """Horizontal bars, one per row, longest value full width, value after the bar."""
    row_h, bar_h, top = 26, 16, 6
    height = top * 2 + row_h * max(len(bars), 1)
    svg = _svg(chart_id, "bars", height, title, desc)
    value_room = CHAR * max((len(b.shown or _number(b.value)) for b in bars), default=1) + 10
    track = WIDTH - label_width - value_room
    scale = track / max((b.value for b in bars), default=0) if any(b.value for b in bars) else 0
    for i, bar in enumerate(bars):
        y = top + i * row_h
        g = _sub(svg, "g", class_="pl-chart__row")
        _sub(
            g,
            "text",
            _fit(bar.label, label_width - 10),
            x=_n(label_width - 8),
            y=_n(y + row_h / 2),
            class_="pl-chart__label",
            text_anchor="end",
            dominant_baseline="central",
        )
        width = bar.value * scale
        rect = _sub(
            g,
            "rect",
            x=_n(label_width),
            y=_n(y + (row_h - bar_h) / 2),
            width=_n(max(width, 0)),
            height=_n(bar_h),
            rx="2",
            class_=f"pl-chart__bar {bar.css}".strip(),
        )
        _sub(rect, "title", xml_safe(bar.detail or f"{bar.label}: {_number(bar.value)}"))
        _sub(
            g,
            "text",
            xml_safe(bar.shown or _number(bar.value)),
            x=_n(label_width + width + 6),
            y=_n(y + row_h / 2),
            class_="pl-chart__value",
            dominant_baseline="central",
        )
    _sub(
        svg,
        "line",
        x1=_n(label_width),
        x2=_n(label_width),
        y1=_n(top),
        y2=_n(height - top),
        class_="pl-chart__axis",
    )
    return _serialize(svg)


def nice_ceiling(value: float, ticks: int = 4) -> tuple[float, float]:
    """(top, step): a round axis top at or above `value`, split into at most `ticks` steps."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0) if float(value).is_integer() else step
    return step * math.ceil(value / step), step


def column_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[Bar], groups: Sequence[str] = ()
) -> Markup:
    """Vertical columns over time with a value axis; `groups` is a second label row (the year).

    Labels are thinned so at most about twelve show; every column keeps its hover text.
    """
    left, right, top, bottom = 30, 8, 10, 38 if groups else 24
    height = 200
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    svg = _svg(chart_id, "columns", height, title, desc)
    peak, step = nice_ceiling(max((b.value for b in bars), default=0))
    tick = 0.0
    while tick <= peak + 1e-9:
        y = top + plot_h - tick / peak * plot_h
        _sub(
            svg,
            "line",
            x1=_n(left),
            x2=_n(WIDTH - right),
            y1=_n(y),
            y2=_n(y),
            class_="pl-chart__grid",
        )
        _sub(
            svg,
            "text",
            _number(tick),
            x=_n(left - 6),
            y=_n(y),
            class_="pl-chart__tick",
            text_anchor="end",
            dominant_baseline="central",
        )
        tick += step
    slot = plot_w / max(len(bars), 1)
    column = min(slot * 0.7, 36)  # a few months should not make slabs
    every = max(1, math.ceil(len(bars) / 12))
    previous_group, group_x = None, -math.inf
    for i, bar in enumerate(bars):
        x = left + i * slot
        h = bar.value / peak * plot_h
        rect = _sub(
            svg,
            "rect",
            x=_n(x + (slot - column) / 2),
            y=_n(top + plot_h - h),
            width=_n(column),
            height=_n(h),
            rx="1.5",
            class_=f"pl-chart__bar {bar.css}".strip(),
        )
        _sub(rect, "title", xml_safe(bar.detail or f"{bar.label}: {_number(bar.value)}"))
        cx = _n(x + slot / 2)
        if i % every == 0:
            _sub(
                svg,
                "text",
                _fit(bar.label, slot * every),
                x=cx,
                y=_n(top + plot_h + 14),
                class_="pl-chart__tick",
                text_anchor="middle",
            )
        group = groups[i] if i < len(groups) else None
        if group is not None and group != previous_group:
            previous_group = group
            if x - group_x >= CHAR * (len(group) + 1):  # no overlap with the last one
                _sub(
                    svg,
                    "text",
                    xml_safe(group),
                    x=cx,
                    y=_n(top + plot_h + 29),
                    class_="pl-chart__tick pl-chart__group",
                    text_anchor="middle",
                )
                group_x = x
    return _serialize(svg)


def stacked_chart(
    chart_id: str, title: str, desc: str, rows: Sequence[Row], label_width: float = 130
) -> Markup:
    """Horizontal bars split into segments, each row filling the width (shares of its total)."""
    row_h, bar_h, top = 26, 14, 6
    height = top * 2 + row_h * max(len(rows), 1)
    svg = _svg(chart_id, "stacked", height, title, desc)
    note_room = CHAR * max((len(r.note) for r in rows), default=0) + 8
    track = WIDTH - label_width - note_room
    for i, row in enumerate(rows):
        total = sum(s.value for s in row.segments)
        scale = track / total if total else 0
        y = top + i * row_h
        g = _sub(svg, "g", class_="pl-chart__row")
        label = _sub(
            g,
            "text",
            _fit(row.label, label_width - 10),
            x=_n(label_width - 8),
            y=_n(y + row_h / 2),
            class_="pl-chart__label",
            text_anchor="end",
            dominant_baseline="central",
        )
        _sub(label, "title", xml_safe(row.detail or row.label))
        x = label_width
        _sub(
            g,
            "rect",
            x=_n(x),
            y=_n(y + (row_h - bar_h) / 2),
            width=_n(track),
            height=_n(bar_h),
            rx="2",
            class_="pl-chart__track",
        )
        for seg in row.segments:
            w = seg.value * scale
            rect = _sub(
                g,
                "rect",
                x=_n(x),
                y=_n(y + (row_h - bar_h) / 2),
                width=_n(w),
                height=_n(bar_h),
                class_=f"pl-chart__seg {seg.css}".strip(),
            )
            _sub(rect, "title", xml_safe(seg.detail or f"{seg.label}: {_number(seg.value)}"))
            x += w
        if row.note:
            _sub(
                g,
                "text",
                xml_safe(row.note),
                x=_n(label_width + track + 8),
                y=_n(y + row_h / 2),
                class_="pl-chart__value",
                dominant_baseline="central",
            )
    return _serialize(svg)
