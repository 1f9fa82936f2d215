"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import GraphNode, LinkedLibrary
from . import OutputFile, RenderContext
from .fragments import chunked
from .graphview import graph_json, graph_node_items, graph_page_data, graph_page_json, json_items


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    path = urls.graph_index

    # The page's data is made a run of nodes at a time: under `mkdocs serve` each run is
    # kept while its nodes (handed back unchanged by the linker) and what their labels
    # read are, so an edit makes again the run holding the changed node, not the
    # thousands of others.
    # Each run's items are kept with their JSON text, which is most of the page's 1 KiB
    # per node: the page's data is put together from those texts, not encoded whole again.
    def items(run: tuple[GraphNode, ...]) -> tuple[list[dict[str, object]], str]:
        def compute(lib: LinkedLibrary, options: object) -> tuple[list[dict[str, object]], str]:
            made = graph_node_items(lib, urls, path, run)
            return made, json_items(made)

        return ctx.memo(f"graph-nodes:{run[0].id}", {"run": run}, compute)

    def page_values(lib: LinkedLibrary, options: object) -> dict[str, Any]:
        graph = lib.graph
        noted = [n for n in graph.nodes if n.noted]
        # The noted nodes are the notes: the whole mapping is one read, not one per note.
        papers = sorted(lib.papers.values(), key=lambda p: (p.display_title.lower(), p.id))
        runs = [items(tuple(run)) for run in chunked(graph.nodes, "id")]
        data = graph_page_data(lib, [item for made, _ in runs for item in made])
        return {
            "data": data,
            "data_json": graph_page_json(data, [text for _, text in runs]),
            "papers": papers,
            "noted_count": len(noted),
            "external_count": len(graph.nodes) - len(noted),
            "cites_count": sum(1 for e in graph.edges if e.kind == "cites"),
            "related_count": sum(1 for e in graph.edges if e.kind == "related"),
        }

    content = ctx.page("graph.md.j2", path, **ctx.memo("graph-page", {}, page_values))
    yield OutputFile(path, content, title="Graph", in_nav=True)
    export = ctx.memo("graph-json", {}, lambda lib, options: graph_json(lib, urls) + "\n")
    yield OutputFile(urls.graph_json, export)
