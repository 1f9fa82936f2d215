"""The reading timeline: every `log` entry of every note, grouped by month, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import MonthGroup, Paper, ReadingEvent
from .reuse import Reuse, same_items


def reading_events(papers: Iterable[Paper]) -> list[ReadingEvent]:
    """Every log entry, newest first; same-day entries by title, then id, then log order."""
    # An unchanged note keeps its log entries (the same objects): its events are the last build's.
    reuse = Reuse[ReadingEvent]("reading-event", lambda old, new: old.entry is new.entry)
    events = [(p, reuse((p.id, i), ReadingEvent(p.id, e, i))) for p in papers for i, e in enumerate(p.log)]
    reuse.done()
    events.sort(
        key=lambda pe: (
            -pe[1].entry.date.toordinal(),
            pe[0].display_title.lower(),
            pe[0].id,
            -pe[1].index,
        )
    )
    return [e for _, e in events]


def group_by_month(events: Iterable[ReadingEvent]) -> tuple[MonthGroup, ...]:
    """Consecutive events of one calendar month in one group; `events` must be sorted by date."""
    groups: list[MonthGroup] = []
    current: list[ReadingEvent] = []
    reuse = Reuse[MonthGroup]("month-group", _same_month)

    def close() -> None:
        if current:
            first = current[0].entry.date
            minutes = sum(e.entry.minutes or 0 for e in current)
            groups.append(reuse((first.year, first.month), MonthGroup(first.year, first.month, tuple(current), minutes)))

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
    reuse.done()
    timeline = Reuse[tuple[MonthGroup, ...]]("timeline", same_items)
    found = timeline("", tuple(groups))
    timeline.done()
    return found


def _same_month(old: MonthGroup, new: MonthGroup) -> bool:
    return same_items(old.events, new.events) and type(old.minutes) is type(new.minutes) and old.minutes == new.minutes


def build_timeline(papers: Iterable[Paper]) -> tuple[MonthGroup, ...]:
    return group_by_month(reading_events(papers))
