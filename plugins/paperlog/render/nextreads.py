"""The read-next page (/next/): works the notes cite that have no note yet."""

from __future__ import annotations

from collections.abc import Iterable

from . import OutputFile, RenderContext


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    path = ctx.urls.next_index
    content = ctx.page("next.md.j2", path, suggestions=ctx.lib.read_next)
    yield OutputFile(path, content, title="Read next", in_nav=True)
