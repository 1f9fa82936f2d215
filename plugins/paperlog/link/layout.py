"""A force-directed layout of the citation graph, computed at build time.

Fruchterman-Reingold forces: every node repels every other (k^2/d), edges pull
their ends together (d^2/k), and a gravity toward the centre keeps separate
components in sight. The repulsion is computed Barnes-Hut style on a hierarchy
of grids (see _Plan): exact between neighbours, through cell centroids
farther away, so an iteration costs O(n log n + m) instead of O(n^2). All of it
is vectorised with numpy. Working out who acts on whom costs more than
applying the forces, so a plan is kept until some node may have moved half a
cell (in the cool end of the schedule), when it is still within a few percent
of the exact sum; and the finest cell follows the nodes' density, so a cell
holds one or two nodes at any graph size. Cubic cooling over 40-70 iterations
(fewer for bigger graphs) gives the picture the old 300 did.

The result is deterministic: start positions come from a hash of each node's
id and a fixed seed (so adding one note does not reshuffle the rest), and the
arithmetic runs in a fixed order. A `mkdocs serve` session keeps layouts by a
hash of the graph's shape (a `LayoutCache` it passes in), so a rebuild after an
edit that leaves the graph alone (most edits) reuses the previous layout.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ..forked import ForkedCall, fork_call

SEED = 1706
"""Fixed seed of the start positions; change it to get another (equally good) picture."""
VERSION = 2
"""Bumped when the algorithm changes, so cached layouts are recomputed."""

_K = 1.0  # ideal edge length: coordinates are in these units
_CELL = 1.2  # finest cell, in mean spacings between nodes: one or two nodes a cell
_DRIFT = 0.5  # plan again once some node may have moved this many finest cells
_GRAVITY = 1.4  # pulls toward the centre; against the repulsion of n nodes it sets the spacing
_MIN_D2 = 1e-4

Positions = dict[str, tuple[float, float]]


class LayoutCache:
    """The last few layouts, keyed by graph hash (a `mkdocs serve` session keeps one).

    Saves the whole layout on most rebuilds: about 0.2 s at 1,000 notes and 1.2 s at
    5,000 (a layout is recomputed only when an edit changes who cites whom).
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[str, Positions] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Positions | None:
        found = self._items.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return found

    def put(self, key: str, positions: Positions) -> None:
        self._items[key] = positions
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def graph_key(ids: Sequence[str], pairs: Sequence[tuple[str, str]]) -> str:
    """A hash of what the layout depends on: node ids, undirected edges, seed and version."""
    payload = json.dumps([VERSION, SEED, sorted(ids), sorted(pairs)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


MIN_NODES_BESIDE = 200
"""Smaller graphs are laid out in a few hundredths of a second: not worth a second process."""


class PendingLayout:
    """A graph's positions, found in the cache or being computed (maybe in a child process)."""

    def __init__(
        self,
        key: str,
        cache: LayoutCache | None,
        positions: Positions | None = None,
        ordered: list[str] | None = None,
        edges: list[tuple[int, int]] | None = None,
        child: ForkedCall | None = None,
    ) -> None:
        self.key = key
        self._cache = cache
        self._positions = positions
        self._ordered = ordered or []
        self._edges = edges or []
        self._child = child

    @property
    def beside(self) -> bool:
        """Whether a child process computes them."""
        return self._child is not None

    def positions(self) -> Positions:
        """The positions; waits for the child, or computes them here if there is none or it failed."""
        if self._positions is None:
            coords = None
            if self._child is not None:
                got, self._child = self._child.result(), None
                coords = got[0] if got is not None else None
            if coords is None:
                coords = force_layout(self._ordered, self._edges)
            self._positions = {
                node: (float(coords[i, 0]), float(coords[i, 1]))
                for i, node in enumerate(self._ordered)
            }
            if self._cache is not None:
                self._cache.put(self.key, self._positions)
        return self._positions

    def discard(self) -> None:
        """The caller failed before asking for the positions: stop the child, if any."""
        if self._child is not None:
            self._child.discard()
            self._child = None


def start_layout(
    ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    cache: LayoutCache | None = None,
    *,
    beside: bool = False,
) -> PendingLayout:
    """Start laying out `ids` joined by undirected `pairs`; ask the result for its `positions()`.

    With `beside` (the caller has checked `forked.can_fork()`), a graph of MIN_NODES_BESIDE
    nodes or more that is not in the cache is laid out in a child process, so the caller can
    go on with work that does not need the positions. The positions are the same either way:
    the child runs the very same arithmetic, and sends the numbers back as they are.
    """
    key = graph_key(ids, pairs)
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return PendingLayout(key, cache, positions=cached)
    ordered = sorted(ids)
    index = {node: i for i, node in enumerate(ordered)}
    edges = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in pairs if a != b})
    child = None
    if beside and len(ordered) >= MIN_NODES_BESIDE:
        child = fork_call(lambda: force_layout(ordered, edges))
    return PendingLayout(key, cache, ordered=ordered, edges=edges, child=child)


