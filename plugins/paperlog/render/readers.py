"""Reader pages for team sites: /readers/ and /readers/<id>/ (only with readers.yaml)."""

from __future__ import annotations

from collections.abc import Iterable

from . import OutputFile, RenderContext
from .team import reader_views


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    if not ctx.lib.readers:
        return
    urls = ctx.urls
    views = reader_views(ctx.lib)
    content = ctx.page("readers.md.j2", urls.readers_index, views=views)
    yield OutputFile(urls.readers_index, content, title="Readers", in_nav=True)
    for view in views:
        path = urls.reader(view.reader.id)
        yield OutputFile(path, ctx.page("reader.md.j2", path, view=view), title=view.reader.name)
