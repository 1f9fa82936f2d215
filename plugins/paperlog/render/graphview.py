"""What the graph pages show, prepared from the linked graph: export data, SVG geometry.

The linker computes the graph and its layout; this module only reads them and
turns them into what templates print: URLs relative to a page, short labels,
pixel coordinates for a paper's local graph.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import STATUS_LABELS, STATUSES, GraphEdge, GraphNode, LinkedLibrary
from .jsontext import to_json
from .urls import SiteUrls

_RING = 120.0  # px per ring of a local graph
_MARGIN_X = 165.0  # room for labels left and right of the outer ring
_MARGIN_Y = 34.0
_LABELLED = 12  # rings with more nodes than this show labels on hover only


def node_label(lib: LinkedLibrary, node_id: str, limit: int = 26) -> str:
    """A short name for a node: first author's family name and year, else the title."""
    paper = lib.papers.get(node_id)
    work = lib.external.get(node_id)
    authors = paper.authors if paper else work.authors if work else ()
    year = paper.year if paper else work.year if work else None
    title = paper.display_title if paper else work.display_title if work else node_id
    if authors:
        name = authors[0].family or authors[0].name
        text = f"{name}{' et al.' if len(authors) > 2 else ''}{f' {year}' if year else ''}"
    else:
        text = title
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _node_dict(node: GraphNode) -> dict[str, object]:
    return {
        "id": node.id,
        "title": node.title,
        "status": node.status or None,
        "topics": list(node.topics),
        "noted": node.noted,
        "year": node.year,
        "in_degree": node.in_degree,
        "x": node.x,
        "y": node.y,
    }


def graph_export(lib: LinkedLibrary, urls: SiteUrls) -> dict[str, object]:
    """The content of /graph.json: nodes and edges sorted, URLs relative to the site root."""
    nodes = []
    for node in lib.graph.nodes:
        item = _node_dict(node)
        item["url"] = urls.page_url(urls.paper(node.id)) if node.noted else None
        nodes.append(item)
    edges = [{"source": e.source, "target": e.target, "kind": e.kind} for e in lib.graph.edges]
    return {"nodes": nodes, "edges": edges}


def graph_json(lib: LinkedLibrary, urls: SiteUrls) -> str:
    """/graph.json as text: `json.dumps(graph_export(...), indent=1, sort_keys=True)`,
    put together from the text of each node and edge, which is kept between builds."""
    nodes = [
        _node_text(n, urls.page_url(urls.paper(n.id)) if n.noted else None) for n in lib.graph.nodes
    ]
    edges = [_edge_text(e) for e in lib.graph.edges]
    return "{\n" + _json_list("edges", edges) + ",\n" + _json_list("nodes", nodes) + "\n}"


def _json_list(key: str, items: list[str]) -> str:
    if not items:
        return f' "{key}": []'
    return f' "{key}": [\n' + ",\n".join(items) + "\n ]"


_ENCODE_ITEM = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=1).encode


def _json_item(value: dict[str, object]) -> str:
    # An item of a list inside the top-level object: two levels of one-space indentation.
    text = _ENCODE_ITEM(value)
    return "\n".join("  " + line for line in text.split("\n"))


def _node_text(node: GraphNode, url: str | None) -> str:
    return _json_item({**_node_dict(node), "url": url})


def _edge_text(edge: GraphEdge) -> str:
    return _json_item({"source": edge.source, "target": edge.target, "kind": edge.kind})


def graph_node_items(
    lib: LinkedLibrary, urls: SiteUrls, page_path: str, nodes: Iterable[GraphNode]
) -> list[dict[str, object]]:
    """The items of `nodes` in the data /graph/ embeds: the export's, with page-relative
    URLs and labels."""
    items = []
    for node in nodes:
        item = _node_dict(node)
        item["url"] = urls.href(page_path, urls.paper(node.id)) if node.noted else None
        item["label"] = node_label(lib, node.id)
        items.append(item)
    return items


def graph_page_data(lib: LinkedLibrary, node_items: list[dict[str, object]]) -> dict[str, object]:
    """The data /graph/ embeds for its script: `node_items` (`graph_node_items` of every
    node, in order) with the graph's edges, topics and statuses."""
    nodes = lib.graph.nodes
    used = {t for n in nodes for t in n.topics}
    topics = sorted(
        (t for t in lib.topics.values() if t.slug in used), key=lambda t: t.name.lower()
    )
    statuses = [s for s in STATUSES if any(n.status == s for n in nodes)]
    return {
        "nodes": node_items,
        "edges": [[e.source, e.target, e.kind] for e in lib.graph.edges],
        "topics": [[t.slug, t.name] for t in topics],
        "statuses": [[s, STATUS_LABELS[s]] for s in statuses],
    }


def json_items(items: list[dict[str, object]]) -> str:
    """The items of a JSON list, as the `json` filter writes the list, without its brackets."""
    return str(to_json(items))[1:-1]


def graph_page_json(data: dict[str, object], node_texts: list[str]) -> Markup:
    """`data|json` for `graph_page_data`'s `data`, with its nodes written as `node_texts`
    (`json_items` of each run of them, in order)."""
    nodes = "[" + ", ".join(text for text in node_texts if text) + "]"
    # In the json filter's order: keys sorted.
    parts = [f'"{key}": {nodes if key == "nodes" else to_json(data[key])}' for key in sorted(data)]
    return Markup("{" + ", ".join(parts) + "}")


