"""Scale check for the connections derived in the link pass (not a test: it prints timings).

Generates a synthetic reading log in memory (topic clusters, citations biased to
popular and same-topic papers, a pool of works without notes), then times every
derivation of issue 6's first half, and the render of the pages that read them,
at several sizes so growth can be judged (each doubling should roughly double).

    .venv/bin/python scripts/scale_graph.py            # 1250, 2500, 5000 notes
    .venv/bin/python scripts/scale_graph.py 5000 10000
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from paperlog.diagnostics import Diagnostics
from paperlog.link import LayoutCache, link_library
from paperlog.link.backlinks import compute_backlinks
from paperlog.link.graph import build_graph, local_graphs
from paperlog.link.nextreads import rank_suggestions, suggestions_by_topic
from paperlog.link.order import reading_orders
from paperlog.link.refs import Resolver
from paperlog.model import STATUSES, BibEntry, Library, Paper, Topic
from paperlog.render import render_site
from paperlog.settings import Settings

T = TypeVar("T")


def synthetic_library(n: int, seed: int = 1) -> Library:
    rng = random.Random(seed)
    topics = [f"topic-{t:02d}" for t in range(max(4, n // 250))]
    pool = [f"work{w:05d}" for w in range(max(50, n // 2))]
    bib = {
        k: BibEntry(
            k, "article", {"title": f"Unnoted work {k}", "year": str(1950 + i % 70)}, "refs.bib", 1
        )
        for i, k in enumerate(pool)
    }
    papers: dict[str, Paper] = {}
    by_topic: dict[str, list[str]] = {t: [] for t in topics}
    ids: list[str] = []
    for i in range(n):
        pid = f"p{i:05d}"
        topic = rng.choice(topics)
        cites: list[str] = []
        for _ in range(rng.randint(0, 10)):
            roll = rng.random()
            if roll < 0.2:
                cites.append(pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)])
            elif roll < 0.8 and by_topic[topic]:
                cites.append(rng.choice(by_topic[topic][-200:]))
            elif ids:
                cites.append(rng.choice(ids))
        if ids and rng.random() < 0.01:
            cites.append(pid)  # the odd self-citation
        extra = [rng.choice(topics)] if rng.random() < 0.15 else []
        papers[pid] = Paper(
            id=pid,
            source=f"notes/{pid}.yaml",
            title=f"Paper {i}",
            year=1990 + i * 35 // n,
            status=rng.choice(STATUSES),
            topics=tuple(dict.fromkeys([topic, *extra])),
            cites=tuple(cites),
            related=(rng.choice(ids),) if ids and rng.random() < 0.05 else (),
        )
        by_topic[topic].append(pid)
        ids.append(pid)
    # A few citation cycles, as preprints and revisions make.
    for a, b in zip(ids[1::97], ids[2::97], strict=False):
        papers[a] = dataclasses.replace(
            papers[a], cites=(*papers[a].cites, b), topics=papers[b].topics
        )
        papers[b] = dataclasses.replace(papers[b], cites=(*papers[b].cites, a))
    return Library(papers=papers, topics={t: Topic(t, t.title()) for t in topics}, bib=bib)


def timed(label: str, func: Callable[..., T], *args: object) -> T:
    # CPU time says what the code costs; wall time also counts other processes on the machine.
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    print(
        f"  {label:<34} {time.process_time() - cpu:7.2f} s cpu {time.perf_counter() - start:7.2f} s wall"
    )
    return result


def check(n: int) -> None:
    lib = synthetic_library(n)
    settings = Settings(root=Path("/site"), notes_dir=Path("/site/notes"))
    cites = sum(len(p.cites) for p in lib.papers.values())
    print(f"{n} notes, {cites} citations, {len(lib.topics)} topics, {len(lib.bib)} BibTeX entries")
    diags = Diagnostics()
    resolver = timed("resolver", Resolver, lib.papers)
    links = timed("backlinks", compute_backlinks, lib.papers, lib, resolver)
    graph = timed("graph + layout (cold cache)", build_graph, lib.papers, links, LayoutCache())
    print(f"    {len(graph.nodes)} nodes, {len(graph.edges)} edges")
    timed("local graphs (depth 2)", local_graphs, graph, lib.papers, 2)
    slugs = sorted(lib.topics)
    timed("reading orders", reading_orders, lib.papers, slugs, links.cites, diags, resolver.resolve)
    ranked = timed("read next", rank_suggestions, links.cited_by, links.external, lib.papers)
    timed("read next by topic", suggestions_by_topic, ranked, lib.papers, slugs)
    cache = LayoutCache()
    linked = timed(
        "link_library (whole pass, cold)", link_library, lib, settings, Diagnostics(), cache
    )
    timed("link_library (layout cached)", link_library, lib, settings, Diagnostics(), cache)
    options = {"site_name": "Scale", "generate_home": True, "tags_plugin": False}
    files = timed(
        "render_site (all pages)",
        lambda: render_site(linked, settings, Diagnostics(), options=options),
    )
    graph_page = next(f for f in files if f.path == "graph.md")
    print(f"    {len(files)} files; graph.md {len(graph_page.content or '') / 1e6:.1f} MB")
    print(f"    PL205 cycle infos: {sum(1 for d in diags if d.code == 'PL205')}")


def main(argv: list[str]) -> None:
    for n in [int(a) for a in argv] or [1250, 2500, 5000]:
        check(n)


if __name__ == "__main__":
    main(sys.argv[1:])
