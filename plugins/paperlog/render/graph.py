"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import GraphNode, Library
from . import OutputFile, RenderContext
from .fragments import chunked
from .graphview import graph_json, graph_node_items, graph_page_data


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    path = urls.graph_index

    # The page's data is made a run of nodes at a time: under `mkdocs serve` each run is
    # kept while its nodes (handed back unchanged by the linker) and what their labels
    # read are, so an edit makes again the run holding the changed node, not the
    # thousands of others.
    def items(run: tuple[GraphNode, ...]) -> list[dict[str, object]]:
        return ctx.memo(  # type: ignore[no-any-return]
            f"graph-nodes:{run[0].id}", {"run": run}, lambda lib, options: graph_node_items(lib, urls, path, run)
        )

    def page_values(lib: Library, options: object) -> dict[str, object]:
        graph = lib.graph
        noted = [n for n in graph.nodes if n.noted]
        papers = sorted((lib.papers[n.id] for n in noted), key=lambda p: (p.display_title.lower(), p.id))
        node_items = [item for run in chunked(graph.nodes, "id") for item in items(tuple(run))]
        return {
            "data": graph_page_data(lib, node_items),
            "papers": papers,
            "noted_count": len(noted),
            "external_count": len(graph.nodes) - len(noted),
            "cites_count": sum(1 for e in graph.edges if e.kind == "cites"),
            "related_count": sum(1 for e in graph.edges if e.kind == "related"),
        }

    content = ctx.page("graph.md.j2", path, **ctx.memo("graph-page", {}, page_values))
    yield OutputFile(path, content, title="Graph", in_nav=True)
    yield OutputFile(urls.graph_json, graph_json(ctx.lib, urls) + "\n")