@dataclass(frozen=True)
class SvgNode:
    id: str
    x: float
    y: float
    r: float
    label: str
    title: str
    status: str
    href: str
    center: bool
    anchor: str
    label_x: float
    label_y: float
    show_label: bool


@dataclass(frozen=True)
class SvgEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str


@dataclass(frozen=True)
class LocalGraphView:
    view_box: str
    width: float
    height: float
    nodes: tuple[SvgNode, ...]
    edges: tuple[SvgEdge, ...]
    omitted: int
    has_external: bool
    has_related: bool


def node_radius(in_degree: int) -> float:
    return round(5.0 + 2.2 * math.sqrt(in_degree), 2)


def local_graph_view(
    lib: LinkedLibrary, urls: SiteUrls, paper_id: str, page_path: str
) -> LocalGraphView | None:
    """Pixel geometry of a paper's local graph, or None when it has no connections."""
    local = lib.local_graphs.get(paper_id)
    if local is None:
        return None
    graph_nodes = lib.graph.by_id
    ring_sizes: dict[int, int] = {}
    for m in local.nodes:
        ring_sizes[m.depth] = ring_sizes.get(m.depth, 0) + 1
    nodes: list[SvgNode] = []
    placed: dict[str, SvgNode] = {}
    for m in local.nodes:
        g = graph_nodes[m.id]
        x, y = round(m.x * _RING, 1) + 0.0, round(m.y * _RING, 1) + 0.0
        r = node_radius(g.in_degree) + (3.0 if m.depth == 0 else 0.0)
        if m.depth == 0:
            anchor, lx, ly = "middle", x, round(y - r - 8, 1)
        else:
            anchor = "start" if m.x > 0.05 else "end" if m.x < -0.05 else "middle"
            gap = r + 5
            lx = round(x + (gap if anchor == "start" else -gap if anchor == "end" else 0), 1)
            ly = round(y + 4 + (0 if anchor != "middle" else (gap + 8) * (1 if m.y > 0 else -1)), 1)
        title = g.title + (f" ({g.year})" if g.year else "")
        node = SvgNode(
            id=m.id,
            x=x,
            y=y,
            r=r,
            label=node_label(lib, m.id),
            title=title if g.noted else f"{title}, not noted",
            status=g.status,
            href=urls.href(page_path, urls.paper(m.id)) if g.noted and m.depth else "",
            center=m.depth == 0,
            anchor=anchor,
            label_x=lx,
            label_y=ly,
            show_label=m.depth == 0 or ring_sizes.get(m.depth, 0) <= _LABELLED,
        )
        nodes.append(node)
        placed[m.id] = node
    edges = []
    for e in local.edges:
        a, b = placed[e.source], placed[e.target]
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy) or 1.0
        # Stop short of both circles so the arrow head of a citation stays visible.
        ux, uy = dx / length, dy / length
        edges.append(
            SvgEdge(
                round(a.x + ux * a.r, 1),
                round(a.y + uy * a.r, 1),
                round(b.x - ux * (b.r + 2), 1),
                round(b.y - uy * (b.r + 2), 1),
                e.kind,
            )
        )
    half_w = local.radius * _RING + _MARGIN_X
    half_h = local.radius * _RING + _MARGIN_Y
    return LocalGraphView(
        view_box=f"{-half_w:g} {-half_h:g} {2 * half_w:g} {2 * half_h:g}",
        width=2 * half_w,
        height=2 * half_h,
        nodes=tuple(sorted(nodes, key=lambda n: (not n.center, n.id))),
        edges=tuple(edges),
        omitted=local.omitted,
        has_external=any(not graph_nodes[m.id].noted for m in local.nodes),
        has_related=any(e.kind == "related" for e in local.edges),
    )


def local_graph_svg(view: LocalGraphView) -> Markup:
    """The edges and nodes of a local graph as SVG elements, as partials/paper_graph.md.j2
    printed them with a loop: the same text, without a template call per attribute
    (a paper page shows some 20 of them, a site a thousand pages). Coordinates are
    numbers, printed as `escape` would print them (str), without its call."""
    out = ['<g class="pl-local-graph__edges">\n']
    for e in view.edges:
        marker = ' marker-end="url(#pl-arrow)"' if e.kind == "cites" else ""
        out.append(
            f'<line class="pl-edge pl-edge--{escape(e.kind)}" x1="{e.x1}" y1="{e.y1}"'
            f' x2="{e.x2}" y2="{e.y2}"{marker}/>\n'
        )
    out.append('</g>\n<g class="pl-local-graph__nodes">\n')
    for n in view.nodes:
        if n.href:
            out.append(
                f'<a xlink:href="{escape(n.href)}" class="pl-node pl-status--{escape(n.status)}" data-id="{escape(n.id)}">'
            )
        else:
            center = " pl-node--center" if n.center else ""
            status = f" pl-status--{escape(n.status)}" if n.status else " pl-node--external"
            out.append(f'<g class="pl-node{center}{status}" data-id="{escape(n.id)}">')
        out.append(f"<title>{escape(n.title)}</title>\n")
        out.append(f'<circle cx="{n.x}" cy="{n.y}" r="{n.r}"/>\n')
        if n.show_label:
            out.append(
                f'<text x="{n.label_x}" y="{n.label_y}" text-anchor="{escape(n.anchor)}">{escape(n.label)}</text>'
            )
        out.append("</a>" if n.href else "</g>")
    out.append("</g>\n")
    return Markup("".join(out))
