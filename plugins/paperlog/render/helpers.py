"""Small derivations templates need: counts, short author lists, recent reading."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..model import STATUSES, LogEntry, Paper

READ_STATUSES = frozenset({"second-pass", "implemented"})
"""Statuses that count as 'read' in progress figures."""


def status_counts(papers: Iterable[Paper]) -> dict[str, int]:
    counts = Counter(p.status for p in papers)
    return {s: counts[s] for s in STATUSES if counts[s]}


def done(counts: dict[str, int]) -> int:
    return sum(n for s, n in counts.items() if s in READ_STATUSES)


def short_authors(paper: Paper) -> str:
    if not paper.authors:
        return ""
    first = paper.authors[0].family or paper.authors[0].name
    if len(paper.authors) == 1:
        return first
    if len(paper.authors) == 2:
        return f"{first} and {paper.authors[1].family or paper.authors[1].name}"
    return f"{first} et al."


def code_fence(text: str) -> str:
    """A backtick fence longer than any backtick run in `text`, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def recent_reading(papers: Iterable[Paper], limit: int = 8) -> list[tuple[Paper, LogEntry]]:
    events = [(p, e) for p in papers for e in p.log]
    events.sort(key=lambda pe: (pe[1].date, pe[0].id), reverse=True)
    return events[:limit]
