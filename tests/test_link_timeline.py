"""Timeline, stats and glossary derivations (link/timeline.py, link/stats.py, link/glossary.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from paperlog.diagnostics import Diagnostics
from paperlog.link.glossary import term_index, term_users
from paperlog.link.stats import compute_stats, month_range, papers_per_month
from paperlog.link.timeline import build_timeline, group_by_month, reading_events
from paperlog.model import LogEntry, Paper, Term, Topic


def _paper(
    pid: str,
    *log: tuple[str, str, int | None],
    status: str = "to-read",
    topics=(),
    title: str = "",
    terms=(),
) -> Paper:
    entries = tuple(LogEntry(dt.date.fromisoformat(d), p, m) for d, p, m in sorted(log))
    return Paper(
        id=pid,
        source=f"notes/{pid}.yaml",
        title=title or pid.upper(),
        status=status,
        topics=tuple(topics),
        log=entries,
        terms=tuple(terms),
    )


# (dates of events, newest first) -> month keys with how many events each.
GROUPING = [
    ([], []),
    (["2026-01-31", "2026-01-01"], [("2026-01", 2)]),
    (["2026-02-01", "2026-01-31"], [("2026-02", 1), ("2026-01", 1)]),
    (
        ["2026-01-05", "2025-12-31", "2025-12-01", "2024-12-15"],
        [("2026-01", 1), ("2025-12", 2), ("2024-12", 1)],
    ),
]


@pytest.mark.parametrize(("dates", "expected"), GROUPING)
def test_group_by_month(dates, expected):
    events = reading_events([_paper(f"p{i}", (d, "skim", 10)) for i, d in enumerate(dates)])
    groups = group_by_month(events)
    assert [(g.key, len(g.events)) for g in groups] == expected
    assert all(g.minutes == 10 * len(g.events) for g in groups)


def test_month_labels_do_not_depend_on_locale():
    (group,) = build_timeline([_paper("a", ("2026-03-02", "first", 5))])
    assert (group.key, group.label) == ("2026-03", "March 2026")


def test_events_newest_first_then_by_title_then_log_order():
    a = _paper("a", ("2026-01-07", "skim", 5), ("2026-01-07", "first", 60), title="Beta")
    b = _paper("b", ("2026-01-07", "second", 5), ("2026-01-09", "review", None), title="alpha")
    events = reading_events([a, b])
    # 01-09 first; on 01-07 'alpha' before 'Beta'; within one paper and day, the later log entry first.
    assert [(e.paper, e.entry.pass_) for e in events] == [
        ("b", "review"),
        ("b", "second"),
        ("a", "skim"),
        ("a", "first"),
    ]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ((2026, 1), (2026, 1), ["2026-01"]),
        ((2025, 11), (2026, 2), ["2025-11", "2025-12", "2026-01", "2026-02"]),
        ((2026, 3), (2026, 1), []),
    ],
)
def test_month_range(first, last, expected):
    assert month_range(first, last) == expected


def test_papers_per_month_counts_each_paper_once_and_fills_gaps():
    a = _paper(
        "a", ("2025-11-01", "skim", 5), ("2025-11-20", "first", 5), ("2026-01-02", "second", 5)
    )
    b = _paper("b", ("2025-11-03", "skim", 5))
    assert papers_per_month(build_timeline([a, b])) == (
        ("2025-11", 2),
        ("2025-12", 0),
        ("2026-01", 1),
    )
    assert papers_per_month(()) == ()


def test_compute_stats_tables():
    papers = [
        _paper(
            "a",
            ("2026-01-01", "skim", 15),
            ("2026-01-02", "first", 60),
            status="implemented",
            topics=["t1"],
        ),
        _paper("b", ("2026-01-03", "skim", None), status="skimmed", topics=["t1", "t2"]),
        _paper("c", status="to-read", topics=["unknown"]),
    ]
    topics = {"t2": Topic("t2", "Beta"), "t1": Topic("t1", "alpha")}
    stats = compute_stats(papers, topics, build_timeline(papers))
    assert (stats.papers, stats.sessions, stats.minutes) == (3, 3, 75)
    assert dict(stats.by_status) == {
        "to-read": 1,
        "skimmed": 1,
        "first-pass": 0,
        "second-pass": 0,
        "implemented": 1,
        "abandoned": 0,
    }
    assert stats.minutes_per_pass == (("skim", 15, 2), ("first", 60, 1))
    assert [(t.slug, dict(t.counts)) for t in stats.topics] == [
        ("t1", {"skimmed": 1, "implemented": 1}),
        ("t2", {"skimmed": 1}),
    ]
    assert stats.papers_per_month == (("2026-01", 2),)


def test_term_index_and_users():
    terms = {
        "self-attention": Term(
            "self-attention",
            "Self-attention",
            "d",
            ("intra-attention",),
            source="notes/glossary.yaml",
            line=1,
        ),
        "attention": Term(
            "attention", "Attention", "d", ("Self-Attention",), source="notes/glossary.yaml", line=5
        ),
    }
    diags = Diagnostics()
    index = term_index(terms, diags)
    assert index["intra-attention"] == "self-attention"
    assert index["self-attention"] == "self-attention"  # the first term keeps a shared name
    (clash,) = list(diags)
    assert (clash.code, clash.line) == ("PL610", 5)
    papers = [
        _paper("b", terms=["Intra-Attention", "attention"]),
        _paper("a", terms=["self-attention", "nope"]),
    ]
    assert term_users(papers, index) == {"attention": ("b",), "self-attention": ("b", "a")}
