"""The reading group: /sessions/ (past and upcoming meetings) and /sessions.ics."""

from __future__ import annotations

from collections.abc import Iterable

from . import OutputFile, RenderContext
from .ical import sessions_calendar
from .team import split_sessions


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    lib, urls, settings = ctx.lib, ctx.urls, ctx.settings
    if not lib.sessions and not (settings.notes_dir / "sessions.yaml").is_file():
        return
    today = settings.build_date
    upcoming, past = split_sessions(lib.sessions, today)
    content = ctx.page(
        "sessions.md.j2", urls.sessions_index, upcoming=upcoming, past=past, today=today
    )
    yield OutputFile(urls.sessions_index, content, title="Reading group", in_nav=True)
    site_url = settings.site_url
    # The page's absolute URL for links from calendar apps (MkDocs' URL style).
    page = "sessions/" if ctx.options.get("use_directory_urls", True) else "sessions.html"
    page_url = f"{site_url.rstrip('/')}/{page}" if site_url else ""
    calendar = sessions_calendar(
        lib,
        upcoming,
        build_date=today,
        site_url=site_url,
        site_name=str(ctx.options.get("site_name") or ""),
        page_url=page_url,
    )
    yield OutputFile(urls.sessions_ics, calendar)
