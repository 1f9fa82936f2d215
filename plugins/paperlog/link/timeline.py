"""The reading timeline: every `log` entry of every note, grouped by month, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import MonthGroup, Paper, ReadingEvent


def reading_events(papers: Iterable[Paper]) -> list[ReadingEvent]:
    """Every log entry, newest first; same-day entries by title, then id, then log order."""
    events: list[tuple[tuple[int, str, str, int], ReadingEvent]] = []
    for p in papers:
        title = p.display_title.lower()
        for i, e in enumerate(p.log):
            events.append(((-e.date.toordinal(), title, p.id, -i), ReadingEvent(p.id, e, i)))
    # The keys are unique (a note's id and the entry's place in its log): the sort never
    # compares two events.
    events.sort(key=lambda ke: ke[0])
    return [e for _, e in events]


def group_by_month(events: Iterable[ReadingEvent]) -> tuple[MonthGroup, ...]:
    """Consecutive events of one calendar month in one group; `events` must be sorted by date."""
    groups: list[MonthGroup] = []
    current: list[ReadingEvent] = []

    def close() -> None:
        if current:
            first = current[0].entry.date
            minutes = sum(e.entry.minutes or 0 for e in current)
            groups.append(MonthGroup(first.year, first.month, tuple(current), minutes))

    for event in events:
        date = event.entry.date
        if current and (current[0].entry.date.year, current[0].entry.date.month) != (
            date.year,
            date.month,
        ):
            close()
            current = []
        current.append(event)
    close()
    return tuple(groups)


def build_timeline(papers: Iterable[Paper]) -> tuple[MonthGroup, ...]:
    return group_by_month(reading_events(papers))
