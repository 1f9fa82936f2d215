"""The reading timeline: every `log` entry of every note, grouped by month, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import MonthGroup, Paper, ReadingEvent
from .reuse import Reuse, last_build_memo, same_items


def reading_events(papers: Iterable[Paper]) -> list[ReadingEvent]:
    """Every log entry, newest first; same-day entries by title, then id, then log order."""
    # An unchanged note (the very same object) has the last build's events; a changed one
    # keeps those of its log entries that are the same objects (loading hands them back).
    last = _LAST_EVENTS
    now: dict[str, tuple[Paper, tuple[tuple[_EventKey, ReadingEvent], ...]]] = {}
    events: list[tuple[_EventKey, ReadingEvent]] = []
    for p in papers:
        kept = last.get(p.id)
        if kept is None or kept[0] is not p:
            before = kept[1] if kept is not None else ()
            title = p.display_title.lower()
            made = []
            for i, e in enumerate(p.log):
                event = (
                    before[i][1]
                    if i < len(before) and before[i][1].entry is e
                    else ReadingEvent(p.id, e, i)
                )
                made.append(((-e.date.toordinal(), title, p.id, -i), event))
            kept = (p, tuple(made))
        now[p.id] = kept
        events.extend(kept[1])
    last.clear()
    last.update(now)
    # Each event with its sort key, made once per note: the keys are unique (a note's id and
    # the entry's place in its log), so the sort never compares two events.
    events.sort()
    return [e for _, e in events]


_EventKey = tuple[int, str, str, int]
"""Newest first, then by title, note id and log order."""

_LAST_EVENTS: dict[str, tuple[Paper, tuple[tuple[_EventKey, ReadingEvent], ...]]] = last_build_memo(
    {}
)
"""Note id -> the note and its events with their sort keys, as the last build made them."""


def group_by_month(events: Iterable[ReadingEvent]) -> tuple[MonthGroup, ...]:
    """Consecutive events of one calendar month in one group; `events` must be sorted by date."""
    groups: list[MonthGroup] = []
    current: list[ReadingEvent] = []
    reuse = Reuse[MonthGroup]("month-group", _same_month)

    def close() -> None:
        if current:
            first = current[0].entry.date
            minutes = sum(e.entry.minutes or 0 for e in current)
            groups.append(
                reuse(
                    (first.year, first.month),
                    MonthGroup(first.year, first.month, tuple(current), minutes),
                )
            )

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
    return (
        same_items(old.events, new.events)
        and type(old.minutes) is type(new.minutes)
        and old.minutes == new.minutes
    )


def build_timeline(papers: Iterable[Paper]) -> tuple[MonthGroup, ...]:
    return group_by_month(reading_events(papers))