def layout(
    ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    cache: LayoutCache | None = None,
) -> tuple[str, Positions]:
    """Positions for `ids` joined by undirected `pairs`, and the graph hash they are cached under."""
    pending = start_layout(ids, pairs, cache)
    return pending.key, pending.positions()


def start_positions(ids: Sequence[str], seed: int = SEED) -> np.ndarray:
    """A point in a disc for every id, from a hash of the id: stable as the graph grows."""
    radius = math.sqrt(max(len(ids), 1)) * _K
    out = np.empty((len(ids), 2))
    for i, node in enumerate(ids):
        digest = hashlib.blake2b(f"{seed}:{node}".encode(), digest_size=16).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        v = int.from_bytes(digest[8:], "big") / 2**64
        r, theta = radius * math.sqrt(u), 2 * math.pi * v
        out[i] = (r * math.cos(theta), r * math.sin(theta))
    return out


def iterations_for(n: int) -> int:
    """Fewer iterations for big graphs: each costs more, and a picture of thousands of
    nodes is read for its clusters, not for the exact place of each node."""
    if n <= 200:
        return 200
    return max(40, min(200, int(70 * math.sqrt(1000 / n))))


def force_layout(
    ids: Sequence[str], edges: Sequence[tuple[int, int]], iterations: int | None = None
) -> np.ndarray:
    """Node positions (n x 2), centred on the origin, rounded to 1/100 of an edge length."""
    n = len(ids)
    if n <= 1:
        return np.zeros((n, 2))
    start = start_positions(ids)
    x, y = start[:, 0].copy(), start[:, 1].copy()
    src = np.array([a for a, _ in edges], dtype=np.int64)
    dst = np.array([b for _, b in edges], dtype=np.int64)
    steps = iterations if iterations is not None else iterations_for(n)
    start_temp = max(math.sqrt(n) * _K * 0.2, _K)
    plan: _Plan | None = None
    moved = 0.0
    for step in range(steps):
        # Cubic cooling: a short hot phase untangles, a long cool one settles the neighbours.
        temp = start_temp * (1.0 - step / steps) ** 3 + 0.02 * _K
        if plan is None or moved > _DRIFT * plan.cell:
            plan, moved = _Plan(x, y), 0.0
        fx, fy = plan.forces(x, y)
        if len(src):
            dx, dy = x[src] - x[dst], y[src] - y[dst]
            dist = np.sqrt(dx * dx + dy * dy) / _K  # |f| = d^2 / k along the edge
            wx, wy = dx * dist, dy * dist
            fx -= np.bincount(src, weights=wx, minlength=n) - np.bincount(
                dst, weights=wx, minlength=n
            )
            fy -= np.bincount(src, weights=wy, minlength=n) - np.bincount(
                dst, weights=wy, minlength=n
            )
        fx -= _GRAVITY * (x - x.mean())
        fy -= _GRAVITY * (y - y.mean())
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        step_length = np.minimum(length, temp)
        move = step_length / length
        x += fx * move
        y += fy * move
        moved += float(step_length.max())
    pos = np.column_stack([x, y])
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    return np.round(pos, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _far_offsets() -> np.ndarray:
    """Per parity of a cell (x bit, y bit): the 27 cells, relative to it, that it meets at
    its level: children of its parent's 3x3 neighbours that are not its own neighbours."""
    table = np.zeros((2, 2, 27, 2), dtype=np.int64)
    for bx in (0, 1):
        for by in (0, 1):
            found = [
                (2 * px + ex - bx, 2 * py + ey - by)
                for px in (-1, 0, 1)
                for py in (-1, 0, 1)
                for ex in (0, 1)
                for ey in (0, 1)
                if abs(2 * px + ex - bx) > 1 or abs(2 * py + ey - by) > 1
            ]
            table[bx, by] = found
    return table


_FAR = _far_offsets()
_NEAR_X = np.array([-1, -1, -1, 0, 0, 0, 1, 1, 1], dtype=np.int64)
_NEAR_Y = np.array([-1, 0, 1] * 3, dtype=np.int64)


class _Cells:
    """Occupied cells of one grid level and a fast lookup from cell coordinates to them."""

    def __init__(self, cx: np.ndarray, cy: np.ndarray, pad: int) -> None:
        self.pad = pad
        self.width = int(cy.max()) + 2 * pad + 1
        height = int(cx.max()) + 2 * pad + 1
        key = (cx + pad) * self.width + (cy + pad)
        self.cells, self.inverse = np.unique(key, return_inverse=True)
        self.inverse = self.inverse.ravel()
        # A dense table when the grid is small next to the node count (the usual case).
        self.table: np.ndarray | None = None
        if self.width * height <= 8 * len(cx) + 4096:
            self.table = np.full(self.width * height, -1, dtype=np.int64)
            self.table[self.cells] = np.arange(len(self.cells))

    def find(self, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
        """Index into self.cells of each (tx, ty), or -1 where that cell is empty or outside."""
        inside = (tx >= -self.pad) & (ty >= -self.pad) & (ty < self.width - self.pad)
        key = np.where(inside, (tx + self.pad) * self.width + (ty + self.pad), 0)
        if self.table is not None:
            inside &= key < len(self.table)
            found = self.table[np.where(inside, key, 0)]
        else:
            at = np.minimum(np.searchsorted(self.cells, key), len(self.cells) - 1)
            found = np.where(self.cells[at] == key, at, -1)
        return np.where(inside, found, -1)


def _repulsion(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repulsion k^2/d from every other node, through a fresh plan."""
    return _Plan(x, y).forces(x, y)


class _Plan:
    """Who repels whom, from one snapshot of the positions.

    Nodes in the 3x3 neighbouring cells of the finest grid repel exactly. Farther
    nodes act through the centroid of a cell: at each level, the cells that are
    children of the parent's neighbours but not the node's own neighbours (27
    of them). Levels double the cell size until one cell's neighbours cover the
    whole graph, so every other node is counted exactly once, in O(n log n).

    That partition of the other nodes stays a partition when nodes move; only
    the centroids' accuracy wanes as members drift apart. So `forces` can apply
    one plan for several iterations, recomputing the centroids each time.
    Far cells are kept as a dense table, a row per node, so applying them is
    a few whole-array operations and a row sum.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        n = self.n = len(x)
        # The mean spacing: sqrt(area per node) of the bounding box, never below a tenth of an edge.
        area = max(float(np.ptp(x)), 0.1 * _K) * max(float(np.ptp(y)), 0.1 * _K)
        self.cell = _CELL * math.sqrt(area / max(n, 1))
        cx = np.floor((x - x.min()) / self.cell).astype(np.int64)
        cy = np.floor((y - y.min()) / self.cell).astype(np.int64)
        finest = _Cells(cx, cy, pad=3)
        near_i, near_j = _near_pairs(cx, cy, finest)
        tables, members = [], []
        groups = 0
        level = 0
        while (cx.max() >> level) > 1 or (cy.max() >> level) > 1:
            lx, ly = cx >> level, cy >> level
            grid = finest if level == 0 else _Cells(lx, ly, pad=3)
            # The far cells depend on the cell only: look them up once per occupied cell.
            ox, oy = grid.cells // grid.width - grid.pad, grid.cells % grid.width - grid.pad
            offsets = _FAR[ox & 1, oy & 1]  # cells x 27 x 2
            cell = grid.find(ox[:, None] + offsets[:, :, 0], oy[:, None] + offsets[:, :, 1])
            # Sources are numbered: the n nodes, then the cells of every level. Occupied
            # cells go first in each row, and only as many columns as the fullest row:
            # at the coarse levels most of the 27 are empty.
            cell = -np.sort(-np.where(cell >= 0, cell + (n + groups), -1), axis=1)
            tables.append((cell[:, : int((cell >= 0).sum(axis=1).max())], grid.inverse))
            members.append(grid.inverse + groups)
            groups += len(grid.cells)
            level += 1
        self.groups = groups
        self.member = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
        self.member_node = np.tile(np.arange(n), len(members))
        self.mass = np.bincount(self.member, minlength=groups).astype(float)
        # The far cells of each node, a dense row per node; an empty slot is -1, which
        # indexes the last source: a massless stand-in.
        self.far = np.empty((n, sum(t.shape[1] for t, _ in tables)), dtype=np.int64)
        column = 0
        for table, inverse in tables:
            np.take(
                table,
                inverse,
                axis=0,
                out=self.far[:, column : column + table.shape[1]],
                mode="clip",
            )
            column += table.shape[1]
        self.weight = np.concatenate([np.ones(n), self.mass, [0.0]]) * _K**2
        self.far_weight = self.weight[self.far]
        self.near_i, self.near_j = near_i, near_j
        self.near_weight = self.weight[near_j]

    def forces(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Repulsion on every node at these positions (they may have moved since the plan)."""
        n = self.n
        gx = np.bincount(self.member, weights=x[self.member_node], minlength=self.groups)
        gy = np.bincount(self.member, weights=y[self.member_node], minlength=self.groups)
        sx = np.concatenate([x, gx / np.maximum(self.mass, 1.0), [0.0]])
        sy = np.concatenate([y, gy / np.maximum(self.mass, 1.0), [0.0]])
        # The far table is dense and regular: in place, row sums, no scatter.
        dx = x[:, None] - sx[self.far]
        dy = y[:, None] - sy[self.far]
        scale = dx * dx
        scale += dy * dy
        np.maximum(scale, _MIN_D2, out=scale)
        np.divide(self.far_weight, scale, out=scale)  # k^2/d along the unit vector
        dx *= scale
        dy *= scale
        fx, fy = dx.sum(axis=1), dy.sum(axis=1)
        dx = x[self.near_i] - x[self.near_j]
        dy = y[self.near_i] - y[self.near_j]
        scale = self.near_weight / np.maximum(dx * dx + dy * dy, _MIN_D2)
        fx += np.bincount(self.near_i, weights=dx * scale, minlength=n)
        fy += np.bincount(self.near_i, weights=dy * scale, minlength=n)
        return fx, fy


def _near_pairs(cx: np.ndarray, cy: np.ndarray, grid: _Cells) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j), i != j, with j in the 3x3 cells around i's cell; sorted by i."""
    n = len(cx)
    order = np.argsort(grid.inverse, kind="stable")
    counts_per_cell = np.bincount(grid.inverse, minlength=len(grid.cells))
    starts = np.cumsum(counts_per_cell) - counts_per_cell
    cell = grid.find(cx[:, None] + _NEAR_X[None, :], cy[:, None] + _NEAR_Y[None, :]).ravel()
    owner = np.repeat(np.arange(n), 9)
    owner, cell = owner[cell >= 0], cell[cell >= 0]
    counts = counts_per_cell[cell]
    total = int(counts.sum())
    i = np.repeat(owner, counts)
    j = order[np.repeat(starts[cell] - (np.cumsum(counts) - counts), counts) + np.arange(total)]
    keep = i != j
    return i[keep], j[keep]
