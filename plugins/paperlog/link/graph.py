"""The citation graph: nodes, edges, a build-time layout, and each paper's local graph.

Nodes are every note plus every work a note cites or relates to without having
a note itself (drawn faded). Edges are `cites` (directed) and `related`
(undirected, stored once with source < target).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..model import CitationGraph, ExternalWork, GraphEdge, GraphNode, LocalGraph, LocalNode, Paper
from .backlinks import Backlinks
from .layout import LayoutCache, PendingLayout, start_layout

LOCAL_LIMIT = 24
"""At most this many neighbours in a paper's local graph; the most cited are kept."""


class PendingGraph:
    """The citation graph, its layout started (see start_graph); `graph()` puts it together."""

    def __init__(
        self,
        ids: list[str],
        papers: Mapping[str, Paper],
        links: Backlinks,
        edges: tuple[GraphEdge, ...],
        layout: PendingLayout | None,
    ) -> None:
        self._ids, self._papers, self._links, self._edges = ids, papers, links, edges
        self._layout = layout

    @property
    def beside(self) -> bool:
        """Whether the layout is being computed in a child process."""
        return self._layout is not None and self._layout.beside

    def graph(self) -> CitationGraph:
        if self._layout is not None:
            key, positions = self._layout.key, self._layout.positions()
        else:
            key, positions = "", dict.fromkeys(self._ids, (0.0, 0.0))
        links = self._links
        nodes = tuple(_nodes(self._ids, self._papers, links.external, links.cited_by, positions))
        return CitationGraph(nodes=nodes, edges=self._edges, layout_key=key)

    def discard(self) -> None:
        """The caller failed before asking for the graph: stop the layout's child, if any."""
        if self._layout is not None:
            self._layout.discard()


def start_graph(
    papers: Mapping[str, Paper],
    links: Backlinks,
    cache: LayoutCache | None = None,
    *,
    layout: bool = True,
    beside: bool = False,
) -> PendingGraph:
    """Start building the citation graph: with `beside`, its layout may be computed in a
    child process (see layout.start_layout) while the caller goes on."""
    ids = sorted(set(papers) | set(links.external))
    edges, pairs = _edges(links)
    pending = start_layout(ids, pairs, cache, beside=beside) if layout else None
    return PendingGraph(ids, papers, links, edges, pending)


def _nodes(
    ids: list[str],
    papers: Mapping[str, Paper],
    external: Mapping[str, ExternalWork],
    cited_by: Mapping[str, tuple[str, ...]],
    positions: Mapping[str, tuple[float, float]],
) -> list[GraphNode]:
    return [_node(node, papers, external, cited_by, positions[node]) for node in ids]


def _edges(links: Backlinks) -> tuple[tuple[GraphEdge, ...], list[tuple[str, str]]]:
    """The sorted edges, and the sorted undirected pairs they join."""
    found: set[GraphEdge] = set()
    for source, targets in links.cites.items():
        found.update(GraphEdge(source, target, "cites") for target in targets)
    for source, targets in links.related_to.items():
        found.update(GraphEdge(min(source, t), max(source, t), "related") for t in targets)
    edges = tuple(sorted(found, key=_edge_key))
    pairs = sorted(
        {(e.source, e.target) if e.source < e.target else (e.target, e.source) for e in edges}
    )
    return edges, pairs


def _edge_key(edge: GraphEdge) -> tuple[str, str, str]:
    # The dataclass's own ordering compares through generated methods: several times slower.
    return (edge.source, edge.target, edge.kind)


def _node(
    node: str,
    papers: Mapping[str, Paper],
    external: Mapping[str, ExternalWork],
    cited_by: Mapping[str, tuple[str, ...]],
    xy: tuple[float, float],
) -> GraphNode:
    in_degree = len(cited_by.get(node, ()))
    if node in papers:
        p = papers[node]
        return GraphNode(node, p.display_title, p.year, p.status, p.topics, True, in_degree, *xy)
    work = external[node]
    return GraphNode(node, work.display_title, work.year, "", (), False, in_degree, *xy)


