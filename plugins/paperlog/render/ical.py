"""The reading group's upcoming meetings as an iCalendar feed (/sessions.ics).

Built with the `icalendar` library, which escapes text values (commas,
semicolons, line breaks) and folds long lines as RFC 5545 requires, so text
from sessions.yaml cannot break out of its property.

Stable output: UIDs come from the meetings' keys and the site's URL, DTSTAMP
from the build date, so a calendar app updates an event in place instead of
duplicating it, and two builds of the same input give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import urlsplit

import icalendar

from ..model import LinkedLibrary, Session, slugify
from .team import reader_name, session_title

PRODID = "-//paperlog//reading group sessions//EN"


def uid_domain(site_url: str, site_name: str) -> str:
    """The part after '@' in UIDs: the site's host and path, unique per site."""
    parts = urlsplit(site_url)
    if parts.netloc:
        return (parts.netloc + parts.path).rstrip("/").lower()
    return f"{slugify(site_name or 'reading-log')}.paperlog.invalid"


def _start(session: Session) -> dt.date | dt.datetime:
    if session.time is None:
        return session.date  # an all-day event (VALUE=DATE)
    start = dt.datetime.combine(session.date, session.time)
    if session.timezone:
        return start.replace(tzinfo=zoneinfo.ZoneInfo(session.timezone))
    return start  # floating: the same wall-clock time wherever it is opened


def _description(lib: LinkedLibrary, session: Session, page_url: str) -> str:
    lines: list[str] = []
    if session.presenter:
        lines.append(f"Presenter: {reader_name(lib, session.presenter)}")
    for pid in session.papers:
        paper = lib.papers.get(pid)
        lines.append(f"Paper: {paper.display_title if paper else pid}")
    if session.slides:
        lines.append(f"Slides: {session.slides}")
    if session.notes:
        lines.extend(["", session.notes.strip()])
    if page_url:
        lines.extend(["", page_url])
    return "\n".join(lines).strip()


def sessions_calendar(
    lib: LinkedLibrary,
    sessions: list[Session],
    *,
    build_date: dt.date,
    site_url: str,
    site_name: str,
    page_url: str,
) -> str:
    """An iCalendar document with one VEVENT per meeting, in date order.

    `page_url` is the absolute URL of the sessions page ('' when the site has
    no site_url); each event links to its meeting there.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{site_name} reading group" if site_name else "Reading group"
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.combine(build_date, dt.time(), tzinfo=dt.timezone.utc)
    domain = uid_domain(site_url, site_name)
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"{session.uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _start(session))
        if session.time is not None and session.duration:
            event.add("duration", dt.timedelta(minutes=session.duration))
        event.add("summary", session_title(lib, session))
        link = f"{page_url}#{session.anchor}" if page_url else ""
        event.add("description", _description(lib, session, link))
        if session.location:
            event.add("location", session.location)
        if link:
            event.add("url", link)
        cal.add_component(event)
    # A VTIMEZONE for every zone the events use, so every client reads TZID.
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
