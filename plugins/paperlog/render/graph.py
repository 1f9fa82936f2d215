"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..model import Library
from . import OutputFile, RenderContext
from .graphview import graph_export, graph_page_data


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    path = urls.graph_index

    # Both read the whole graph: worth keeping while nothing in it changes.
    def page_values(lib: Library, options: object) -> dict[str, object]:
        noted = [n for n in lib.graph.nodes if n.noted]
        papers = sorted((lib.papers[n.id] for n in noted), key=lambda p: (p.display_title.lower(), p.id))
        return {
            "data": graph_page_data(lib, urls, path),
            "papers": papers,
            "noted_count": len(noted),
            "external_count": len(lib.graph.nodes) - len(noted),
            "cites_count": sum(1 for e in lib.graph.edges if e.kind == "cites"),
            "related_count": sum(1 for e in lib.graph.edges if e.kind == "related"),
        }

    def export(lib: Library, options: object) -> str:
        return json.dumps(graph_export(lib, urls), ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    content = ctx.page("graph.md.j2", path, **ctx.memo("graph-page", {}, page_values))
    yield OutputFile(path, content, title="Graph", in_nav=True)
    yield OutputFile(urls.graph_json, ctx.memo("graph-json", {}, export))