def local_graphs(
    graph: CitationGraph, papers: Mapping[str, Paper], depth: int = 1
) -> dict[str, LocalGraph]:
    """Every note's neighbourhood to `depth` (1 or 2), at most LOCAL_LIMIT neighbours.

    Costs O(m log m) to sort adjacency once, then O(LOCAL_LIMIT^2) per note at most:
    a hub with thousands of neighbours never makes its neighbours' graphs slow.
    """
    return _local_graphs(graph, papers, depth)


def _local_graphs(
    graph: CitationGraph, papers: Mapping[str, Paper], depth: int
) -> dict[str, LocalGraph]:
    nodes = {n.id: n for n in graph.nodes}
    adjacency: dict[str, list[str]] = {}
    edge_set: dict[tuple[str, str], list[GraphEdge]] = {}
    for e in graph.edges:
        adjacency.setdefault(e.source, []).append(e.target)
        adjacency.setdefault(e.target, []).append(e.source)
        edge_set.setdefault((e.source, e.target), []).append(e)

    def rank(node: str) -> tuple[int, str]:
        return (-nodes[node].in_degree, node)

    for neighbours in adjacency.values():
        neighbours[:] = sorted(set(neighbours), key=rank)
    around = {node: frozenset(neighbours) for node, neighbours in adjacency.items()}
    out: dict[str, LocalGraph] = {}
    for center in sorted(papers):
        first = [n for n in adjacency.get(center, ()) if n != center]
        if not first:
            continue
        rings = [first[:LOCAL_LIMIT]]
        seen = {center, *rings[0]}
        if depth >= 2 and len(seen) - 1 < LOCAL_LIMIT:
            second: list[str] = []
            for near in rings[0]:
                for far in adjacency.get(near, ())[:LOCAL_LIMIT]:
                    if far not in seen:
                        seen.add(far)
                        second.append(far)
            rings.append(sorted(second, key=rank)[: LOCAL_LIMIT - len(rings[0])])
        omitted = max(len(first) - LOCAL_LIMIT, 0)
        out[center] = _radial(center, rings, nodes, around, edge_set, omitted)
    return out


def _radial(
    center: str,
    rings: list[list[str]],
    nodes: Mapping[str, GraphNode],
    around: Mapping[str, frozenset[str]],
    edge_set: Mapping[tuple[str, str], list[GraphEdge]],
    omitted: int,
) -> LocalGraph:
    """Place rings around the centre, each in the order of the global layout's angles."""
    cx, cy = nodes[center].x, nodes[center].y
    placed = [LocalNode(center, 0, 0.0, 0.0)]
    for depth, ring in enumerate((r for r in rings if r), start=1):
        angles = sorted((math.atan2(nodes[n].y - cy, nodes[n].x - cx), n) for n in ring)
        step = 2 * math.pi / len(angles)
        # Rotate the evenly spaced slots to sit as close as possible to the true angles.
        gaps = [a - i * step for i, (a, _) in enumerate(angles)]
        offset = math.atan2(sum(map(math.sin, gaps)), sum(map(math.cos, gaps)))
        for i, (_, node) in enumerate(angles):
            theta = offset + i * step
            placed.append(
                LocalNode(
                    node,
                    depth,
                    round(depth * math.cos(theta), 4) + 0.0,
                    round(depth * math.sin(theta), 4) + 0.0,
                )
            )
    members = {n.id for n in placed}
    edges: set[GraphEdge] = set()
    nobody: frozenset[str] = frozenset()
    for node in members:
        # A set intersection walks the smaller side: a hub's neighbours are many.
        for other in around.get(node, nobody) & members:
            found = edge_set.get((node, other))
            if found:
                edges.update(found)
    radius = float(max((n.depth for n in placed), default=0))
    return LocalGraph(center, tuple(placed), tuple(sorted(edges, key=_edge_key)), radius, omitted)
