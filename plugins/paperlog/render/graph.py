"""The citation graph page (/graph/) and its export (/graph.json)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import STATUS_LABELS, STATUSES, GraphNode, Library
from . import OutputFile, RenderContext
from .fragments import chunked
from .graphview import _node_dict, graph_json, node_label


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    path = urls.graph_index

    # The page's data is graph_page_data's (render/graphview.py), made a run of nodes
    # at a time: under `mkdocs serve` each run is kept while its nodes (handed back
    # unchanged by the linker) and what their labels read are, so an edit makes again
    # the run holding the changed node, not the thousands of others.
    def items(run: tuple[GraphNode, ...]) -> list[dict[str, object]]:
        def compute(lib: Library, options: object) -> list[dict[str, object]]:
            out = []
            for node in run:
                item = _node_dict(node)
                item["url"] = urls.href(path, urls.paper(node.id)) if node.noted else None
                item["label"] = node_label(lib, node.id)
                out.append(item)
            return out

        return ctx.memo(f"graph-nodes:{run[0].id}", {"run": run}, compute)

    def page_values(lib: Library, options: object) -> dict[str, object]:
        graph = lib.graph
        nodes = graph.nodes
        noted = [n for n in nodes if n.noted]
        papers = sorted((lib.papers[n.id] for n in noted), key=lambda p: (p.display_title.lower(), p.id))
        used = {t for n in nodes for t in n.topics}
        topics = sorted((t for t in lib.topics.values() if t.slug in used), key=lambda t: t.name.lower())
        statuses = [s for s in STATUSES if any(n.status == s for n in nodes)]
        data = {
            "nodes": [item for run in chunked(nodes, "id") for item in items(tuple(run))],
            "edges": [[e.source, e.target, e.kind] for e in graph.edges],
            "topics": [[t.slug, t.name] for t in topics],
            "statuses": [[s, STATUS_LABELS[s]] for s in statuses],
        }
        return {
            "data": data,
            "papers": papers,
            "noted_count": len(noted),
            "external_count": len(nodes) - len(noted),
            "cites_count": sum(1 for e in graph.edges if e.kind == "cites"),
            "related_count": sum(1 for e in graph.edges if e.kind == "related"),
        }

    content = ctx.page("graph.md.j2", path, **ctx.memo("graph-page", {}, page_values))
    yield OutputFile(path, content, title="Graph", in_nav=True)
    yield OutputFile(urls.graph_json, graph_json(ctx.lib, urls) + "\n")
