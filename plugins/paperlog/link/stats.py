"""The numbers behind /stats/: status counts, papers read per month, time per pass, topics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import PASSES, STATUSES, MonthGroup, Paper, Stats, Topic, TopicProgress


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    """Every 'YYYY-MM' from `first` to `last` (both (year, month)), inclusive."""
    out = []
    year, month = first
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def papers_per_month(timeline: tuple[MonthGroup, ...]) -> tuple[tuple[str, int], ...]:
    """Distinct papers with a log entry in each month, gaps filled with zeros, oldest first."""
    if not timeline:
        return ()
    counts = {g.key: len({e.paper for e in g.events}) for g in timeline}
    newest, oldest = timeline[0], timeline[-1]
    return tuple(
        (m, counts.get(m, 0))
        for m in month_range((oldest.year, oldest.month), (newest.year, newest.month))
    )


def compute_stats(
    papers: Iterable[Paper], topics: dict[str, Topic], timeline: tuple[MonthGroup, ...]
) -> Stats:
    papers = list(papers)
    status = Counter(p.status for p in papers)
    minutes: Counter[str] = Counter()
    sessions: Counter[str] = Counter()
    by_topic: dict[str, Counter[str]] = {slug: Counter() for slug in topics}
    for paper in papers:
        for entry in paper.log:
            sessions[entry.pass_] += 1
            minutes[entry.pass_] += entry.minutes or 0
        for slug in paper.topics:
            if slug in by_topic:
                by_topic[slug][paper.status] += 1
    progress = tuple(
        TopicProgress(
            t.slug, t.name, {s: by_topic[t.slug][s] for s in STATUSES if by_topic[t.slug][s]}
        )
        for t in sorted(topics.values(), key=lambda t: (t.name.lower(), t.slug))
    )
    return Stats(
        papers=len(papers),
        sessions=sum(sessions.values()),
        minutes=sum(minutes.values()),
        by_status=tuple((s, status[s]) for s in STATUSES),
        papers_per_month=papers_per_month(timeline),
        minutes_per_pass=tuple((p, minutes[p], sessions[p]) for p in PASSES if sessions[p]),
        topics=progress,
    )
