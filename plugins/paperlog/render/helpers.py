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


# Characters XML 1.0 cannot hold, even escaped: a note may smuggle them in
# through a YAML "\x01" escape, and one would make the feed unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids (escaping is the serializer's job)."""
    return _XML_ILLEGAL.sub("", text)


def duration(minutes: int | None) -> str:
    """'1 h 30 min', '45 min', '2 h'."""
    if not minutes:
        return "0 min"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def rounded_hours(minutes: int | None) -> str:
    """A rounded duration for big numbers: '45 min', '2.5 h', '514 h'."""
    minutes = int(minutes or 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 600:
        return f"{minutes / 60:.1f}".rstrip("0").rstrip(".") + " h"
    return f"{round(minutes / 60):,} h"
