"""What team pages show: per-reader views and meetings, derived from a linked Library.

Everything here is sorted explicitly, so pages come out the same whatever the
order in which files were read or merged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import LinkedLibrary, LogEntry, Paper, Reader, ReaderNotes, Session
from .helpers import status_counts

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class ReaderView:
    """One reader and everything attributed to them."""

    reader: Reader
    papers: list[Paper]
    entries: list[tuple[Paper, LogEntry]]
    """Their reading sessions, newest first."""
    notes: list[tuple[Paper, ReaderNotes]]
    """Their `by:` sections, by paper title."""
    presented: list[Session]
    counts: dict[str, int]
    minutes: int

    @property
    def first_read(self) -> dt.date | None:
        return self.entries[-1][1].date if self.entries else None

    @property
    def last_read(self) -> dt.date | None:
        return self.entries[0][1].date if self.entries else None


def reader_view(lib: LinkedLibrary, reader: Reader) -> ReaderView:
    rid = reader.id
    papers = [p for p in lib.sorted_papers() if rid in p.reader_ids]
    entries = [(p, e) for p in papers for e in p.log if p.reader_of(e) == rid]
    entries.sort(key=lambda pe: (pe[1].date, pe[0].id, pe[1].index), reverse=True)
    notes = [(p, n) for p in papers for n in p.by if n.reader == rid]
    notes.sort(key=lambda pn: (pn[0].display_title.lower(), pn[0].id))
    return ReaderView(
        reader=reader,
        papers=papers,
        entries=entries,
        notes=notes,
        presented=[s for s in lib.sessions if s.presenter == rid],
        counts=status_counts(papers),
        minutes=sum(e.minutes or 0 for _, e in entries),
    )


def reader_views(lib: LinkedLibrary) -> list[ReaderView]:
    """Every reader in readers.yaml, by name."""
    readers = sorted(lib.readers.values(), key=lambda r: (r.name.casefold(), r.id))
    return [reader_view(lib, r) for r in readers]


def reader_name(lib: LinkedLibrary, reader_id: str) -> str:
    """How a reader is shown: their name from readers.yaml, else the id as written."""
    reader = lib.readers.get(reader_id)
    return reader.name if reader else reader_id


def initials(name: str) -> str:
    """Up to two initials for an avatar placeholder."""
    parts = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    letters = (parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")) if parts else "?"
    return letters.upper()


def hours(minutes: int) -> str:
    """'1 h 30 min', '45 min'."""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h" + (f" {m} min" if m else "")


# Meetings --------------------------------------------------------------------


def paper_sessions(lib: LinkedLibrary, paper_id: str) -> list[Session]:
    """Meetings that discuss a paper, in date order."""
    return [s for s in lib.sessions if paper_id in s.papers]


def is_upcoming(session: Session, today: dt.date) -> bool:
    """A meeting is upcoming until its day has passed (today's meeting still counts)."""
    return session.date >= today


def split_sessions(
    sessions: tuple[Session, ...], today: dt.date
) -> tuple[list[Session], list[Session]]:
    """(upcoming, soonest first; past, most recent first)."""
    upcoming = [s for s in sessions if is_upcoming(s, today)]
    past = [s for s in sessions if not is_upcoming(s, today)]
    return upcoming, past[::-1]


def date_text(day: dt.date) -> str:
    """'5 March 2026', in English whatever the machine's locale (pages are reproducible)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """'Thu 5 March 2026'."""
    return f"{_DAYS[day.weekday()]} {date_text(day)}"


def session_when(session: Session) -> str:
    """'Thu 5 March 2026, 14:30-15:30 (Europe/Berlin)', with an en dash between the times."""
    text = long_date(session.date)
    if session.time is not None:
        text += f", {session.time:%H:%M}"
        if session.duration:
            start = dt.datetime.combine(session.date, session.time)
            text += f"–{start + dt.timedelta(minutes=session.duration):%H:%M}"
        if session.timezone:
            text += f" ({session.timezone})"
    return text


def session_title(lib: LinkedLibrary, session: Session) -> str:
    """The meeting's title, else the titles of its papers."""
    if session.title:
        return session.title
    titles = [lib.papers[p].display_title for p in session.papers if p in lib.papers]
    return " · ".join(titles) if titles else "Reading group"
