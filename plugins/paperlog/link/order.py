"""Reading order: a topic's papers listed so that each comes after the papers it cites.

A topological order of the citations among the topic's papers; ties go to the
older paper, then by title. Citation cycles (two papers citing each other,
common with preprints and their revisions) are broken deterministically: the
papers of a cycle are listed oldest first, each as soon as it no longer cites an
unlisted paper, and when every remaining one does, the oldest goes next anyway.
Each broken cycle is reported as an INFO diagnostic (PL205).

Cost: O((n + m) log n) per topic, for n papers and m citations among them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..model import Paper

SortKey = tuple[float, str, str]

_TRACED = 20  # breaks per component whose cycle is traced for the message (each costs a BFS)


@dataclass(frozen=True)
class BrokenCycle:
    """A cycle that the order had to break: `first` is listed before `cited`, which it cites."""

    members: tuple[str, ...]
    """The cycle, starting at `first`: first cites members[1], ..., the last cites first.
    Empty when not traced (only the first few breaks in one component are)."""
    first: str
    cited: str


def order_key(paper: Paper) -> SortKey:
    """Oldest first (papers without a year last), then by title."""
    return (
        paper.year if paper.year is not None else float("inf"),
        paper.display_title.lower(),
        paper.id,
    )


def topo_order(
    ids: Sequence[str],
    cites: Mapping[str, Sequence[str]],
    key: Callable[[str], SortKey],
) -> tuple[list[str], list[BrokenCycle]]:
    """`ids` in an order where each comes after what it cites (among `ids`), ties by `key`."""
    members = set(ids)
    deps = {n: [c for c in cites.get(n, ()) if c in members and c != n] for n in ids}
    users: dict[str, list[str]] = {n: [] for n in ids}
    for n, cs in deps.items():
        for c in cs:
            users[c].append(n)
    component = _components(sorted(ids), deps)
    groups: dict[int, list[str]] = {}
    for n in ids:
        groups.setdefault(component[n], []).append(n)
    # Kahn's algorithm on the components (a DAG), then inside each component.
    waiting = {c: 0 for c in groups}
    for n, cs in deps.items():
        waiting[component[n]] += sum(1 for c in cs if component[c] != component[n])
    heap = [(min(key(n) for n in g), c) for c, g in groups.items() if waiting[c] == 0]
    heapq.heapify(heap)
    order: list[str] = []
    broken: list[BrokenCycle] = []
    while heap:
        _, group = heapq.heappop(heap)
        inner, cycle = _order_component(groups[group], deps, key)
        order.extend(inner)
        broken.extend(cycle)
        for n in inner:
            for user in users[n]:
                cu = component[user]
                if cu != group:
                    waiting[cu] -= 1
                    if waiting[cu] == 0:
                        heapq.heappush(heap, (min(key(m) for m in groups[cu]), cu))
    return order, broken


def _order_component(
    group: list[str], deps: Mapping[str, list[str]], key: Callable[[str], SortKey]
) -> tuple[list[str], list[BrokenCycle]]:
    if len(group) == 1:
        return group, []
    inside = set(group)
    pending = {n: {c for c in deps[n] if c in inside} for n in group}
    users: dict[str, list[str]] = {n: [] for n in group}
    for n in group:
        for c in pending[n]:
            users[c].append(n)
    ready = [(key(n), n) for n in group if not pending[n]]
    heapq.heapify(ready)
    rest = [n for _, n in sorted((key(n), n) for n in group)]  # when every paper left cites another
    next_rest = 0  # rest[:next_rest] are all listed already: the scan never restarts
    done: set[str] = set()
    order: list[str] = []
    broken: list[BrokenCycle] = []
    while len(order) < len(group):
        if ready:
            _, n = heapq.heappop(ready)
            if n in done:
                continue
        else:
            while rest[next_rest] in done:
                next_rest += 1
            n = rest[next_rest]
            cited = min(pending[n], key=key)
            traced = _cycle(n, cited, deps, inside) if len(broken) < _TRACED else ()
            broken.append(BrokenCycle(traced, n, cited))
        done.add(n)
        order.append(n)
        for user in users[n]:
            if user in done:
                continue
            pending[user].discard(n)
            if not pending[user]:
                heapq.heappush(ready, (key(user), user))
    return order, broken


def _cycle(
    first: str, cited: str, deps: Mapping[str, list[str]], inside: set[str]
) -> tuple[str, ...]:
    """The cycle through first -> cited: a shortest citation path from `cited` back to `first`.

    Both are in one strongly connected component, so the path exists (BFS, O(component)).
    """
    parent: dict[str, str] = {cited: cited}
    queue = [cited]
    for node in queue:
        if node == first:
            break
        for nxt in sorted(deps[node]):
            if nxt in inside and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    path = [first]  # walking parents gives the path backwards: first, ..., cited
    while path[-1] != cited:
        path.append(parent[path[-1]])
    return (first, *reversed(path[1:]))


def _components(ids: list[str], deps: Mapping[str, list[str]]) -> dict[str, int]:
    """Strongly connected components (Tarjan's algorithm, iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    for root in ids:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = deps[node]
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def reading_orders(
    papers: Mapping[str, Paper],
    topics: Sequence[str],
    cites: Mapping[str, Sequence[str]],
    diags: Diagnostics,
    resolve: Callable[[str], str] = lambda ref: ref,
) -> dict[str, tuple[str, ...]]:
    """Every topic's reading order; cycles broken in them are reported once each."""
    in_topic: dict[str, list[str]] = {t: [] for t in topics}
    for pid in sorted(papers):
        for slug in dict.fromkeys(papers[pid].topics):
            if slug in in_topic:
                in_topic[slug].append(pid)

    keys: dict[str, SortKey] = {}

    def key(pid: str) -> SortKey:
        # Worked out once per note: every topic and comparison asks again.
        found = keys.get(pid)
        if found is None:
            found = keys[pid] = order_key(papers[pid])
        return found

    out: dict[str, tuple[str, ...]] = {}
    reported: dict[tuple[str, str], list[str]] = {}
    cycles: dict[tuple[str, str], BrokenCycle] = {}
    for slug in topics:
        order, broken = topo_order(in_topic[slug], cites, key)
        out[slug] = tuple(order)
        for b in broken:
            reported.setdefault((b.first, b.cited), []).append(slug)
            cycles.setdefault((b.first, b.cited), b)
    for (first, cited), slugs in sorted(reported.items()):
        b = cycles[(first, cited)]
        paper = papers[first]
        i = next((i for i, ref in enumerate(paper.cites) if resolve(ref) == cited), None)
        loc = paper.where(f"cites/{i}" if i is not None else "cites")
        if b.members:
            cycle = "citation cycle " + " -> ".join(f"'{m}'" for m in (*b.members, first))
        else:
            cycle = f"citation cycle through '{first}' and '{cited}'"
        where = ", ".join(f"'{s}'" for s in slugs)
        topic = "topic" if len(slugs) == 1 else "topics"
        diags.info(
            loc.path,
            loc.line,
            loc.col,
            "PL205",
            f"{cycle}: the reading order of {topic} {where} lists '{first}' before '{cited}', which it cites",
            "nothing to fix if the papers really cite each other (e.g. a preprint and its revision)",
        )
    return out
