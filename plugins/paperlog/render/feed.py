"""/feed.xml: an Atom feed (RFC 4287) of the newest reading sessions.

Built as an XML tree (xml.etree), so titles and notes are escaped by the
serializer. Links are absolute, from site_url: without one there is no
feed (feed readers resolve relative links badly), and the timeline says so
once as an info message (PL650). Ids are tag: URIs (RFC 4151) made from the
site's host, the session's date, the paper and the pass, so they stay the
same from build to build and when other sessions are added. Dates are the
sessions' dates, never the build time, so the output is deterministic.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import quote, urljoin, urlsplit

from .. import __version__
from ..model import PASS_LABELS, LinkedLibrary, ReadingEvent
from ..settings import Settings
from . import RenderContext
from .helpers import duration, xml_safe
from .urls import SiteUrls

ATOM_NS = "http://www.w3.org/2005/Atom"
DEFAULT_ENTRIES = 50
EPOCH = "1970-01-01T00:00:00Z"


def feed_enabled(settings: Settings, options: Mapping[str, object]) -> bool:
    """True when the site has an absolute site_url and the feed is not turned off."""
    entries = options.get("feed_entries", DEFAULT_ENTRIES)
    if not isinstance(entries, int) or entries <= 0:
        return False
    parts = urlsplit(settings.site_url or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def site_base(site_url: str) -> str:
    return site_url if site_url.endswith("/") else site_url + "/"


def timestamp(date: dt.date) -> str:
    """RFC 3339, as Atom requires: the session's day at midnight UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def entry_id(site_url: str, paper_id: str, event: ReadingEvent, repeat: int) -> str:
    """tag:host,date:/path/papers/<id>/log/<pass>[/<reader>][/<n>] for one session."""
    parts = urlsplit(site_url)
    path = site_base(parts.path or "/")
    specific = f"{path}papers/{quote(paper_id, safe='')}/log/{quote(event.entry.pass_, safe='')}"
    if event.entry.reader:
        specific += "/" + quote(event.entry.reader, safe="")
    if repeat > 1:
        specific += f"/{repeat}"
    return f"tag:{parts.hostname},{event.entry.date.isoformat()}:{specific}"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = xml_safe(text)
    return el


def atom_feed(ctx: RenderContext) -> str:
    """The feed's XML text (UTF-8, with declaration), newest session first; under
    `mkdocs serve`, made again only when what it shows has changed."""
    return ctx.memo(
        "feed", {}, lambda lib, options: _atom_feed(lib, options, ctx.settings, ctx.urls)
    )


def _atom_feed(
    lib: LinkedLibrary, options: Mapping[str, object], settings: Settings, urls: SiteUrls
) -> str:
    base = site_base(settings.site_url)
    limit = int(options.get("feed_entries", DEFAULT_ENTRIES))  # type: ignore[call-overload]
    site_name = str(options.get("site_name") or "Reading log")
    events = [e for month in lib.timeline for e in month.events]

    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(feed, "id", urljoin(base, urls.feed))
    _text(feed, "title", f"{site_name}: reading log")
    _text(feed, "subtitle", "Reading sessions, newest first.")
    _text(feed, "updated", timestamp(events[0].entry.date) if events else EPOCH)
    ET.SubElement(
        feed,
        "link",
        {"rel": "self", "type": "application/atom+xml", "href": urljoin(base, urls.feed)},
    )
    ET.SubElement(
        feed,
        "link",
        {
            "rel": "alternate",
            "type": "text/html",
            "href": urljoin(base, urls.page_url(urls.log)),
        },
    )
    author = ET.SubElement(feed, "author")
    _text(author, "name", str(options.get("site_author") or site_name))
    _text(feed, "generator", "paperlog", version=__version__)

    # Numbering repeats (same paper, pass, reader and day) oldest first keeps
    # an old session's id when a newer one is added.
    repeats: dict[tuple[str, str, str, str], int] = {}
    numbered: list[tuple[ReadingEvent, int]] = []
    for event in reversed(events):
        e = event.entry
        key = (event.paper, e.pass_, e.reader or "", e.date.isoformat())
        repeats[key] = repeats.get(key, 0) + 1
        numbered.append((event, repeats[key]))
    for event, repeat in list(reversed(numbered))[:limit]:
        paper = lib.papers[event.paper]
        e = event.entry
        label = PASS_LABELS.get(e.pass_, e.pass_)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", entry_id(settings.site_url, paper.id, event, repeat))
        _text(entry, "title", f"{label}: {paper.display_title}")
        _text(entry, "updated", timestamp(e.date))
        _text(entry, "published", timestamp(e.date))
        ET.SubElement(
            entry,
            "link",
            {
                "rel": "alternate",
                "type": "text/html",
                "href": urljoin(base, urls.page_url(urls.paper(paper.id))),
            },
        )
        if e.reader:
            reader = lib.readers.get(e.reader)
            who = ET.SubElement(entry, "author")
            _text(who, "name", reader.name if reader else e.reader)
        ET.SubElement(entry, "category", {"term": e.pass_, "label": label})
        summary = (
            f"“{paper.display_title}”: {label.lower()}"
            + (f", {duration(e.minutes)}" if e.minutes else "")
            + "."
        )
        if e.note:
            summary += f" {e.note}"
        _text(entry, "summary", summary, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True).decode("utf-8") + "\n"
