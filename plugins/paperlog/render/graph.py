"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from . import OutputFile, RenderContext
from .graphview import graph_export, graph_page_data


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    lib, urls = ctx.lib, ctx.urls
    path = urls.graph_index
    data = graph_page_data(lib, urls, path)
    noted = [n for n in lib.graph.nodes if n.noted]
    papers = sorted(
        (lib.papers[n.id] for n in noted), key=lambda p: (p.display_title.lower(), p.id)
    )
    content = ctx.page(
        "graph.md.j2",
        path,
        data=data,
        papers=papers,
        noted_count=len(noted),
        external_count=len(lib.graph.nodes) - len(noted),
        cites_count=sum(1 for e in lib.graph.edges if e.kind == "cites"),
        related_count=sum(1 for e in lib.graph.edges if e.kind == "related"),
    )
    yield OutputFile(path, content, title="Graph", in_nav=True)
    export = json.dumps(graph_export(lib, urls), ensure_ascii=False, sort_keys=True, indent=1)
    yield OutputFile(urls.graph_json, export + "\n")
