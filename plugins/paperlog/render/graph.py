"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Library
from . import OutputFile, RenderContext
from .graphview import graph_json, graph_page_data, node_label


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    path = urls.graph_index

    # Each reads the whole graph: kept while nothing in it changes, and when a
    # node changes, only its label (which reads the paper) is made again.
    def label(node_id: str) -> str:
        return ctx.memo(f"graph-label:{node_id}", {}, lambda lib, options: node_label(lib, node_id))

    def page_values(lib: Library, options: object) -> dict[str, object]:
        noted = [n for n in lib.graph.nodes if n.noted]
        papers = sorted((lib.papers[n.id] for n in noted), key=lambda p: (p.display_title.lower(), p.id))
        return {
            "data": graph_page_data(lib, urls, path, label),
            "papers": papers,
            "noted_count": len(noted),
            "external_count": len(lib.graph.nodes) - len(noted),
            "cites_count": sum(1 for e in lib.graph.edges if e.kind == "cites"),
            "related_count": sum(1 for e in lib.graph.edges if e.kind == "related"),
        }

    content = ctx.page("graph.md.j2", path, **ctx.memo("graph-page", {}, page_values))
    yield OutputFile(path, content, title="Graph", in_nav=True)
    yield OutputFile(urls.graph_json, graph_json(ctx.lib, urls) + "\n")
