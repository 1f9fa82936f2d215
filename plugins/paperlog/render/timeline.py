"""/log/, the reading timeline, and /feed.xml, its Atom feed."""

from __future__ import annotations

from collections.abc import Iterable

from . import OutputFile, RenderContext
from .feed import atom_feed, feed_enabled


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    feed = feed_enabled(ctx.settings, ctx.options)
    if feed:
        yield OutputFile(ctx.urls.feed, atom_feed(ctx))
    elif ctx.lib.timeline and int(ctx.options.get("feed_entries", 50) or 0) > 0:  # type: ignore[call-overload]
        ctx.diags.info(
            "mkdocs.yml", 0, 0, "PL650",
            "feed.xml is not written: the site has no site_url, and a feed needs absolute links",
            "set site_url in mkdocs.yml (e.g. https://you.github.io/notes/), or feed_entries: 0 to silence this",
        )  # fmt: skip
    path = ctx.urls.log
    yield OutputFile(path, ctx.page("log.md.j2", path, feed=feed), title="Log", in_nav=True)
