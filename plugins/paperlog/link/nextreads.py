"""Read next: works that notes cite but that have no note yet, most cited first.

The reading method says to follow each paper's references; the works many of
your notes cite are the ones to read next. Ranked by how many notes cite them,
then oldest first (the foundations), then by title. Each topic gets the same
ranking counted over its own papers. One pass over the citations: O(m log m).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import ExternalWork, Paper, Suggestion
from .refs import paper_key

TOPIC_LIMIT = 5
"""How many suggestions a topic page shows."""


def _rank(work: ExternalWork, citing: Sequence[str]) -> tuple[int, float, str, str]:
    year = work.year if work.year is not None else float("inf")
    return (-len(citing), year, work.display_title.lower(), work.key)


def rank_suggestions(
    cited_by: Mapping[str, Sequence[str]],
    external: Mapping[str, ExternalWork],
    papers: Mapping[str, Paper],
) -> tuple[Suggestion, ...]:
    """Every cited work without a note, ranked; `cited_by` lists the citing notes."""
    found = [(work, cited_by[key]) for key, work in external.items() if cited_by.get(key)]
    found.sort(key=lambda wc: _rank(*wc))
    return tuple(
        Suggestion(work, tuple(sorted(citing, key=lambda p: paper_key(papers[p]))))
        for work, citing in found
    )


def suggestions_by_topic(
    ranked: Sequence[Suggestion],
    papers: Mapping[str, Paper],
    topics: Sequence[str],
    limit: int = TOPIC_LIMIT,
) -> dict[str, tuple[Suggestion, ...]]:
    """Each topic's top `limit` works, counting only the topic's own citing papers."""
    per_topic: dict[str, list[Suggestion]] = {t: [] for t in topics}
    for suggestion in ranked:
        by_topic: dict[str, list[str]] = {}
        for pid in suggestion.cited_by:  # already in listing order
            for slug in dict.fromkeys(papers[pid].topics):
                if slug in per_topic:
                    by_topic.setdefault(slug, []).append(pid)
        for slug, citing in by_topic.items():
            per_topic[slug].append(Suggestion(suggestion.work, tuple(citing)))
    out: dict[str, tuple[Suggestion, ...]] = {}
    for slug in topics:
        items = per_topic[slug]
        items.sort(key=lambda s: _rank(s.work, s.cited_by))
        out[slug] = tuple(items[:limit])
    return out
