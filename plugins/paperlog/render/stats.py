"""/stats/: counts by status, papers read per month, time per pass, topics' progress."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ..model import MONTH_NAMES, PASS_LABELS, STATUS_LABELS, Stats
from . import OutputFile, RenderContext
from .charts import Bar, Row, bar_chart, column_chart, stacked_chart
from .helpers import READ_STATUSES, duration, rounded_hours


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def _listing(parts: Iterable[str]) -> str:
    return "; ".join(parts) + "."


def status_chart(stats: Stats) -> Markup:
    bars = [
        Bar(STATUS_LABELS[s], n, f"pl-status--{s}", f"{STATUS_LABELS[s]}: {_plural(n, 'paper')}")
        for s, n in stats.by_status
    ]
    desc = _listing(f"{b.label}: {_plural(int(b.value), 'paper')}" for b in bars)
    return bar_chart("pl-chart-status", "Papers by status", desc, bars)


def month_label(key: str) -> tuple[str, str]:
    """'2026-01' -> ('Jan', '2026')."""
    year, month = key.split("-")
    return MONTH_NAMES[int(month) - 1][:3], year


def months_chart(stats: Stats) -> Markup:
    bars, years = [], []
    for key, n in stats.papers_per_month:
        short, year = month_label(key)
        full = f"{MONTH_NAMES[int(key[5:]) - 1]} {year}"
        bars.append(Bar(short, n, detail=f"{full}: {_plural(n, 'paper')}"))
        years.append(year)
    desc = (
        _listing(b.detail for b in bars if b.value)
        if any(b.value for b in bars)
        else "No reading logged yet."
    )
    return column_chart("pl-chart-months", "Papers read per month", desc, bars, years)


def passes_chart(stats: Stats) -> Markup:
    bars = [
        Bar(
            PASS_LABELS.get(p, p),
            minutes,
            f"pl-pass--{p}",
            f"{PASS_LABELS.get(p, p)}: {duration(minutes)} in {_plural(sessions, 'session')}",
            rounded_hours(minutes),
        )
        for p, minutes, sessions in stats.minutes_per_pass
    ]
    desc = _listing(b.detail for b in bars) if bars else "No reading logged yet."
    return bar_chart("pl-chart-passes", "Time per pass", desc, bars)


def topics_chart(stats: Stats) -> Markup:
    rows = []
    for topic in stats.topics:
        total = sum(topic.counts.values())
        read = sum(n for s, n in topic.counts.items() if s in READ_STATUSES)
        segments = tuple(
            Bar(
                STATUS_LABELS[s],
                n,
                f"pl-status--{s}",
                f"{topic.name}, {STATUS_LABELS[s].lower()}: {_plural(n, 'paper')}",
            )
            for s, n in topic.counts.items()
        )
        rows.append(
            Row(
                topic.name,
                segments,
                f"{read}/{total}",
                f"{topic.name}: {read} of {_plural(total, 'paper')} read",
            )
        )
    desc = _listing(
        r.detail + (" (" + ", ".join(f"{s.label}: {int(s.value)}" for s in r.segments) + ")" if r.segments else "")
        for r in rows
    ) if rows else "No topics yet."  # fmt: skip
    return stacked_chart("pl-chart-topics", "Topics' progress", desc, rows, label_width=150)


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    stats = ctx.lib.stats

    def make_charts(lib: object, options: object) -> dict[str, Markup | None]:
        return {
            "status": status_chart(stats),
            "months": months_chart(stats) if stats.papers_per_month else None,
            "passes": passes_chart(stats) if stats.minutes_per_pass else None,
            "topics": topics_chart(stats) if stats.topics else None,
        }

    # Drawn again only when the numbers change (under `mkdocs serve`, most edits leave them).
    charts = ctx.memo("stats-charts", {"stats": stats}, make_charts)
    path = ctx.urls.stats
    content = ctx.page("stats.md.j2", path, stats=stats, charts=charts)
    yield OutputFile(path, content, title="Stats", in_nav=True)
