"""The citation graph, its build-time layout and local graphs (link/graph.py, link/layout.py)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from linkutil import bib, linked, paper
from paperlog.link import layout as L
from paperlog.link.graph import LOCAL_LIMIT
from paperlog.model import GraphEdge


def test_nodes_and_edges():
    lib, _ = linked(
        [
            paper("a", status="implemented", topics=("t",), cites=("b", "k"), related=("c",)),
            paper("b", year=2010, cites=("k",)),
            paper("c", related=("a",)),
        ],
        [bib("k", "A book", "1999")],
        topics=["t"],
    )
    nodes = {n.id: n for n in lib.graph.nodes}
    assert [n.id for n in lib.graph.nodes] == ["a", "b", "c", "k"]
    assert (nodes["a"].status, nodes["a"].topics, nodes["a"].noted) == ("implemented", ("t",), True)
    assert (nodes["k"].title, nodes["k"].status, nodes["k"].noted, nodes["k"].in_degree) == (
        "A book",
        "",
        False,
        2,
    )
    assert nodes["b"].in_degree == 1 and nodes["a"].in_degree == 0
    assert lib.graph.edges == (
        GraphEdge("a", "b", "cites"),
        GraphEdge("a", "c", "related"),  # named twice, both directions: one undirected edge
        GraphEdge("a", "k", "cites"),
        GraphEdge("b", "k", "cites"),
    )
    assert lib.graph.by_id["k"] is nodes["k"]


def _random_graph(n: int, seed: int = 5) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    ids = [f"n{i:04d}" for i in range(n)]
    pairs = {(ids[rng.randrange(i)], ids[i]) for i in range(1, n) for _ in range(2)}
    return ids, sorted(pairs)


def test_layout_is_deterministic_and_cached_by_shape():
    ids, pairs = _random_graph(120)
    cache = L.LayoutCache()
    key1, first = L.layout(ids, pairs, cache)
    key2, again = L.layout(list(reversed(ids)), list(reversed(pairs)), L.LayoutCache())
    assert key1 == key2 and first == again
    L.layout(ids, pairs, cache)
    assert (cache.hits, cache.misses) == (1, 1)
    key3, _ = L.layout(ids, [*pairs, (ids[0], ids[-1])], cache)
    assert key3 != key1 and cache.misses == 2


def test_layout_key_ignores_what_does_not_move_nodes():
    # Editing a title, a summary or a status keeps the key, so `mkdocs serve` reuses the layout.
    lib1, _ = linked([paper("a", cites=("b",)), paper("b")])
    lib2, _ = linked([paper("a", cites=("b",), title="Renamed", status="implemented"), paper("b")])
    lib3, _ = linked([paper("a", cites=("b",)), paper("b", cites=("c",)), paper("c")])
    assert lib1.graph.layout_key == lib2.graph.layout_key != lib3.graph.layout_key


def test_start_positions_do_not_move_when_a_node_is_added():
    before = L.start_positions(["a", "b", "c"])
    after = L.start_positions(["a", "b", "c", "zz"])
    # Same angle and same radius fraction: only the disc's size grows with the node count.
    for i in range(3):
        assert math.atan2(*before[i]) == pytest.approx(math.atan2(*after[i]))


@pytest.mark.parametrize("n", [2, 40, 700])
def test_repulsion_matches_the_exact_sum(n):
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=n) * math.sqrt(n), rng.normal(size=n) * math.sqrt(n)
    fx, fy = L._repulsion(x, y)
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    d2 = dx * dx + dy * dy
    np.fill_diagonal(d2, 1.0)
    ex, ey = (dx / d2).sum(axis=1), (dy / d2).sum(axis=1)
    error = np.hypot(fx - ex, fy - ey) / np.hypot(ex, ey).mean()
    assert error.max() < 0.05


def test_layout_separates_nodes_and_keeps_neighbours_close():
    ids, pairs = _random_graph(300)
    _, pos = L.layout(ids, pairs, L.LayoutCache())
    xy = np.array([pos[i] for i in ids])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(d, np.inf)
    assert d.min() > 0.05  # no two nodes on top of each other
    edge = np.mean([math.dist(pos[a], pos[b]) for a, b in pairs])
    assert edge < 0.5 * np.mean(d[np.isfinite(d)])  # joined papers sit closer than average


def test_tiny_graphs():
    assert L.layout([], [], L.LayoutCache())[1] == {}
    assert L.layout(["only"], [], L.LayoutCache())[1] == {"only": (0.0, 0.0)}


def test_local_graph_depth_one_and_two():
    papers = [paper("a", cites=("b",)), paper("b", cites=("c",)), paper("c"), paper("lonely")]
    lib, _ = linked(papers)
    local = lib.local_graphs["a"]
    assert [(n.id, n.depth) for n in local.nodes] == [("a", 0), ("b", 1)]
    assert local.edges == (GraphEdge("a", "b", "cites"),)
    assert "lonely" not in lib.local_graphs
    deep, _ = linked(papers, depth=2)
    local = deep.local_graphs["a"]
    assert sorted((n.id, n.depth) for n in local.nodes) == [("a", 0), ("b", 1), ("c", 2)]
    assert local.edges == (GraphEdge("a", "b", "cites"), GraphEdge("b", "c", "cites"))
    assert local.radius == 2.0
    for n in local.nodes:
        assert math.hypot(n.x, n.y) == pytest.approx(n.depth, abs=1e-3)


def test_local_graph_of_a_hub_keeps_the_most_cited_neighbours():
    spokes = [f"s{i:02d}" for i in range(40)]
    papers = [paper("hub", cites=tuple(spokes))]
    # s00..s04 are cited by a second note as well: they rank first.
    papers.append(paper("fan", cites=tuple(spokes[:5])))
    papers += [paper(s) for s in spokes]
    lib, _ = linked(papers)
    local = lib.local_graphs["hub"]
    kept = {n.id for n in local.nodes if n.depth == 1}
    assert len(kept) == LOCAL_LIMIT and set(spokes[:5]) <= kept
    assert local.omitted == 40 - LOCAL_LIMIT


def test_link_without_layout_keeps_everything_but_positions():
    from pathlib import Path

    from paperlog.diagnostics import Diagnostics
    from paperlog.link import link_library
    from paperlog.model import LoadedLibrary
    from paperlog.settings import Settings

    papers = [paper("a", cites=("b",)), paper("b")]
    full, _ = linked(papers)
    lib = LoadedLibrary(papers={p.id: p for p in papers})
    bare = link_library(
        lib, Settings(root=Path("/s"), notes_dir=Path("/s/n")), Diagnostics(), layout=False
    )
    assert [(n.x, n.y) for n in bare.graph.nodes] == [(0.0, 0.0), (0.0, 0.0)]
    assert bare.graph.edges == full.graph.edges and bare.cited_by == full.cited_by
